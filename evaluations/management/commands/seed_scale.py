"""A network-sized data set for benchmarks: `manage.py seed_scale` (here, in the top step, as it seeds all four).

Bulk-creates a whole network under one --tag: affiliates with members, needs,
consultations, an assessment each (a public survey with anonymous responses for
some), stakeholders with stance history, engagements and commitments,
initiatives with partners, milestones, tasks, budget, funding and events,
indicators with measurements, review schedules with reviews (held, overdue,
coming up, due soon) and no reminders. Full size (about 3 million
measurements, 200 000 reviews):

    manage.py seed_scale --affiliates 400 --initiatives 25 --indicators 5 --measurements 60

Rows go in with bulk_create in batches; on PostgreSQL the big leaf tables
(measurements, reviews, answers, link tables) go in with COPY. Either way every
value is a valid choice and satisfies the models' check constraints, which the
database enforces. No history rows and no reminders are written. Running it
twice with the same tag is refused; --reset deletes that tag's network first.
"""

import io
import json
import random
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from assessments.demo import QUESTIONS, TEXT_ANSWERS
from assessments.models import (
    Answer,
    Choice,
    Consultation,
    Need,
    NeedsAssessment,
    Question,
    RespondentSide,
    Response,
    Survey,
)
from evaluations import services
from evaluations.demo import FEEDBACK_NEWCOMERS, FEEDBACK_RECEIVING, FINDINGS
from evaluations.models import (
    CalendarFeed,
    EvaluationReview,
    Indicator,
    Measurement,
    Reminder,
    ReviewSchedule,
    SharedIndicator,
)
from initiatives.demo import BUDGET, FUNDERS, TASKS
from initiatives.models import Activity, BudgetLine, Funding, Idea, Initiative, InitiativePartner, Milestone, Task
from integration_hub.choices import CommunitySide, WelcomingStandard
from integration_hub.models import ApiToken, Invitation, Membership, Organization, Role, User
from stakeholders.demo import FEEDBACK, STAKEHOLDERS, SUMMARIES
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange

PASSWORD = "scale-demo-2026"  # noqa: S105 - benchmark logins only, printed on purpose
TAG_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,19}$")

# (city, state, time zone): affiliates are spread over these.
CITIES = [
    ("Dayton", "OH", "America/New_York"), ("Columbus", "OH", "America/New_York"),
    ("Greensboro", "NC", "America/New_York"), ("Charlotte", "NC", "America/New_York"),
    ("Atlanta", "GA", "America/New_York"), ("Savannah", "GA", "America/New_York"),
    ("Miami", "FL", "America/New_York"), ("Orlando", "FL", "America/New_York"),
    ("Richmond", "VA", "America/New_York"), ("Baltimore", "MD", "America/New_York"),
    ("Philadelphia", "PA", "America/New_York"), ("Pittsburgh", "PA", "America/New_York"),
    ("Newark", "NJ", "America/New_York"), ("Albany", "NY", "America/New_York"),
    ("Buffalo", "NY", "America/New_York"), ("Hartford", "CT", "America/New_York"),
    ("Providence", "RI", "America/New_York"), ("Lowell", "MA", "America/New_York"),
    ("Lewiston", "ME", "America/New_York"), ("Burlington", "VT", "America/New_York"),
    ("Detroit", "MI", "America/New_York"), ("Grand Rapids", "MI", "America/New_York"),
    ("Louisville", "KY", "America/New_York"), ("Nashville", "TN", "America/Chicago"),
    ("Memphis", "TN", "America/Chicago"), ("Chicago", "IL", "America/Chicago"),
    ("Aurora", "IL", "America/Chicago"), ("Milwaukee", "WI", "America/Chicago"),
    ("Minneapolis", "MN", "America/Chicago"), ("St. Paul", "MN", "America/Chicago"),
    ("Des Moines", "IA", "America/Chicago"), ("Omaha", "NE", "America/Chicago"),
    ("Kansas City", "MO", "America/Chicago"), ("St. Louis", "MO", "America/Chicago"),
    ("Houston", "TX", "America/Chicago"), ("San Antonio", "TX", "America/Chicago"),
    ("Dallas", "TX", "America/Chicago"), ("El Paso", "TX", "America/Denver"),
    ("New Orleans", "LA", "America/Chicago"), ("Tulsa", "OK", "America/Chicago"),
    ("Little Rock", "AR", "America/Chicago"), ("Birmingham", "AL", "America/Chicago"),
    ("Denver", "CO", "America/Denver"), ("Salt Lake City", "UT", "America/Denver"),
    ("Boise", "ID", "America/Denver"), ("Albuquerque", "NM", "America/Denver"),
    ("Phoenix", "AZ", "America/Phoenix"), ("Tucson", "AZ", "America/Phoenix"),
    ("Las Vegas", "NV", "America/Los_Angeles"), ("Fresno", "CA", "America/Los_Angeles"),
    ("Oakland", "CA", "America/Los_Angeles"), ("San Diego", "CA", "America/Los_Angeles"),
    ("Los Angeles", "CA", "America/Los_Angeles"), ("Sacramento", "CA", "America/Los_Angeles"),
    ("Portland", "OR", "America/Los_Angeles"), ("Seattle", "WA", "America/Los_Angeles"),
    ("Spokane", "WA", "America/Los_Angeles"), ("Anchorage", "AK", "America/Anchorage"),
    ("Honolulu", "HI", "Pacific/Honolulu"), ("San Juan", "PR", "America/Puerto_Rico"),
]  # fmt: skip
NAME_PATTERNS = [
    "{city} Immigrant Legal Services",
    "{city} Newcomer Center",
    "Catholic Charities of {city}",
    "{city} Welcoming Partnership",
    "Immigrant Justice Project of {city}",
    "{city} Refugee and Immigrant Alliance",
    "Neighbors United {city}",
    "{city} Community Legal Aid",
]
FIRST_NAMES = ["Amara", "Luis", "Margaret", "Thu", "Daniel", "Grace", "Fatima", "Kwame", "Sofia", "Ahmed",
               "Elena", "Jorge", "Mei", "Samuel", "Rahel", "Omar", "Lucy", "Tomás", "Priya", "Isaac"]  # fmt: skip
LAST_NAMES = ["Okafor", "Hernández", "Keller", "Nguyen", "Brooks", "Whitfield", "Hassan", "Mensah", "Rossi",
              "Karimi", "Popescu", "Ramírez", "Chen", "Johnson", "Tesfaye", "Haddad", "Park", "Silva"]  # fmt: skip
NEEDS = [
    ("School information in families' languages", Need.Category.LANGUAGE),
    ("More evening English classes", Need.Category.EDUCATION),
    ("Places where newcomers and residents meet", Need.Category.CONNECTED_COMMUNITIES),
    ("Clinic hours that fit work shifts", Need.Category.HEALTH),
    ("Trusted information to counter rumours", Need.Category.SAFETY_AND_TRUST),
    ("Access to bank accounts", Need.Category.ECONOMIC),
    ("Affordable immigration legal advice", Need.Category.LEGAL),
    ("Safe, affordable rental housing", Need.Category.HOUSING),
    ("Interpreters at city offices", Need.Category.ACCESS_TO_SERVICES),
    ("Newcomers on local boards and commissions", Need.Category.CIVIC),
    ("Driving lessons and licences", Need.Category.OTHER),
]
# (name, unit, side, baseline, target)
INDICATORS = [
    ("ID cards issued to newcomers", Indicator.Unit.COUNT, CommunitySide.NEWCOMERS, 0, 400),
    ("Event attendance: receiving community", Indicator.Unit.COUNT, CommunitySide.RECEIVING, 15, 120),
    ("Participant satisfaction (1–5)", Indicator.Unit.SCORE, CommunitySide.BOTH, Decimal("3.2"), Decimal("4.5")),
    ("Share of residents who feel newcomers are welcome", Indicator.Unit.PERCENT, CommunitySide.RECEIVING, 41, 60),
    ("Funds raised locally", Indicator.Unit.CURRENCY, CommunitySide.BOTH, 0, 15000),
    ("Bank accounts opened by newcomers", Indicator.Unit.COUNT, CommunitySide.NEWCOMERS, 0, 150),
    ("Wait for a legal consultation (days)", Indicator.Unit.COUNT, CommunitySide.NEWCOMERS, 45, 14),
]
CONSULTATIONS = [
    ("Focus group with parents at the ESL evening class", Consultation.Kind.FOCUS_GROUP),
    ("Round table with neighbourhood associations and the library", Consultation.Kind.ROUND_TABLE),
    ("Listening session after Sunday services", Consultation.Kind.LISTENING_SESSION),
    ("Coffee and chat at the community centre", Consultation.Kind.COFFEE_AND_CHAT),
]
ACTIVITY_TITLES = {
    Activity.Kind.EVENT: "Neighbours' potluck",
    Activity.Kind.CLASS: "Citizenship class",
    Activity.Kind.WORKSHOP: "Know-your-rights workshop",
    Activity.Kind.LUNCH_AND_LEARN: "Lunch and learn",
    Activity.Kind.SERVICE_DAY: "Service day in the park",
    Activity.Kind.CEREMONY: "Welcome ceremony",
    Activity.Kind.HOME_VISIT: "Home visit round",
}
STATUS_WEIGHTS = [
    (Initiative.Status.ACTIVE, 50),
    (Initiative.Status.PLANNED, 15),
    (Initiative.Status.COMPLETED, 20),
    (Initiative.Status.PAUSED, 10),
    (Initiative.Status.CANCELLED, 5),
]
SIDES = [RespondentSide.NEWCOMER] * 45 + [RespondentSide.RESIDENT] * 48 + [RespondentSide.PREFER_NOT] * 7
# Each affiliate adopts the network's shared indicators made of the first SHARED of INDICATORS.
SHARED = 4
# Reviews: the latest past review is left open (overdue) this often, the one before it too this often.
OVERDUE_LATEST, OVERDUE_SECOND = 0.3, 0.1


def tag_organizations(tag: str):
    return Organization.objects.filter(slug__regex=rf"^{tag}-(network|[0-9]{{4,}})$")


def tag_users(tag: str):
    return User.objects.filter(email__regex=rf"@{tag}-(network|[0-9]{{4,}})\.example$")


@dataclass
class Sizes:
    affiliates: int
    initiatives: int
    indicators: int
    measurements: int
    responses: int
    surveyed: int
    reviews: int
    stakeholders: int
    needs: int
    members: int
    # One diocese-wide affiliate (the first) with these instead; 0 keeps the per-affiliate size.
    large_stakeholders: int = 0
    large_responses: int = 0
    large_initiatives: int = 0


# --- writing ------------------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Progress:
    """A one-line progress bar per phase (redrawn in place on a terminal, every 10% otherwise)."""

    WIDTH = 30

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total = out, label, max(total, 1)
        self.done, self.started, self.shown = 0, time.monotonic(), -1
        self.tty = hasattr(out, "isatty") and out.isatty()

    def add(self, n: int) -> None:
        self.done += n
        step = int(100 * self.done / self.total) // (1 if self.tty else 10)
        if step != self.shown:
            self.shown = step
            self._draw(end="\r" if self.tty else "\n")

    def finish(self) -> float:
        elapsed = time.monotonic() - self.started
        final = self.shown == int(100 * self.done / self.total) // 10 and self.done >= self.total
        self.total = max(self.done, 1)
        if self.tty or not final:
            self._draw(end="\n")
        return elapsed

    def _draw(self, end: str) -> None:
        share = min(self.done / self.total, 1)
        bar = "#" * int(self.WIDTH * share) + "." * (self.WIDTH - int(self.WIDTH * share))
        elapsed = time.monotonic() - self.started
        self.out.write(f"  [{bar}] {share:4.0%} {self.label:<22} {self.done:>10,} rows {elapsed:6.1f}s", ending=end)
        self.out.flush()


class Writer:
    """bulk_create for rows whose ids are needed later; COPY (PostgreSQL) for leaf rows."""

    def __init__(self, out, batch_size: int, use_copy: bool):
        self.out, self.batch_size, self.use_copy = out, batch_size, use_copy
        self.counts: dict[str, list] = {}  # label -> [rows, seconds]

    def create(self, model, objects: list, label: str | None = None) -> list:
        progress = Progress(self.out, label or model._meta.verbose_name_plural, len(objects))
        for start in range(0, len(objects), self.batch_size):
            batch = objects[start : start + self.batch_size]
            model.objects.bulk_create(batch)
            progress.add(len(batch))
        self._done(model, label, len(objects), progress.finish())
        if objects and objects[0].pk is None:
            raise CommandError(f"The database did not return ids for {model.__name__}.")
        return objects

    def leaf(self, model, rows, total: int, label: str | None = None) -> int:
        """Write dict rows (attname → value; missing fields take the model's default)."""
        progress = Progress(self.out, label or str(model._meta.verbose_name_plural), total)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        # As Model(): the field's default, "" for text and None for the rest; timestamps now.
        defaults = {
            f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in fields
        }
        count = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                count += self._write(model, fields, defaults, batch)
                progress.add(len(batch))
                batch = []
        if batch:
            count += self._write(model, fields, defaults, batch)
            progress.add(len(batch))
        self._done(model, label, count, progress.finish())
        return count

    def _write(self, model, fields, defaults, batch) -> int:
        if not self.use_copy:
            model.objects.bulk_create([model(**row) for row in batch])
            return len(batch)
        buffer = io.StringIO()
        for row in batch:
            buffer.write("\t".join(_copy_text(row.get(f.attname, defaults[f.attname])) for f in fields))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer
            )
        return len(batch)

    def _done(self, model, label, count, elapsed) -> None:
        entry = self.counts.setdefault(label or model._meta.label, [0, 0.0])
        entry[0] += count
        entry[1] += elapsed


# --- the command --------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Bulk-create a network-sized data set (for benchmarks) under a tag."

    def add_arguments(self, parser):
        parser.add_argument("--affiliates", type=int, default=20, help="Affiliates (default 20; full size 400).")
        parser.add_argument("--initiatives", type=int, default=5, help="Initiatives per affiliate (default 5).")
        parser.add_argument("--indicators", type=int, default=3, help="Indicators per initiative (default 3).")
        parser.add_argument("--measurements", type=int, default=12, help="Measurements per indicator (default 12).")
        parser.add_argument(
            "--responses", type=int, default=200, help="Survey responses per surveyed affiliate (default 200)."
        )
        parser.add_argument(
            "--surveyed", type=int, default=None, help="Affiliates whose survey has responses (default 1 in 10)."
        )
        parser.add_argument("--reviews", type=int, default=20, help="Scheduled reviews per initiative (default 20).")
        parser.add_argument("--stakeholders", type=int, default=30, help="Stakeholders per affiliate (default 30).")
        parser.add_argument("--needs", type=int, default=10, help="Needs per affiliate (default 10).")
        parser.add_argument("--members", type=int, default=4, help="Members per affiliate, 3 or more (default 4).")
        parser.add_argument(
            "--large",
            action="store_true",
            help="Make the first affiliate diocese-sized: 100 000 stakeholders, 50 000 survey responses on its "
            "survey, 5 000 initiatives (change them with --large-stakeholders, --large-responses, --large-initiatives).",
        )
        parser.add_argument("--large-stakeholders", type=int, default=100_000)
        parser.add_argument("--large-responses", type=int, default=50_000)
        parser.add_argument("--large-initiatives", type=int, default=5_000)
        parser.add_argument("--tag", default="scale", help="Names this data set: slugs <tag>-0001… (default scale).")
        parser.add_argument("--reset", action="store_true", help="Delete the tag's data set first.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="Pretend today is YYYY-MM-DD.")
        parser.add_argument("--no-copy", action="store_true", help="Use bulk_create even on PostgreSQL.")

    def handle(self, *args, **options):
        tag = options["tag"]
        if not TAG_PATTERN.match(tag):
            raise CommandError("--tag: a lower-case letter, then up to 19 letters or digits.")
        sizes = Sizes(
            affiliates=options["affiliates"],
            initiatives=options["initiatives"],
            indicators=options["indicators"],
            measurements=options["measurements"],
            responses=options["responses"],
            surveyed=options["surveyed"] if options["surveyed"] is not None else max(1, options["affiliates"] // 10),
            reviews=options["reviews"],
            stakeholders=options["stakeholders"],
            needs=options["needs"],
            members=options["members"],
            large_stakeholders=options["large_stakeholders"] if options["large"] else 0,
            large_responses=options["large_responses"] if options["large"] else 0,
            large_initiatives=options["large_initiatives"] if options["large"] else 0,
        )
        if sizes.affiliates < 1 or sizes.members < 3 or min(vars(sizes).values()) < 0:
            raise CommandError("Sizes must be positive, with at least one affiliate and three members each.")
        started = time.monotonic()
        if tag_organizations(tag).exists():
            if not options["reset"]:
                raise CommandError(f"The data set {tag!r} already exists. Run again with --reset to replace it.")
            self.stdout.write(f"Deleting the data set {tag!r}…")
            reset_started = time.monotonic()
            reset(tag)
            self.stdout.write(f"  deleted in {time.monotonic() - reset_started:.1f}s")
        use_copy = connection.vendor == "postgresql" and not options["no_copy"]
        writer = Writer(self.stdout, options["batch_size"], use_copy)
        today = options["today"] or timezone.localdate()
        self.stdout.write(
            f"Seeding {tag!r} on {connection.vendor} ({'COPY' if use_copy else 'bulk_create'}), today = {today}:"
        )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: millions of queued
                # checks would all run at COMMIT. Checking each row as it is copied is cheaper.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            Builder(writer, tag, sizes, today, random.Random(options["seed"])).build()
            commit_started = time.monotonic()
        writer.counts["(commit)"] = [0, time.monotonic() - commit_started]
        if connection.vendor == "postgresql":
            analyze_started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            writer.counts["(analyze)"] = [0, time.monotonic() - analyze_started]
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(f"{'rows':<34}{'count':>12}{'seconds':>10}")
        for name, (count, seconds) in writer.counts.items():
            self.stdout.write(f"{name:<34}{count:>12,}{seconds:>10.1f}")
        total = sum(count for count, _seconds in writer.counts.values())
        self.stdout.write(f"{'total':<34}{total:>12,}{elapsed:>10.1f}")
        self.stdout.write(self.style.SUCCESS(f"Seeded {tag!r}: {total:,} rows in {elapsed:.1f}s."))
        self.stdout.write(f"Log in as admin@{tag}-0001.example (or editor, board) with the password {PASSWORD}.")


class Builder:
    def __init__(self, writer: Writer, tag: str, sizes: Sizes, today: date, rng: random.Random):
        self.w, self.tag, self.n, self.today, self.rng = writer, tag, sizes, today, rng
        self.now = timezone.now()

    def size(self, organization_id: int, what: str) -> int:
        """Rows of `what` for one affiliate: the large one's when --large, else the per-affiliate size."""
        large = getattr(self.n, f"large_{what}")
        return large if large and organization_id == self.affiliates[0].pk else getattr(self.n, what)

    def build(self) -> None:
        self.organizations()
        self.people()
        self.assessments()
        self.stakeholders()
        self.initiatives()
        self.indicators()
        self.reviews()

    # organisations and people -----------------------------------------------------------------

    def organizations(self) -> None:
        suffix = "" if self.tag == "scale" else f" ({self.tag})"
        network = Organization(
            slug=f"{self.tag}-network",
            name=f"National Integration Network{suffix}",
            kind=Organization.Kind.NETWORK,
            city="Washington",
            state="DC",
        )
        affiliates = []
        for i in range(self.n.affiliates):
            city, state, zone = CITIES[i % len(CITIES)]
            combo = i // len(CITIES)
            name = NAME_PATTERNS[combo % len(NAME_PATTERNS)].format(city=city)
            if combo >= len(NAME_PATTERNS):
                name += f", office {combo // len(NAME_PATTERNS) + 1}"
            affiliates.append(
                Organization(
                    slug=f"{self.tag}-{i + 1:04d}",
                    name=name + suffix,
                    kind=Organization.Kind.AFFILIATE,
                    city=city,
                    state=state,
                    time_zone=zone,
                )
            )
        self.network, *self.affiliates = self.w.create(Organization, [network, *affiliates], "organisations")

    def people(self) -> None:
        password = make_password(PASSWORD)
        users, roles = [], []
        for org in [self.network, *self.affiliates]:
            if org.is_network:
                plan = [("network", Role.EDITOR)]
            else:
                editors = [(f"staff{k}" if k else "staff", Role.EDITOR) for k in range(self.n.members - 2)]
                plan = [("admin", Role.ADMIN), *editors, ("board", Role.BOARD)]
            for local, role in plan:
                users.append(
                    User(
                        email=f"{local}@{org.slug}.example",
                        first_name=self.rng.choice(FIRST_NAMES),
                        last_name=self.rng.choice(LAST_NAMES),
                        password=password,
                    )
                )
                roles.append((org, role))
        self.w.create(User, users, "users")
        memberships = [Membership(user=u, organization=o, role=r) for u, (o, r) in zip(users, roles, strict=True)]
        self.w.create(Membership, memberships, "memberships")
        self.staff: dict[int, list[User]] = {}  # admin and editors: leads, owners, reviewers
        for user, (org, role) in zip(users, roles, strict=True):
            if role in (Role.ADMIN, Role.EDITOR):
                self.staff.setdefault(org.pk, []).append(user)

    # step 1 -----------------------------------------------------------------------------------

    def assessments(self) -> None:
        rng, today = self.rng, self.today
        needs, consultations, assessments = [], [], []
        every = max(1, self.n.affiliates // max(self.n.surveyed, 1)) if self.n.surveyed else 0
        surveyed = set(list(range(0, self.n.affiliates, every))[: self.n.surveyed]) if every else set()
        for i, org in enumerate(self.affiliates):
            collecting = i in surveyed
            assessments.append(
                NeedsAssessment(
                    organization=org,
                    title=f"{org.city} community needs survey {today.year if collecting else today.year - 1}",
                    area_served=f"{org.city} area",
                    period_start=today - timedelta(days=60 if collecting else 420),
                    period_end=today + timedelta(days=30) if collecting else today - timedelta(days=300),
                    status=NeedsAssessment.Status.COLLECTING if collecting else NeedsAssessment.Status.CLOSED,
                    owner=self.staff[org.pk][-1],
                    description="A short, anonymous survey for newcomers and long-standing residents.",
                )
            )
        self.w.create(NeedsAssessment, assessments, "needs assessments")
        surveys = self.w.create(
            Survey,
            [
                Survey(
                    assessment=a,
                    title={"en": "What does our community need?", "es": "¿Qué necesita nuestra comunidad?"},
                    intro={"en": "Ten minutes, anonymous.", "es": "Diez minutos, anónima."},
                )
                for a in assessments
            ],
            "surveys",
        )
        self.surveys = {s.assessment.organization_id: s for s in surveys}
        for i, org in enumerate(self.affiliates):
            for k in range(self.n.needs):
                title, category = NEEDS[k % len(NEEDS)]
                needs.append(
                    Need(
                        organization=org,
                        assessment=assessments[i],
                        title=title if k < len(NEEDS) else f"{title} ({k // len(NEEDS) + 1})",
                        category=category,
                        priority=rng.choice(Need.Priority.values),
                        status=rng.choice(Need.Status.values),
                        description=f"Raised in the {assessments[i].title.lower()} and its consultations.",
                    )
                )
            for k, (title, kind) in enumerate(CONSULTATIONS[:2]):
                consultations.append(
                    Consultation(
                        organization=org,
                        assessment=assessments[i],
                        title=title,
                        held_on=today - timedelta(days=30 + 20 * k),
                        kind=kind,
                        newcomer_participants=rng.randint(2, 15),
                        resident_participants=rng.randint(2, 15),
                        languages="Spanish, English",
                        key_points="Evening classes fill up within a week\nThe clinic's walk-in hours clash with work",
                    )
                )
        self.needs = self.w.create(Need, needs, "needs")
        self.w.create(Consultation, consultations, "consultations")
        self._survey_questions([self.surveys[self.affiliates[i].pk] for i in sorted(surveyed)])

    def _survey_questions(self, surveys) -> None:
        rng = self.rng
        questions, choices = [], []
        for survey in surveys:
            for position, (kind, en, es, options, extra) in enumerate(QUESTIONS, start=1):
                question = Question(survey=survey, position=position, kind=kind, text={"en": en, "es": es}, **extra)
                question.options = options
                questions.append(question)
        self.w.create(Question, questions, "survey questions")
        for question in questions:
            for position, (o_en, o_es) in enumerate(question.options, start=1):
                choices.append(Choice(question=question, position=position, label={"en": o_en, "es": o_es}))
        self.w.create(Choice, choices, "survey choices")
        by_question: dict[int, list[Choice]] = {}
        for choice in choices:
            by_question.setdefault(choice.question_id, []).append(choice)
        by_survey: dict[int, list[Question]] = {}
        for question in questions:
            by_survey.setdefault(question.survey_id, []).append(question)

        responses = [
            Response(survey=s, side=rng.choice(SIDES), submitted_on=self.today - timedelta(days=rng.randint(0, 59)))
            for s in surveys
            for _ in range(self.size(s.assessment.organization_id, "responses"))
        ]
        self.w.create(Response, responses, "survey responses")

        def answers():
            for response in responses:
                for question in by_survey[response.survey_id]:
                    if not question.required and rng.random() < 0.2:
                        continue
                    options = by_question.get(question.pk, [])
                    if question.kind == Question.Kind.SINGLE:
                        yield {
                            "response_id": response.pk,
                            "question_id": question.pk,
                            "choice_id": rng.choice(options).pk,
                        }
                    elif question.kind == Question.Kind.MULTIPLE:
                        for choice in rng.sample(options, rng.randint(1, 3)):
                            yield {"response_id": response.pk, "question_id": question.pk, "choice_id": choice.pk}
                    elif question.kind == Question.Kind.SCALE:
                        centre = 3 if response.side == RespondentSide.NEWCOMER else 4
                        number = min(5, max(1, round(rng.gauss(centre, 1))))
                        yield {"response_id": response.pk, "question_id": question.pk, "number": number}
                    elif question.kind == Question.Kind.NUMBER:
                        yield {"response_id": response.pk, "question_id": question.pk, "number": rng.randint(1, 7)}
                    elif rng.random() < 0.4:
                        yield {"response_id": response.pk, "question_id": question.pk, "text": rng.choice(TEXT_ANSWERS)}

        self.w.leaf(Answer, answers(), total=len(responses) * 7, label="survey answers")

    # step 2 -----------------------------------------------------------------------------------

    def stakeholders(self) -> None:
        rng, today = self.rng, self.today
        stakeholders = []
        for org in self.affiliates:
            for k in range(self.size(org.pk, "stakeholders")):
                name, role, affiliation, sector, influence, stance, earlier, side, tags = STAKEHOLDERS[
                    k % len(STAKEHOLDERS)
                ]
                stakeholder = Stakeholder(
                    organization=org,
                    name=name if k < len(STAKEHOLDERS) else f"{name} ({k // len(STAKEHOLDERS) + 1})",
                    role_title=role,
                    affiliation=affiliation.format(city=org.city),
                    sector=sector,
                    influence=influence,
                    stance=stance,
                    speaks_for=side,
                    tags=tags,
                )
                stakeholder.earlier = earlier
                stakeholders.append(stakeholder)
        self.w.create(Stakeholder, stakeholders, "stakeholders")
        self.stakeholders_by_org: dict[int, list[Stakeholder]] = {}
        for s in stakeholders:
            self.stakeholders_by_org.setdefault(s.organization_id, []).append(s)

        def stance_changes():
            for s in stakeholders:
                first = self.now - timedelta(days=rng.randint(200, 400))
                by = rng.choice(self.staff[s.organization_id]).pk
                if s.earlier:
                    yield {"stakeholder_id": s.pk, "new_stance": s.earlier, "changed_at": first, "changed_by_id": by}
                    yield {
                        "stakeholder_id": s.pk,
                        "old_stance": s.earlier,
                        "new_stance": s.stance,
                        "changed_at": first + timedelta(days=rng.randint(30, 150)),
                        "changed_by_id": by,
                    }
                else:
                    yield {"stakeholder_id": s.pk, "new_stance": s.stance, "changed_at": first, "changed_by_id": by}

        self.w.leaf(StanceChange, stance_changes(), total=len(stakeholders), label="stance changes")

        engagements = []
        for org in self.affiliates:
            for _ in range(self.size(org.pk, "stakeholders") // 2):
                kind = rng.choice(Engagement.Kind.values)
                when = today - timedelta(days=rng.randint(1, 365))
                engagements.append(
                    Engagement(
                        organization=org,
                        date=when,
                        kind=kind,
                        summary=rng.choice(SUMMARIES[kind]),
                        feedback=rng.choice(FEEDBACK),
                        follow_up_date=when + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.4 else None,
                    )
                )
        self.w.create(Engagement, engagements, "engagements")
        self.w.leaf(
            Engagement.stakeholders.through,
            (
                {"engagement_id": e.pk, "stakeholder_id": s.pk}
                for e in engagements
                for s in rng.sample(self.stakeholders_by_org[e.organization_id], 2)
            ),
            total=2 * len(engagements),
            label="engagement stakeholders",
        )
        self.w.leaf(
            Engagement.staff.through,
            ({"engagement_id": e.pk, "user_id": rng.choice(self.staff[e.organization_id]).pk} for e in engagements),
            total=len(engagements),
            label="engagement staff",
        )

        def commitments():
            for org in self.affiliates:
                for s in rng.sample(self.stakeholders_by_org[org.pk], self.size(org.pk, "stakeholders") // 3):
                    made = today - timedelta(days=rng.randint(10, 300))
                    due = made + timedelta(days=rng.randint(14, 120))
                    status = Commitment.Status.OPEN if due >= today or rng.random() < 0.3 else Commitment.Status.KEPT
                    yield {
                        "stakeholder_id": s.pk,
                        "promise": "Speak at the citizenship class",
                        "made_on": made,
                        "due_date": due,
                        "status": status,
                    }

        self.w.leaf(
            Commitment,
            commitments(),
            total=sum(self.size(org.pk, "stakeholders") // 3 for org in self.affiliates),
            label="commitments",
        )

    # step 3 -----------------------------------------------------------------------------------

    def initiatives(self) -> None:
        rng, today = self.rng, self.today
        ideas = list(Idea.objects.order_by("pk"))
        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        initiatives = []
        for org in self.affiliates:
            picked = rng.sample(ideas, min(len(ideas), self.size(org.pk, "initiatives"))) if ideas else []
            for k in range(self.size(org.pk, "initiatives")):
                idea = picked[k % len(picked)] if picked else None
                title = idea.title if idea else "Welcoming Week events"
                if k >= len(picked):
                    title += f" (phase {k // max(len(picked), 1) + 1})"
                status = rng.choices(statuses, weights)[0]
                start = today - timedelta(days=rng.randint(60, 900))
                if status == Initiative.Status.COMPLETED:
                    end = min(today, start + timedelta(days=rng.randint(60, 600)))
                else:
                    end = start + timedelta(days=rng.randint(365, 1100)) if rng.random() < 0.7 else None
                initiatives.append(
                    Initiative(
                        organization=org,
                        idea=idea,
                        title=title,
                        category=idea.welcoming_standard if idea else rng.choice(WelcomingStandard.values),
                        summary=idea.description[:400] if idea else "",
                        goals="Newcomers and long-time residents meet as neighbours\nServices are reachable",
                        objectives="300 participants from both sides by December",
                        locations=f"{org.city} public library; community centre",
                        lead=rng.choice(self.staff[org.pk]),
                        status=status,
                        start_date=start,
                        end_date=end,
                    )
                )
        self.initiatives = self.w.create(Initiative, initiatives, "initiatives")
        self.affiliates_by_pk = {o.pk: o for o in self.affiliates}
        needs_by_org: dict[int, list[Need]] = {}
        for need in self.needs:
            needs_by_org.setdefault(need.organization_id, []).append(need)
        total = len(initiatives)
        self.w.leaf(
            Initiative.needs.through,
            (
                {"initiative_id": i.pk, "need_id": n.pk}
                for i in initiatives
                for n in rng.sample(needs_by_org.get(i.organization_id, []), min(2, self.n.needs))
            ),
            total=2 * total,
            label="initiative needs",
        )
        self.w.leaf(
            InitiativePartner,
            (
                {"initiative_id": i.pk, "stakeholder_id": s.pk, "role": role}
                for i in initiatives
                for s, role in zip(
                    rng.sample(
                        self.stakeholders_by_org[i.organization_id],
                        min(2, self.size(i.organization_id, "stakeholders")),
                    ),
                    (InitiativePartner.Role.HOST, InitiativePartner.Role.SUPPORTER),
                    strict=False,
                )
            ),
            total=2 * total,
            label="initiative partners",
        )
        milestones = []
        for i in initiatives:
            span = max((today - i.start_date).days, 30)
            for k, title in enumerate(("Partners signed up", "First event held", "Review with both sides")):
                due = i.start_date + timedelta(days=int(span * (k + 1) / 3) + rng.randint(-10, 40))
                milestones.append(Milestone(initiative=i, title=title, due_date=due))
        self.w.create(Milestone, milestones, "milestones")
        status_of = {i.pk: i.status for i in initiatives}
        org_of = {i.pk: i.organization_id for i in initiatives}

        def tasks():
            for m in milestones:
                for title in rng.sample(TASKS, 3):
                    due = m.due_date - timedelta(days=rng.randint(3, 21))
                    done = status_of[m.initiative_id] == Initiative.Status.COMPLETED or (
                        due < today and rng.random() < 0.8
                    )
                    owner = rng.choice(self.staff[org_of[m.initiative_id]]).pk
                    yield {"milestone_id": m.pk, "title": title, "owner_id": owner, "due_date": due, "done": done}

        self.w.leaf(Task, tasks(), total=3 * len(milestones), label="tasks")
        self.w.leaf(
            BudgetLine,
            (
                {"initiative_id": i.pk, "item": item, "amount": Decimal(amount * rng.choice([1, 2, 3]))}
                for i in initiatives
                for item, amount in rng.sample(BUDGET, 3)
            ),
            total=3 * total,
            label="budget lines",
        )

        def funding():
            for i in initiatives:
                city = self.affiliates_by_pk[i.organization_id].city
                for kind, name in rng.sample(FUNDERS, 2):
                    pledged = Decimal(rng.choice([500, 750, 1000, 1500, 2500]))
                    yield {
                        "initiative_id": i.pk,
                        "source_kind": kind,
                        "source_name": name.format(city=city),
                        "pledged": pledged,
                        "received": pledged if rng.random() < 0.6 else pledged / 2,
                        "date": i.start_date + timedelta(days=rng.randint(0, 200)),
                    }

        self.w.leaf(Funding, funding(), total=2 * total, label="funding")

        def activities():
            for i in initiatives:
                span = max((today - i.start_date).days, 1)
                for _ in range(6):
                    kind = rng.choice(Activity.Kind.values)
                    newcomers = rng.randint(5, 40)
                    yield {
                        "initiative_id": i.pk,
                        "date": i.start_date + timedelta(days=rng.randint(0, span)),
                        "kind": kind,
                        "title": ACTIVITY_TITLES[kind],
                        "newcomers": newcomers,
                        "receiving": max(0, newcomers + rng.randint(-15, 10)),
                        "unknown": rng.randint(0, 5),
                        "volunteers": rng.randint(1, 8),
                    }

        self.w.leaf(Activity, activities(), total=6 * total, label="activities")

    # step 4 -----------------------------------------------------------------------------------

    def shared_indicators(self) -> dict:
        """The network's shared indicators for the first SHARED of INDICATORS (found or created once,
        whatever the tag): each affiliate adopts them on its first initiative."""
        found = {}
        for name, unit, side, _baseline, _target in INDICATORS[:SHARED]:
            found[name] = SharedIndicator.objects.filter(name=name).first() or services.shared_indicator_create(
                created_by=None, valid_from=self.today - relativedelta(years=5), name=name, unit=unit,
                direction=Indicator.Direction.INCREASE, concerns=side, category=WelcomingStandard.CONNECTED_COMMUNITIES,
                aggregation="sum" if unit in ("count", "currency") else "median",
                definition="Seeded by seed_scale for benchmarks.",
            )  # fmt: skip
        return found

    def indicators(self) -> None:
        rng, today = self.rng, self.today
        shared = self.shared_indicators()
        first = {}
        for i in self.initiatives:
            first.setdefault(i.organization_id, i.pk)
        indicators = []
        for i in self.initiatives:
            for k in range(self.n.indicators):
                name, unit, side, baseline, target = INDICATORS[k % len(INDICATORS)]
                adopts = k < SHARED and first[i.organization_id] == i.pk
                indicators.append(
                    Indicator(
                        shared_indicator=shared[name] if adopts else None,
                        initiative=i,
                        name=name if k < len(INDICATORS) else f"{name} ({k // len(INDICATORS) + 1})",
                        unit=unit,
                        concerns=side,
                        baseline_value=Decimal(baseline),
                        baseline_date=i.start_date,
                        target_value=Decimal(target),
                        target_date=i.start_date + relativedelta(months=rng.choice([24, 30, 36])),
                        direction=Indicator.Direction.INCREASE if target > baseline else Indicator.Direction.DECREASE,
                        data_source="Sign-in sheets (counts only)",
                    )
                )
        self.w.create(Indicator, indicators, "indicators")
        staff_of = {i.pk: self.staff[i.organization_id] for i in self.initiatives}
        per = self.n.measurements

        def measurements():
            for indicator in indicators:
                span = max((today - indicator.baseline_date).days, 1)
                horizon = (indicator.target_date - indicator.baseline_date).days
                pace = rng.uniform(0.5, 1.1)
                entered_by = rng.choice(staff_of[indicator.initiative_id]).pk
                start, gap = float(indicator.baseline_value), float(indicator.target_value - indicator.baseline_value)
                for k in range(per):
                    days = span * (k + 1) // per
                    value = start + gap * pace * days / horizon * rng.uniform(0.93, 1.05)
                    yield {
                        "indicator_id": indicator.pk,
                        "date": indicator.baseline_date + timedelta(days=days),
                        "value": Decimal(f"{value:.2f}"),
                        "entered_by_id": entered_by,
                    }

        self.w.leaf(Measurement, measurements(), total=len(indicators) * per, label="measurements")

    def reviews(self) -> None:
        rng, today = self.rng, self.today
        schedules = []
        for i in self.initiatives:
            weekly = rng.random() < 0.3
            every, period = (4, ReviewSchedule.Period.WEEKS) if weekly else (1, ReviewSchedule.Period.MONTHS)
            past = max(self.n.reviews - services.REVIEWS_AHEAD, 0)
            step = relativedelta(weeks=4 * past) if weekly else relativedelta(months=past)
            schedules.append(
                ReviewSchedule(
                    initiative=i,
                    every=every,
                    period=period,
                    start_date=today - step + timedelta(days=rng.randint(0, 27)),
                    reminder_lead_days=rng.choice([7, 7, 14]),
                )
            )
        self.w.create(ReviewSchedule, schedules, "review schedules")
        self.w.leaf(
            ReviewSchedule.reviewers.through,
            (
                {"reviewschedule_id": s.pk, "user_id": u.pk}
                for s in schedules
                for u in self.staff[s.initiative.organization_id][:2]
            ),
            total=2 * len(schedules),
            label="reviewers",
        )

        def reviews():
            for s in schedules:
                dates = []
                for due in services.review_due_dates(s):
                    if len(dates) == self.n.reviews:
                        break
                    dates.append(due)
                past = [d for d in dates if d < today]
                open_past = set()
                if past and rng.random() < OVERDUE_LATEST:
                    open_past.add(past[-1])
                    if len(past) > 1 and rng.random() < OVERDUE_SECOND / OVERDUE_LATEST:
                        open_past.add(past[-2])
                staff = self.staff[s.initiative.organization_id]
                for due in dates:
                    row = {
                        "initiative_id": s.initiative_id,
                        "schedule_id": s.pk,
                        "due_date": due,
                        "remind_from": due - timedelta(days=s.reminder_lead_days),
                    }
                    if due < today and due not in open_past:
                        row.update(
                            held_on=min(today, due + timedelta(days=rng.choice([-3, -1, 0, 0, 2, 9]))),
                            attendees="Program staff, two volunteer interpreters, three participants",
                            findings=rng.choice(FINDINGS),
                            feedback_newcomers=rng.choice(FEEDBACK_NEWCOMERS),
                            feedback_receiving=rng.choice(FEEDBACK_RECEIVING),
                            decisions="Keep the current schedule.",
                            next_steps="Staff to draft the document checklist.",
                            held_by_id=rng.choice(staff).pk,
                        )
                    yield row

        self.w.leaf(EvaluationReview, reviews(), total=len(schedules) * self.n.reviews, label="reviews")


# --- reset --------------------------------------------------------------------------------------


def reset(tag: str) -> None:
    """Delete a tag's data set, biggest tables first, without loading rows into Python
    (a plain .delete() would fetch millions of rows to send signals)."""
    orgs = list(tag_organizations(tag).values_list("pk", flat=True))
    users = tag_users(tag)
    through = [
        (ReviewSchedule.reviewers.through, "reviewschedule__initiative__organization__in"),
        (Initiative.needs.through, "initiative__organization__in"),
        (Engagement.stakeholders.through, "engagement__organization__in"),
        (Engagement.staff.through, "engagement__organization__in"),
        (Need.evidence_questions.through, "need__organization__in"),
        (Need.evidence_consultations.through, "need__organization__in"),
    ]
    ordered = [
        (Reminder, "review__initiative__organization__in"),
        (Measurement, "indicator__initiative__organization__in"),
        (Answer, "response__survey__assessment__organization__in"),
        *through,
        (EvaluationReview, "initiative__organization__in"),
        (ReviewSchedule, "initiative__organization__in"),
        (Indicator, "initiative__organization__in"),
        (CalendarFeed, "organization__in"),
        (Task, "milestone__initiative__organization__in"),
        (Milestone, "initiative__organization__in"),
        (Activity, "initiative__organization__in"),
        (Funding, "initiative__organization__in"),
        (BudgetLine, "initiative__organization__in"),
        (InitiativePartner, "initiative__organization__in"),
        (Response, "survey__assessment__organization__in"),
        (Choice, "question__survey__assessment__organization__in"),
        (Question, "survey__assessment__organization__in"),
        (Survey, "assessment__organization__in"),
        (Need, "organization__in"),
        (Consultation, "organization__in"),
        (NeedsAssessment, "organization__in"),
        (Commitment, "stakeholder__organization__in"),
        (StanceChange, "stakeholder__organization__in"),
        (Engagement, "organization__in"),
        (ApiToken, "membership__organization__in"),
        (Invitation, "organization__in"),
    ]
    with transaction.atomic():
        Idea.objects.filter(
            models.Q(published_from__organization__in=orgs) | models.Q(credited_organization__in=orgs)
        ).update(published_from=None, credited_organization=None)
        for model, lookup in ordered:
            model.objects.filter(**{lookup: orgs})._raw_delete(model.objects.db)
        for model in (Initiative, Stakeholder, Membership):
            model.objects.filter(organization__in=orgs)._raw_delete(model.objects.db)
        # What is left is small; the ORM handles the remaining relations (SET_NULL, history).
        Organization.objects.filter(pk__in=orgs).delete()
        users.delete()
