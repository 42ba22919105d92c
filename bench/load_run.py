"""The load run: simulated staff and board members of 20 affiliates browse and edit for
3 minutes through gunicorn while a real Celery worker and beat send reminders; then
it proves nothing was lost, nothing sent twice and nothing read across tenants.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/load_run.py

DATABASE_URL names the seeded data set (`seed_scale`); the run works on a throw-away
copy of it (CREATE DATABASE ... TEMPLATE, a few seconds; nothing else may be connected
to the data set while it is copied) and drops the copy at the end (--keep keeps it).
Redis (REDIS_URL, default redis://127.0.0.1:6379/7, flushed first) is the broker.
Locust runs from its own virtual environment, .venv-load (bench/requirements-load.txt),
made on the first run. Everything listens on and talks to 127.0.0.1 only.

What happens:
1. Reminders already due in the copy are recorded as sent before the run, so the run
   sees only the reminders that come due while it runs.
2. gunicorn, a Celery worker (2 processes) and beat (sweeping every 15 s) start, with
   an email backend that records each message (bench/mail.py).
3. locust (bench/locustfile.py) runs 50 users for 3 minutes; every page they get is
   checked for other affiliates' names and links, and they ask for other affiliates'
   objects, expecting 404.
4. Every 20 s a batch of the 20 affiliates' reviews comes due (what the passing of days
   does in real life). Half-way, the worker is stopped for 20 s and started again (a
   deploy or a crash of the worker host): beat keeps sweeping meanwhile.
5. After locust stops, the run waits (bounded) for the worker to send what is pending,
   then checks: each expected reminder was sent exactly once (the mail log against the
   database), no reminder row is left pending, every write the users were told had
   worked is in the database, and locust saw 0 failures.
Exit status 1 if any check fails.
"""

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common  # noqa: E402

ROOT = _common.ROOT
LOAD_VENV = ROOT / ".venv-load"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--affiliates", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=180, help="how long locust runs")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (gthread)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--sweep-seconds", type=int, default=15, help="beat's reminder sweep interval")
    parser.add_argument("--release-every", type=int, default=20, help="seconds between batches of reviews coming due")
    parser.add_argument("--release-size", type=int, default=20, help="reviews coming due per batch")
    parser.add_argument("--outage-seconds", type=int, default=20, help="worker stopped half-way for this long (0: no)")
    parser.add_argument("--drain-seconds", type=int, default=240, help="longest wait for pending reminders after")
    parser.add_argument("--db", default="ih_load", help="name of the throw-away copy")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--keep", action="store_true", help="keep the copy and the run's files")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# --- set-up ---------------------------------------------------------------------------------------


def copy_database(source_url: str, name: str) -> str:
    import psycopg2

    parts = urlsplit(source_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("The load run needs PostgreSQL: set DATABASE_URL to the seed_scale database.")
    source = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        try:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        except psycopg2.errors.ObjectInUse as error:
            raise SystemExit(
                f"Cannot copy {source}: other sessions are connected to it; close them and retry."
            ) from error
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def locust_binary() -> Path:
    binary = LOAD_VENV / "bin" / "locust"
    if not binary.exists():
        print("» creating .venv-load with locust (bench/requirements-load.txt)")
        subprocess.run([sys.executable, "-m", "venv", str(LOAD_VENV)], check=True)
        subprocess.run(
            [str(LOAD_VENV / "bin" / "pip"), "install", "-q", "-r", str(ROOT / "bench" / "requirements-load.txt")],
            check=True,
        )
    return binary


def mark_due_reminders_sent() -> int:
    """The copy starts with the reminders of its due reviews already sent: the run then
    measures only what comes due while it runs."""
    from django.utils import timezone

    from evaluations import services
    from evaluations.models import Reminder

    services.reminder_sweep(dispatch=lambda ids, result: None)  # each organisation's own date, as beat does
    now = timezone.now()
    return Reminder.objects.filter(sent_at__isnull=True).update(sent_at=now, enqueued_at=now)


def build_plan(count: int) -> dict:
    from evaluations.models import Indicator
    from initiatives.models import Initiative, Task
    from integration_hub.models import Membership, Organization, Role
    from integration_hub.timezones import local_date
    from stakeholders.models import Stakeholder

    affiliates = list(Organization.objects.filter(kind=Organization.Kind.AFFILIATE).order_by("slug")[:count])
    if len(affiliates) < count:
        raise SystemExit(f"The data set has {len(affiliates)} affiliates; the run needs {count}.")
    names = [a.name for a in affiliates]
    if any(a != b and a in b for a in names for b in names):
        raise SystemExit("Two affiliates' names contain one another; the cross-tenant name check would misfire.")
    organizations, staff, board = {}, [], []
    for org in affiliates:
        organizations[str(org.pk)] = {
            "name": org.name,
            "today": local_date(org.time_zone).isoformat(),  # what its forms call today
            "initiatives": list(Initiative.objects.for_organization(org).values_list("pk", flat=True)),
            "stakeholders": list(Stakeholder.objects.for_organization(org).values_list("pk", flat=True)),
            "indicators": list(Indicator.objects.for_organization(org).values_list("pk", flat=True)),
            "tasks": list(Task.objects.for_organization(org).values_list("pk", flat=True)[:50]),
        }
        for membership in Membership.objects.filter(organization=org).select_related("user").order_by("user__email"):
            account = {"email": membership.user.email, "organization": org.pk}
            if membership.role == Role.EDITOR:
                staff.append(account)
            elif membership.role == Role.BOARD:
                board.append(account)
    # Round-robin over affiliates: the first 20 staff users are one per affiliate, and so on.
    staff.sort(key=lambda a: (not a["email"].startswith("staff@"), a["organization"]))
    return {
        "password": os.environ.get("SCALE_PASSWORD", "scale-demo-2026"),
        "organizations": organizations,
        "staff": staff,
        "board": board,
    }


class ReviewsComingDue:
    """Batches of the load affiliates' reviews come due today, as days passing would make
    them; remembers which reminders each batch must produce."""

    def __init__(self, organization_ids, today, rng):
        from datetime import timedelta

        from evaluations.models import EvaluationReview, ReviewSchedule
        from initiatives.models import Initiative

        # A review comes due on its organisation's local date, which is within a day of UTC's.
        near = EvaluationReview.objects.filter(due_date__range=(today - timedelta(days=1), today + timedelta(days=1)))
        schedules = list(
            ReviewSchedule.objects.filter(initiative__organization__in=organization_ids)
            .exclude(initiative__status=Initiative.Status.CANCELLED)
            .exclude(pk__in=near.values("schedule"))
            .values_list("pk", "initiative__organization__time_zone")
        )
        rng.shuffle(schedules)
        self.schedules = schedules
        self.released: list[int] = []
        self.expected: set[tuple[int, int]] = set()  # (review, recipient)

    def release(self, size: int) -> int:
        from django.db import transaction
        from django.db.models import F

        from evaluations.models import EvaluationReview, ReviewSchedule
        from integration_hub.timezones import local_date

        batch, self.schedules = self.schedules[:size], self.schedules[size:]
        released = 0
        with transaction.atomic():
            for schedule_id, time_zone in batch:
                today = local_date(time_zone)  # the organisation's date, as the sweep reads it
                review = (
                    EvaluationReview.objects.filter(schedule_id=schedule_id, held_on__isnull=True, due_date__gt=today)
                    .order_by("due_date")
                    .first()
                )
                if review is None:
                    continue
                EvaluationReview.objects.filter(pk=review.pk).update(due_date=today, remind_from=today)
                reviewers = ReviewSchedule.reviewers.through.objects.filter(
                    reviewschedule_id=schedule_id,
                    user__reminder_emails=True,
                    user__is_active=True,
                    user__memberships__organization=F("reviewschedule__initiative__organization"),
                ).values_list("user_id", flat=True)
                self.expected.update((review.pk, user_id) for user_id in reviewers)
                self.released.append(review.pk)
                released += 1
        return released


# --- processes ------------------------------------------------------------------------------------


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM: Celery's warm shutdown finishes running tasks and gives the rest back."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def celery(role: str, env: dict, log: Path, prefix: tuple[str, ...] = (), name: str = "load") -> subprocess.Popen:
    """A Celery worker (2 processes) or beat; `prefix` runs it elsewhere (bench/cluster.py:
    `ip netns exec worker1`)."""
    command = [*prefix, sys.executable, "-m", "celery", "-A", "integration_hub", role, "--loglevel=WARNING"]
    if role == "worker":
        command += ["--concurrency", "2", "--hostname", f"{name}-{time.monotonic_ns()}@%h"]
    return start(command, env, log)


PROGRAMS = ("gunicorn", "celery", "locust", "postgres", "redis-server")


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """{pid: (program, CPU seconds so far)} of the live processes of each program (/proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        name = next((p for p in PROGRAMS if p in command), None)
        if name:
            found[int(stat.parent.name)] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    return found


class CpuWatch:
    """CPU used by each program over the run: sampled now and then, so a process that ends
    before the last sample (locust, a database connection) still counts up to its last sample."""

    def __init__(self):
        self.start = cpu_by_process()
        self.latest = dict(self.start)

    def sample(self) -> None:
        self.latest.update(cpu_by_process())

    def used(self) -> list[tuple[str, float]]:
        totals = dict.fromkeys(PROGRAMS, 0.0)
        for pid, (name, seconds) in self.latest.items():
            totals[name] += seconds - self.start.get(pid, (name, 0.0))[1]
        return list(totals.items())


def run_locust(locust: Path, users: int, spawn_rate: float, seconds: int, host: str, work: Path, env: dict):
    """locust --headless with bench/locustfile.py; its figures go to work/locust_*.csv."""
    command = [
        str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
        "--host", host, "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    return start(command, env, work / "locust.log")


# --- checks ---------------------------------------------------------------------------------------


def read_locust_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _percentile(ordered: list[float], percent: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    return ordered[min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))]


def locust_rows(stats: list[dict]) -> list[list]:
    """One table row per page or action of locust's figures, and the aggregate."""
    return [
        [s["Name"], int(s["Request Count"]), int(s["Failure Count"]), f"{s['50%']} ms", f"{s['95%']} ms",
         f"{float(s['Requests/s']):.1f}"]
        for s in stats
    ]  # fmt: skip


def reminder_checks(coming_due: ReviewsComingDue, mail_log: Path, started) -> dict:
    from evaluations.models import Reminder
    from evaluations.services import reminder_message_id

    # Rows recorded during the run (reviews that came due may have had an "upcoming"
    # reminder before it, which the run marked sent at the start).
    rows = list(
        Reminder.objects.filter(review_id__in=coming_due.released, created_at__gte=started).values_list(
            "pk", "review_id", "recipient_id", "sent_at", "skipped_at", "attempts"
        )
    )
    sent_rows = {pk for pk, _r, _u, sent_at, _s, _a in rows if sent_at}
    recorded = Counter((review, user) for _pk, review, user, *_rest in rows)
    mails = Counter(json.loads(line)["message_id"] for line in mail_log.read_text().splitlines() if line.strip())
    sent_since_start = set(Reminder.objects.filter(sent_at__gte=started).values_list("pk", flat=True))
    by_message_id = {reminder_message_id(pk): pk for pk in sent_since_start}
    return {
        "reviews come due": len(coming_due.released),
        "reminders expected": len(coming_due.expected),
        "reminder rows recorded": len(rows),
        "sent (database)": len(sent_rows),
        "emails recorded": sum(mails.values()),
        "lost: expected, never recorded": len(coming_due.expected - set(recorded)),
        "lost: recorded, never sent": sum(1 for _pk, _r, _u, sent, skipped, _a in rows if not sent and not skipped),
        "skipped (with a reason)": sum(1 for *_x, skipped, _a in rows if skipped),
        "duplicate rows (same review and recipient)": sum(n - 1 for n in recorded.values() if n > 1),
        "duplicate emails (same reminder twice)": sum(n - 1 for n in mails.values() if n > 1),
        "emails without a sent row": len(set(mails) - set(by_message_id)),
        "sent rows without an email": len(set(by_message_id) - set(mails)),
        "rows needing more than one attempt": sum(1 for *_x, attempts in rows if attempts > 1),
    }


def pending_count(coming_due: ReviewsComingDue, started) -> int:
    """Reminders still to go out: unsent rows, and expected ones not recorded yet."""
    from evaluations.models import Reminder

    rows = Reminder.objects.filter(review_id__in=coming_due.released, created_at__gte=started)
    recorded = set(rows.values_list("review_id", "recipient_id"))
    return rows.filter(sent_at__isnull=True, skipped_at__isnull=True).count() + len(coming_due.expected - recorded)


REMINDER_BREACHES = (
    "lost: expected, never recorded",
    "lost: recorded, never sent",
    "duplicate rows (same review and recipient)",
    "duplicate emails (same reminder twice)",
    "emails without a sent row",
    "sent rows without an email",
)


def reminder_breaches(checks: dict) -> list[str]:
    """What reminder_checks found wrong: lost, sent twice, or nothing to prove."""
    breaches = [f"{key}: {checks[key]}" for key in REMINDER_BREACHES if checks[key]]
    if checks["reminders expected"] == 0:
        breaches.append("no reminder came due: the run proved nothing about reminders")
    return breaches


def write_checks(summary: dict, unanswered_writes: int) -> tuple[list[list], list[str]]:
    """Every write the app acknowledged to a user (its token, from the locust summary) is
    stored; no board member's write is. A write whose answer never reached the user (its
    host killed mid-request, `unanswered_writes` of them) may or may not be stored; any
    other stored write that nobody was told about is a breach too."""
    from evaluations.models import Measurement
    from stakeholders.models import Engagement

    acknowledged = summary.get("acknowledged", {})
    stored_tokens = {
        "measurements": {
            note.removeprefix("load run ")
            for note in Measurement.objects.filter(note__startswith="load run ").values_list("note", flat=True)
        },
        "engagements": {
            text.rsplit(" ", 1)[-1]
            for text in Engagement.objects.filter(summary__startswith="Load run:").values_list("summary", flat=True)
        },
    }
    rows, breaches, unacknowledged = [], [], 0
    for kind, stored in stored_tokens.items():
        told = set(acknowledged.get(kind, []))
        missing = len(told - stored)
        unacknowledged += len(stored - told)
        rows += [
            [f"{kind} acknowledged to users", len(told)],
            [f"{kind} stored", len(stored)],
            [f"{kind} acknowledged but missing", missing],
        ]
        if missing:
            breaches.append(f"{missing} acknowledged {kind} missing")
    board = Measurement.objects.filter(note="board must not write").count()
    rows += [
        ["stored but never acknowledged (answer lost with a host)", unacknowledged],
        ["writes whose answer was lost", unanswered_writes],
        ["board members' attempted writes stored (must be 0)", board],
    ]
    if unacknowledged > unanswered_writes:
        breaches.append(f"{unacknowledged} writes stored that no user was told about")
    if board:
        breaches.append(f"{board} board writes stored")
    return rows, breaches


# --- the run --------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    source_url = os.environ.get("DATABASE_URL", "")
    if not source_url:
        raise SystemExit("Set DATABASE_URL to the seed_scale PostgreSQL database (see bench/README.md).")
    locust = locust_binary()
    work = Path(tempfile.mkdtemp(prefix="load-run-"))
    mail_log, plan_file, summary_file = work / "mail.jsonl", work / "plan.json", work / "summary.json"
    mail_log.touch()
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
    print(f"» copying the data set to {args.db}")
    load_url = copy_database(source_url, args.db)
    env = {
        **os.environ,
        "DATABASE_URL": load_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "LOAD_MAIL_LOG": str(mail_log),
        "LOAD_SWEEP_SECONDS": str(args.sweep_seconds),
        "REMINDER_REQUEUE_MINUTES": "1",  # a task lost with the stopped worker is sent again soon
        # Idle keep-alive connections outlive the users' pauses (1–3 s): otherwise gunicorn's
        # 2 s default closes one just as a user sends on it, a client-side race, not a failure of
        # the app (a browser retries such a request; locust counts it as failed).
        "GUNICORN_CMD_ARGS": "--keep-alive 10",
    }
    os.environ.update(env)
    _common.setup()

    import redis
    from django.db import connections
    from django.utils import timezone

    redis.Redis.from_url(redis_url).flushdb()
    today = timezone.localdate()
    rng = random.Random(args.seed)
    marked = mark_due_reminders_sent()
    plan = build_plan(args.affiliates)
    plan_file.write_text(json.dumps(plan))
    coming_due = ReviewsComingDue([int(k) for k in plan["organizations"]], today, rng)
    connections.close_all()
    print(f"» {marked:,} reminders already due were marked sent; {len(plan['staff'])} staff and "
          f"{len(plan['board'])} board accounts in {args.affiliates} affiliates; work files in {work}")  # fmt: skip

    started = timezone.now()
    events: list[str] = []
    failures: list[str] = []
    beat = celery("beat", env, work / "beat.log")
    workers = [celery("worker", env, work / "worker.log")]
    try:
        with _common.gunicorn(
            args.port, workers=args.web_workers, worker_class="gthread", threads=args.threads, env=env
        ) as base:
            locust_run = run_locust(
                locust, args.users, args.spawn_rate, args.seconds, base, work,
                {**env, "LOAD_PLAN": str(plan_file), "LOAD_SUMMARY": str(summary_file)},
            )  # fmt: skip
            cpu = CpuWatch()
            t0 = time.monotonic()
            next_release, outage_at, outage_over, next_sample = 5.0, args.seconds / 2, None, 5.0
            while locust_run.poll() is None:
                elapsed = time.monotonic() - t0
                if elapsed >= next_release and elapsed < args.seconds - 10:
                    n = coming_due.release(args.release_size)
                    events.append(f"{elapsed:5.0f} s: {n} reviews came due")
                    next_release += args.release_every
                if args.outage_seconds and outage_at is not None and elapsed >= outage_at:
                    stop(workers[-1])
                    events.append(f"{elapsed:5.0f} s: worker stopped (warm shutdown)")
                    outage_at, outage_over = None, elapsed + args.outage_seconds
                if outage_over is not None and elapsed >= outage_over:
                    workers.append(celery("worker", env, work / "worker.log"))
                    events.append(f"{elapsed:5.0f} s: worker started again")
                    outage_over = None
                if elapsed >= next_sample:
                    cpu.sample()
                    next_sample += 5
                time.sleep(0.5)
            cpu_used = cpu.used()
            if outage_over is not None:
                workers.append(celery("worker", env, work / "worker.log"))
            print(f"» locust finished after {time.monotonic() - t0:.0f} s; waiting for pending reminders")
            drain_started = time.monotonic()
            while pending_count(coming_due, started) and time.monotonic() - drain_started < args.drain_seconds:
                time.sleep(2)
            events.append(f"drained in {time.monotonic() - drain_started:.0f} s after locust stopped")
            connections.close_all()
    finally:
        for process in [beat, *workers]:
            stop(process)

    # --- figures ---
    note = _common.machine_note()
    stats = read_locust_stats(work / "locust")
    rows = locust_rows(stats)
    _common.print_table(
        f"Load run: {args.users} users, {args.affiliates} affiliates, {args.seconds} s, gunicorn {args.web_workers} "
        f"workers × {args.threads} threads, Celery worker + beat ({note})",
        ["page or action", "requests", "failures", "p50", "p95", "req/s"],
        rows,
    )
    total = next(s for s in stats if s["Name"] == "Aggregated")
    if int(total["Failure Count"]):
        failures.append(f"{total['Failure Count']} failed requests (see {work}/locust_failures.csv)")
        with open(work / "locust_failures.csv", newline="") as handle:
            for failure in list(csv.DictReader(handle))[:10]:
                print(f"   {failure['Occurrences']}× {failure['Method']} {failure['Name']}: {failure['Error']}")

    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    timed = summary.get("page_times", [])
    times = sorted(ms for _at, ms in timed)
    if times:
        login = [s for s in stats if s["Name"] in ("login page", "log in")]
        _common.print_table(
            "Pages apart from logging in (login's password hashing under the burst of 50 arrivals is reported apart)",
            ["requests", "p50", "p95", "p99", "logging in: requests", "logging in: p50 / p95"],
            [[len(times), f"{_percentile(times, 50):.0f} ms", f"{_percentile(times, 95):.0f} ms",
              f"{_percentile(times, 99):.0f} ms", sum(int(s["Request Count"]) for s in login),
              " · ".join(f"{s['Name']} {s['50%']} / {s['95%']} ms" for s in login)]],
        )  # fmt: skip
        burst_end = max(summary.get("logins_done") or [0])
        rows = []
        for label, part in (
            (
                "while users were logging in (first login to last)",
                [ms for at, ms in timed if at - ms / 1000 <= burst_end],
            ),
            ("after the last login", [ms for at, ms in timed if at - ms / 1000 > burst_end]),
        ):
            part.sort()
            if part:
                rows.append([label, len(part), *(f"{_percentile(part, p):.0f} ms" for p in (50, 95, 99))])
        _common.print_table(
            "Pages apart from logging in, by when they were asked for", ["when", "requests", "p50", "p95", "p99"], rows
        )
    if cpu_used:
        _common.print_table(
            "CPU used during the run, by program (seconds of one core; /proc)",
            ["program", "CPU s", "share of the 2 cores"],
            [
                [name, f"{sec:.0f}", f"{100 * sec / (args.seconds * (os.cpu_count() or 1)):.0f} %"]
                for name, sec in cpu_used
            ],
        )
    counts = summary.get("counts", {})
    if not counts:
        failures.append("locust wrote no summary of its checks")
    checks = reminder_checks(coming_due, mail_log, started)
    stored, write_breaches = write_checks(summary, unanswered_writes=0)
    failures += write_breaches
    connections.close_all()
    tenant_rows = [
        [k, v] for k, v in sorted(counts.items()) if k not in ("measurements recorded", "engagements logged")
    ]
    _common.print_table("Tenancy checks made by the simulated users", ["check", "count"], tenant_rows)
    _common.print_table("Reminders while under load", ["figure", "count"], [[k, v] for k, v in checks.items()])
    _common.print_table("Writes", ["figure", "count"], stored)
    print("\nTimeline:\n  " + "\n  ".join(events))

    if counts.get("cross-tenant reads", 0):
        failures.append(f"{counts['cross-tenant reads']} cross-tenant reads")
    failures += reminder_breaches(checks)

    if not args.keep:
        drop_database(load_url)
    print("\n" + ("FAILED:\n  " + "\n  ".join(failures) if failures else "All checks passed."))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
