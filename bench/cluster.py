"""The cluster run: the app on several hosts at once, one web host and one worker host
killed with SIGKILL mid-run and brought back; nothing acknowledged is lost, no reminder
goes twice.

    sudo python bench/cluster.py              # root: it makes network namespaces

The hosts are network namespaces on this machine (`ip netns`), joined by veth pairs to
a bridge, ihc-br0 (10.77.0.1/24, the host's side):

    web1 10.77.0.11, web2 10.77.0.12     gunicorn (2 workers × 4 threads each)
    worker1 10.77.0.21, worker2 10.77.0.22    a Celery worker each (2 processes)
    beat 10.77.0.31                      Celery beat, the only one

PostgreSQL and Redis stay on the host, where they listen on 127.0.0.1 only; the hosts
reach them at 10.77.0.1:5432 and 10.77.0.1:6379 through bench/tcp_relay.py (the host's
PostgreSQL and Redis are not reconfigured). Sessions are in the database with the Redis
cache in front (SESSION_STORE=cached_db), the cache is Redis: a user whose web host dies
carries on, logged in, on the other. A load balancer (bench/tcp_relay.py again, on
127.0.0.1:8792) hands each new connection to the next web host that answers.

The data set is its own database (--db, default ih_cluster), made afresh each run with
`migrate` and a small `seed_scale`; Redis db --redis-db (default 5) is flushed first.
Then it does what bench/load_run.py does (and reuses its code): the reminders already
due are recorded as sent, locust (bench/locustfile.py) runs staff and board users
through the balancer, batches of reviews come due while beat sweeps, and afterwards
every acknowledged write must be stored and every due reminder sent exactly once. At
--kill-at seconds, every process of web1 and worker1 gets SIGKILL (a host lost); after
--down-seconds they start again. It prints the requests served (per web host), the
failures clients saw in the fail-over window and outside it, and the audits, with the
load average. Namespaces, links and processes are removed on exit, Ctrl-C or failure
included (`--clean` removes what a killed run left). Exit status 1 on any breach: a
failure outside the fail-over window, a cross-tenant read, an acknowledged write
missing, a reminder lost or sent twice.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, load_run  # noqa: E402

ROOT = _common.ROOT
BRIDGE, BRIDGE_IP, PREFIX = "ihc-br0", "10.77.0.1", 24
HOSTS = {
    "web1": "10.77.0.11",
    "web2": "10.77.0.12",
    "worker1": "10.77.0.21",
    "worker2": "10.77.0.22",
    "beat": "10.77.0.31",
}
WEB_PORT = 8000
WRITES = ("record a measurement", "log an engagement")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--affiliates", type=int, default=8, help="seeded, and all used by the users")
    parser.add_argument(
        "--initiatives", type=int, default=20, help="seeded per affiliate (each has reviews to come due)"
    )
    parser.add_argument("--mail-connect-seconds", type=float, default=2.0, help="each send waits this long to connect")
    parser.add_argument("--seconds", type=int, default=150, help="how long locust runs")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--kill-at", type=int, default=50, help="seconds into the run when web1 and worker1 die")
    parser.add_argument("--down-seconds", type=int, default=20, help="they start again this long after")
    parser.add_argument(
        "--window-after", type=int, default=5, help="the fail-over window ends this long after web1 answers again"
    )
    parser.add_argument("--sweep-seconds", type=int, default=15, help="beat's reminder sweep interval")
    parser.add_argument("--release-every", type=int, default=15, help="seconds between batches of reviews coming due")
    parser.add_argument("--release-size", type=int, default=10, help="reviews coming due per batch")
    parser.add_argument("--drain-seconds", type=int, default=240, help="longest wait for pending reminders after")
    parser.add_argument("--db", default="ih_cluster")
    parser.add_argument("--redis-db", type=int, default=5)
    parser.add_argument("--balancer-port", type=int, default=8792)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the run's files (the database is always kept)")
    parser.add_argument("--clean", action="store_true", help="only remove what an earlier run left, then exit")
    return parser.parse_args()


# --- the network ----------------------------------------------------------------------------------


def ip(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *command], check=check, capture_output=True, text=True)


def netns_exec(name: str) -> tuple[str, ...]:
    return ("ip", "netns", "exec", name)


def existing_namespaces() -> set[str]:
    listed = ip("netns", "list", check=False).stdout.split("\n")
    return {line.split()[0] for line in listed if line.strip()} & set(HOSTS)


def kill_host(name: str) -> int:
    """SIGKILL every process in the namespace: the host is gone."""
    pids = [int(p) for p in ip("netns", "pids", name, check=False).stdout.split()]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return len(pids)


def network_down() -> None:
    for name in existing_namespaces():
        kill_host(name)
        ip("netns", "del", name, check=False)
    for name in HOSTS:
        ip("link", "del", f"vh-{name}", check=False)
    ip("link", "del", BRIDGE, check=False)


def network_up() -> None:
    ip("link", "add", BRIDGE, "type", "bridge")
    ip("addr", "add", f"{BRIDGE_IP}/{PREFIX}", "dev", BRIDGE)
    ip("link", "set", BRIDGE, "up")
    for name, address in HOSTS.items():
        ip("netns", "add", name)
        ip("link", "add", f"vh-{name}", "type", "veth", "peer", "name", f"vn-{name}")
        ip("link", "set", f"vn-{name}", "netns", name)
        ip("link", "set", f"vh-{name}", "master", BRIDGE, "up")
        ip("netns", "exec", name, "ip", "addr", "add", f"{address}/{PREFIX}", "dev", f"vn-{name}")
        ip("netns", "exec", name, "ip", "link", "set", f"vn-{name}", "up")
        ip("netns", "exec", name, "ip", "link", "set", "lo", "up")


def answers(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def serves(host: str, port: int, timeout: float = 90) -> None:
    """Wait until the host's gunicorn workers answer a page (its port opens before they boot)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(host, port, timeout=5)
        try:
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})  # ALLOWED_HOSTS
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    raise SystemExit(f"gunicorn on {host}:{port} does not serve the login page")


def wait_for(host: str, port: int, what: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not answers(host, port):
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start on {host}:{port}")
        time.sleep(0.2)


# --- the data set ---------------------------------------------------------------------------------


def fresh_database(server_url: str, name: str, env: dict) -> float:
    """Drop and make the database, migrate it and seed a small data set; seconds taken."""
    import psycopg2

    started = time.monotonic()
    admin = psycopg2.connect(urlunsplit(urlsplit(server_url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_scale", "--affiliates", env["CLUSTER_AFFILIATES"],
         "--initiatives", env["CLUSTER_INITIATIVES"], "--responses", "20"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


# --- the hosts ------------------------------------------------------------------------------------


def gunicorn(name: str, env: dict, work: Path) -> subprocess.Popen:
    command = [
        *netns_exec(name), sys.executable, "-m", "gunicorn", "integration_hub.wsgi:application",
        "--bind", f"{HOSTS[name]}:{WEB_PORT}", "--workers", "2", "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", str(work / f"{name}-access.log"), "--error-logfile", str(work / f"{name}.log"),
        "--timeout", "60", "--no-control-socket",  # one control socket path for every host otherwise
        # Idle keep-alive connections outlive the users' 1–3 s pauses (see bench/load_run.py).
        "--keep-alive", "10",
    ]  # fmt: skip
    return load_run.start(command, env, work / f"{name}.log")


def relay(listen: str, backends: list[str], work: Path, name: str) -> subprocess.Popen:
    command = [sys.executable, str(ROOT / "bench" / "tcp_relay.py"), listen, *backends]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=(work / f"{name}.json").open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def sends_held_by(prefix: str) -> set[int]:
    """The reminders a worker is sending or holds (prefetched) right now, by asking it."""
    from integration_hub.celery import app

    inspect = app.control.inspect(timeout=2.0)
    held = set()
    for replies in (inspect.active() or {}, inspect.reserved() or {}):
        for hostname, tasks in replies.items():
            if hostname.startswith(prefix):
                held.update(t["args"][0] for t in tasks if t["name"].endswith("send_reminder") and t["args"])
    return held


def sent_once(reminder_ids: set[int], mail_log: Path) -> int:
    """How many of these reminders are recorded sent and were emailed exactly once."""
    from collections import Counter

    from evaluations.models import Reminder
    from evaluations.services import reminder_message_id

    mails = Counter(json.loads(line)["message_id"] for line in mail_log.read_text().splitlines() if line.strip())
    sent = Reminder.objects.filter(pk__in=reminder_ids, sent_at__isnull=False).values_list("pk", flat=True)
    return sum(1 for pk in sent if mails[reminder_message_id(pk)] == 1)


def served(work: Path, name: str) -> int:
    log = work / f"{name}-access.log"
    return sum(1 for _ in log.open()) if log.exists() else 0


# --- the run --------------------------------------------------------------------------------------


def main() -> int:  # noqa: C901, PLR0915 - one run, told in order
    args = parse_args()
    if os.geteuid() != 0:
        raise SystemExit("The cluster run makes network namespaces: run it as root.")
    if subprocess.run(["which", "ip"], capture_output=True).returncode:
        raise SystemExit("iproute2 is missing: apt-get install -y iproute2")
    if args.clean:
        network_down()
        return 0
    if existing_namespaces() or ip("link", "show", BRIDGE, check=False).returncode == 0:
        raise SystemExit("An earlier run left namespaces or ihc-br0 behind: python bench/cluster.py --clean")

    server = os.environ.get("CLUSTER_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    redis_server = os.environ.get("CLUSTER_REDIS_SERVER", "redis://127.0.0.1:6379")
    host_db = urlsplit(server)
    host_redis = urlsplit(redis_server)
    locust = load_run.locust_binary()
    work = Path(tempfile.mkdtemp(prefix="cluster-run-"))
    mail_log, plan_file, summary_file = work / "mail.jsonl", work / "plan.json", work / "summary.json"
    failure_log = work / "failures.json"
    mail_log.touch()
    common = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "SESSION_STORE": "cached_db",
        "LOAD_MAIL_LOG": str(mail_log),
        "LOAD_SWEEP_SECONDS": str(args.sweep_seconds),
        "REMINDER_REQUEUE_MINUTES": "1",  # a task lost with the killed worker is sent again soon
        "LOAD_MAIL_CONNECT_SECONDS": str(args.mail_connect_seconds),
    }
    # The host (this script, migrate, seed) talks to 127.0.0.1; the hosts to the bridge.
    host_env = {
        **os.environ,
        **common,
        "DATABASE_URL": urlunsplit(host_db._replace(path=f"/{args.db}")),
        "REDIS_URL": urlunsplit(host_redis._replace(path=f"/{args.redis_db}")),
        "CLUSTER_AFFILIATES": str(args.affiliates),
        "CLUSTER_INITIATIVES": str(args.initiatives),
    }
    bridge_db = host_db._replace(netloc=host_db.netloc.replace(host_db.hostname, BRIDGE_IP))
    bridge_redis = host_redis._replace(netloc=host_redis.netloc.replace(host_redis.hostname, BRIDGE_IP))
    node_env = {
        **host_env,
        "DATABASE_URL": urlunsplit(bridge_db._replace(path=f"/{args.db}")),
        "REDIS_URL": urlunsplit(bridge_redis._replace(path=f"/{args.redis_db}")),
    }

    processes: dict[str, subprocess.Popen] = {}
    relays: list[subprocess.Popen] = []

    def on_signal(signum, _frame):
        raise SystemExit(f"stopped by signal {signum}")

    # Ctrl-C too, even when started from a shell that had SIGINT ignored (a background job).
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, on_signal)
    locust_run = None
    failures: list[str] = []
    events: list[str] = []
    try:
        print(f"» seeding {args.db} ({args.affiliates} affiliates)")
        seeded = fresh_database(server, args.db, host_env)
        os.environ.update(host_env)
        _common.setup()

        import redis
        from django.db import connections
        from django.utils import timezone

        redis.Redis.from_url(host_env["REDIS_URL"]).flushdb()
        marked = load_run.mark_due_reminders_sent()
        plan = load_run.build_plan(args.affiliates)
        plan_file.write_text(json.dumps(plan))
        coming_due = load_run.ReviewsComingDue(
            [int(k) for k in plan["organizations"]], timezone.localdate(), random.Random(args.seed)
        )
        connections.close_all()
        print(f"» seeded in {seeded:.0f} s; {marked:,} due reminders marked sent; {len(plan['staff'])} staff and "
              f"{len(plan['board'])} board accounts; work files in {work}")  # fmt: skip

        network_up()
        relays.append(
            relay(
                f"{BRIDGE_IP}:{host_db.port or 5432}", [f"{host_db.hostname}:{host_db.port or 5432}"], work, "pg-relay"
            )
        )
        relays.append(
            relay(
                f"{BRIDGE_IP}:{host_redis.port or 6379}",
                [f"{host_redis.hostname}:{host_redis.port or 6379}"],
                work,
                "redis-relay",
            )
        )
        balancer = relay(
            f"127.0.0.1:{args.balancer_port}", [f"{HOSTS[w]}:{WEB_PORT}" for w in ("web1", "web2")], work, "balancer"
        )
        relays.append(balancer)
        wait_for(BRIDGE_IP, host_db.port or 5432, "the PostgreSQL relay")
        wait_for(BRIDGE_IP, host_redis.port or 6379, "the Redis relay")
        wait_for("127.0.0.1", args.balancer_port, "the balancer")

        started = timezone.now()
        processes["beat"] = load_run.celery("beat", node_env, work / "beat.log", netns_exec("beat"), "beat")
        for name in ("worker1", "worker2"):
            processes[name] = load_run.celery("worker", node_env, work / f"{name}.log", netns_exec(name), name)
        for name in ("web1", "web2"):
            processes[name] = gunicorn(name, node_env, work)
        for name in ("web1", "web2"):
            wait_for(HOSTS[name], WEB_PORT, f"gunicorn on {name}", processes[name])
            serves(HOSTS[name], WEB_PORT)
        print("» 2 web hosts, 2 worker hosts and beat are up; locust starts")

        locust_run = load_run.run_locust(
            locust, args.users, args.spawn_rate, args.seconds, f"http://127.0.0.1:{args.balancer_port}", work,
            {**host_env, "LOAD_PLAN": str(plan_file), "LOAD_SUMMARY": str(summary_file),
             "LOAD_FAILURE_LOG": str(failure_log), "LOAD_CONNECTION_CLOSE": "1"},
        )  # fmt: skip
        t0, wall0 = time.monotonic(), time.time()
        next_release = 5.0
        killed_at = back_at = web1_answers_at = None
        held: set[int] = set()
        while locust_run.poll() is None:
            elapsed = time.monotonic() - t0
            if elapsed >= next_release and elapsed < args.seconds - 10:
                n = coming_due.release(args.release_size)
                events.append(f"{elapsed:5.0f} s: {n} reviews came due")
                next_release += args.release_every
            if killed_at is None and elapsed >= args.kill_at:
                held = sends_held_by("worker1-")
                killed = {name: kill_host(name) for name in ("web1", "worker1")}
                killed_at = elapsed
                events.append(f"{elapsed:5.0f} s: SIGKILL to every process of web1 ({killed['web1']}) "
                              f"and worker1 ({killed['worker1']})")  # fmt: skip
            if killed_at is not None and back_at is None and elapsed >= killed_at + args.down_seconds:
                processes["web1"] = gunicorn("web1", node_env, work)
                processes["worker1"] = load_run.celery(
                    "worker", node_env, work / "worker1.log", netns_exec("worker1"), "worker1"
                )
                back_at = elapsed
                events.append(f"{elapsed:5.0f} s: web1 and worker1 started again")
            if back_at is not None and web1_answers_at is None and answers(HOSTS["web1"], WEB_PORT):
                web1_answers_at = time.monotonic() - t0
                events.append(f"{web1_answers_at:5.0f} s: web1 answers again")
            time.sleep(0.25)
        connections.close_all()
        print(f"» locust finished after {time.monotonic() - t0:.0f} s; waiting for pending reminders")
        drain_started = time.monotonic()
        while load_run.pending_count(coming_due, started) and time.monotonic() - drain_started < args.drain_seconds:
            time.sleep(2)
        events.append(f"drained in {time.monotonic() - drain_started:.0f} s after locust stopped")
        connections.close_all()
        if killed_at is None or web1_answers_at is None:
            failures.append("the run ended before web1 and worker1 were killed and back: raise --seconds")
    finally:
        for process in [locust_run, *processes.values()]:
            if process is not None:
                load_run.stop(process, timeout=20)
        for process in relays:
            load_run.stop(process, timeout=5)
        network_down()

    # --- figures ---
    note = _common.machine_note()
    stats = load_run.read_locust_stats(work / "locust")
    _common.print_table(
        f"Cluster run: {args.users} users of {args.affiliates} affiliates for {args.seconds} s over web1 + web2 "
        f"(gunicorn 2 × 4 each), worker1 + worker2, one beat ({note})",
        ["page or action", "requests", "failures", "p50", "p95", "req/s"],
        load_run.locust_rows(stats),
    )
    total = next(s for s in stats if s["Name"] == "Aggregated")
    failed = json.loads(failure_log.read_text()) if failure_log.exists() else []
    window = (wall0 + (killed_at or 0) - 1, wall0 + (web1_answers_at or args.seconds) + args.window_after)
    in_window = [f for f in failed if window[0] <= f["at"] <= window[1]]
    outside = [f for f in failed if not window[0] <= f["at"] <= window[1]]
    unanswered_writes = sum(1 for f in failed if f["name"] in WRITES)
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    counts = summary.get("counts", {})
    if not counts:
        failures.append("locust wrote no summary of its checks")
    checks = load_run.reminder_checks(coming_due, mail_log, started)
    held_sent_once = sent_once(held, mail_log)
    write_rows, write_breaches = load_run.write_checks(summary, unanswered_writes)
    connections.close_all()
    balanced = json.loads((work / "balancer.json").read_text() or "{}").get("connections", {})

    expected = checks["reminders expected"]
    once = expected - checks["lost: expected, never recorded"] - checks["lost: recorded, never sent"]
    figures = [
        ["requests served (locust)", int(total["Request Count"])],
        ["… answered by web1 / web2 (access logs)", f"{served(work, 'web1')} / {served(work, 'web2')}"],
        ["… connections the balancer gave web1 / web2", " / ".join(str(v) for v in balanced.values())],
        [f"failures seen by clients in the fail-over window ({window[1] - window[0]:.0f} s)", len(in_window)],
        ["failures seen by clients outside it", len(outside)],
        ["writes acknowledged / stored / missing",
         f"{sum(r[1] for r in write_rows if r[0].endswith('acknowledged to users'))} / "
         f"{sum(r[1] for r in write_rows if r[0].endswith(' stored'))} / "
         f"{sum(r[1] for r in write_rows if r[0].endswith('but missing'))}"],
        ["reminders due / sent exactly once", f"{expected} / {once - checks['duplicate emails (same reminder twice)']}"],
        ["reminders lost / sent twice",
         f"{expected - once} / {checks['duplicate emails (same reminder twice)'] + checks['duplicate rows (same review and recipient)']}"],
        ["… of them held by worker1 when it was killed / sent once since", f"{len(held)} / {held_sent_once}"],
        ["cross-tenant reads", counts.get("cross-tenant reads", 0)],
    ]  # fmt: skip
    _common.print_table(f"Cluster run: the figures ({note})", ["figure", "value"], figures)
    _common.print_table(
        "Tenancy checks made by the simulated users",
        ["check", "count"],
        [[k, v] for k, v in sorted(counts.items()) if k not in ("measurements recorded", "engagements logged")],
    )
    _common.print_table("Reminders while hosts die", ["figure", "count"], [[k, v] for k, v in checks.items()])
    _common.print_table("Writes", ["figure", "count"], write_rows)
    if in_window:
        kinds: dict[str, int] = {}
        for f in in_window:
            key = f"{f['method']} {f['name']}: {f['error'][:90]}"
            kinds[key] = kinds.get(key, 0) + 1
        _common.print_table("Failures in the fail-over window", ["request and error", "count"], sorted(kinds.items()))
    for f in outside[:10]:
        print(f"   outside the window, {f['at'] - wall0:.0f} s: {f['method']} {f['name']}: {f['error']}")
    print("\nTimeline:\n  " + "\n  ".join(events))

    if outside:
        failures.append(f"{len(outside)} failed requests outside the fail-over window (see {work}/locust_failures.csv)")
    if counts.get("cross-tenant reads", 0):
        failures.append(f"{counts['cross-tenant reads']} cross-tenant reads")
    failures += load_run.reminder_breaches(checks) + write_breaches
    if held_sent_once != len(held):
        failures.append(f"{len(held) - held_sent_once} reminders held by the killed worker not sent exactly once")
    if not args.keep and not failures:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()
    print("\n" + ("FAILED:\n  " + "\n  ".join(failures) if failures else "All checks passed."))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
