"""Bench 9: the stakeholder CSV import at 1 000, 10 000 and 100 000 rows, end to end (issue #24).

Each size is one realistic file under the 5 MB upload limit: accented and non-Latin names, every
sector, influence, stance and "speaks for" value (as stored values, English and Spanish labels,
in any case, or left blank for the default), quoted cells with commas, quotes and line breaks,
a guarded formula, long notes, role titles and tags at their length limits, and duplicates: rows
of stakeholders the affiliate already has (other case and spacing) and rows that repeat an
earlier line. It goes the way a user's upload goes: `stakeholders_import_check` (what the request
checks), `jobs.job_create`, then the worker's task `tasks.run_job`, which claims the job and runs
the import in one transaction, and the figures are checked (status, rows created, duplicates
skipped). The clock covers those three steps; queries are counted over them; the peak memory is
the Python heap's peak (tracemalloc) over a second run of the same file for a fresh affiliate,
untimed, since tracing slows Python down by a large factor.

It works in a throw-away test database it creates and drops itself, so it needs no seed_scale.
Target: 100 000 rows in < 60 s (exit 1 otherwise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_bench REDIS_URL=redis://127.0.0.1:6379/4 \
        python bench/import_time.py [--rows 1000 10000 100000] [--no-memory]
"""

import argparse
import cProfile
import csv
import io
import pstats
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_ROWS, BUDGET_SECONDS = 100_000, 60
COLUMNS = [
    "name", "affiliation", "sector", "influence", "stance", "speaks_for",
    "role_title", "email", "phone", "tags", "notes",
]  # fmt: skip
FIRST = [
    "José", "María", "Nguyễn", "Zoë", "Łukasz", "Siobhán", "Aïcha", "Ngozi", "Björn", "Fatma", "Renée", "Chloé",
    "Dũng", "Oğuz", "Ewa", "Søren", "Iñaki", "Ana", "Li", "Kwame", "Marisol", "Héctor", "Amara", "Yusuf",
    "Ólafur", "Zsófia", "Thảo", "Jürgen", "Noor", "Raúl", "Maëlle", "Đức", "Grace", "Tomás", "Leilani", "Wei",
    "Sun-hee", "Jean-Luc", "D'Andre", "Mary Ann", "Bartholomew", "Ramón", "Inés", "Ömer", "Ayşe", "Priya",
    "Samir", "Élodie", "Kofi", "Hana", "Lucía", "Ðorđe", "Xiadani", "Tūī", "Jo", "Ximena", "Gustavo", "Akosua",
    "Helen", "Bob",
]  # fmt: skip
LAST = [
    "García", "Nguyễn", "O'Brien", "Müller", "Kowalski", "Ó Súilleabháin", "Diallo", "Okafor", "Ångström",
    "Yılmaz", "Lefèvre", "Trần", "Çelik", "Nowak", "Jørgensen", "Etxeberria", "Pérez", "Wáng", "Mensah",
    "de la Cruz", "Hernández", "Abubakar", "Haddad", "Þórsson", "Kovács", "Phạm", "Groß", "Rahman",
    "Muñoz", "Le Gall", "Lê", "Smith", "van der Berg", "Kahananui", "Zhāng", "Kim", "St-Pierre", "Jones",
    "MacDonald", "Ruiz-Tagle", "Sánchez", "Öztürk", "Doğan", "Patel", "Khoury", "Dubois", "Asante", "Sato",
    "López", "Petrović", "Tlapoyawa", "Ngata", "Li", "Ramírez", "Barbosa", "Boateng", "Park", "Yost", "Ōta",
    "Schäfer",
]  # fmt: skip
AFFILIATIONS = [
    "", "Council", "Library", "Schools", "City Council", "Biblioteca", "Police", "St. Mary's", "Banco Popular", "Rotary",
    "School Board", "Mezquita", "Iglesia", "Credit Union", "La Voz", "Chamber", "Clínica", "YMCA",
    "Food Bank", "County", "Café Ñandú", "Église", "WDAY", "Hospital", "Bar Assoc.", "Lions Club",
    "Head Start", "Ciudad", "Transit", "Mosque",
]  # fmt: skip
ODD_NOTES = [
    'Said "maybe" twice, then yes.\nFollow up after the budget vote, 2031.',
    "Prefers WhatsApp; speaks Tagalog, Ilocano, English — not Spanish.",
    '=HYPERLINK("http://example.invalid")',  # a formula: the import keeps it as text
    "مرحبا — community liaison for the Yemeni families on the east side",
    "🙂 Met at the festival; wants a tour of the ESL class.",
]


def _choice_spellings():
    """Every valid spelling of each choice column: stored value, English and Spanish labels."""
    from django.utils import translation

    from stakeholders import services

    spellings = {}
    for column, (choices, _default) in services.CHOICE_COLUMNS.items():
        options = []
        for value, label in choices:
            options.append(str(value))
            for code in ("en", "es"):
                with translation.override(code):
                    options.append(str(label))
            options.append(str(label).upper())
        spellings[column] = options
    return spellings


def unique_people(n: int, offset: int = 0) -> list[tuple[str, str]]:
    """n distinct (name, affiliation) pairs, the same for the same offset."""
    people = []
    for i in range(offset, offset + n):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        block = i // (len(FIRST) * len(LAST))
        affiliation = AFFILIATIONS[block % len(AFFILIATIONS)]
        middle = "" if block < len(AFFILIATIONS) else f" {chr(65 + block // len(AFFILIATIONS))}."
        people.append((f"{first}{middle} {last}", affiliation))
    return people


def _shouted(name: str) -> str:
    """The name in capitals, as another spreadsheet wrote it, where that is still the same name
    compared case-insensitively (YILMAZ is not Yılmaz: the dotless ı has no capital of its own)."""
    upper = "  ".join(name.upper().split())
    return upper if upper.casefold().split() == name.casefold().split() else f" {name}"


def build_csv(rows: int, existing: list[tuple[str, str]], seed: int = 24) -> tuple[bytes, int, int]:
    """A file of `rows` data rows: (bytes, rows that import, duplicates it skips)."""
    from stakeholders.models import Stakeholder

    rng = random.Random(seed)
    spellings = _choice_spellings()
    repeats = rows // 200  # lines that repeat an earlier line
    fresh = unique_people(rows - len(existing) - repeats, offset=len(existing))
    people = list(fresh) + [(_shouted(name), f"  {aff} ") for name, aff in existing]
    rng.shuffle(people)
    for _ in range(repeats):
        people.insert(rng.randrange(len(people) // 2, len(people)), rng.choice(people[: len(people) // 2]))
    role_limit = Stakeholder._meta.get_field("role_title").max_length
    tags_limit = Stakeholder._meta.get_field("tags").max_length
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, (name, affiliation) in enumerate(people):
        row = dict.fromkeys(COLUMNS, "")
        row["name"], row["affiliation"] = name, affiliation
        for column, options in spellings.items():
            # Half the rows leave a choice blank (the default); the others spell it every way.
            if rng.random() < 0.5 or i < 100:
                row[column] = options[(i + len(column)) % len(options)]
        if i % 20 == 0:
            row["email"] = f"p{i}@x.example"
        if i % 25 == 0:
            row["phone"] = "+1 937-555-0100"
        if i % 40 == 0:
            row["tags"] = "ID program, city council"
        if i % 50 == 0:
            row["role_title"] = "Directora"
        if i % 500 == 0:
            row["notes"] = ODD_NOTES[(i // 500) % len(ODD_NOTES)]
        if i % 5000 == 1:
            row["role_title"] = ("Coordinadora de programas para familias recién llegadas, " * 4)[:role_limit]
            row["tags"] = ("ESL, ID program, library card, faith, " * 8)[:tags_limit]
            row["notes"] = "Très longue note, «con comillas» y, comas; " * 40
        writer.writerow([row[c] for c in COLUMNS])
    imported = len(fresh)
    return buffer.getvalue().encode("utf-8"), imported, rows - imported


def seed_affiliate(label: str, existing: list[tuple[str, str]]):
    from integration_hub.models import Membership, Organization, Role, User
    from stakeholders.models import Stakeholder

    organization = Organization.objects.create(name=f"Diocese of {label}", slug=f"import-{label}")
    user = User.objects.create_user(email=f"staff@{label}.example", password=None)
    Membership.objects.create(user=user, organization=organization, role=Role.EDITOR)
    Stakeholder.objects.bulk_create(
        [Stakeholder(organization=organization, name=name, affiliation=aff) for name, aff in existing]
    )
    return organization, user


def import_file(organization, user, data: bytes):
    """The user's way: the request's check, the job, then the worker's task."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from integration_hub import jobs, tasks
    from stakeholders import services

    upload = SimpleUploadedFile("stakeholders.csv", data, content_type="text/csv")
    raw = services.stakeholders_import_check(organization=organization, upload=upload)
    job = jobs.job_create(
        organization=organization, kind=services.IMPORT_JOB, created_by=user, upload=raw, upload_name=upload.name
    )
    outcome = tasks.run_job(job.pk)
    job.refresh_from_db()
    return outcome, job


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-memory", action="store_true", help="skip the second, traced run")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size's run (slower)")
    args = parser.parse_args()

    from bench._common import machine_note, print_table, setup

    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from stakeholders import services
    from stakeholders.models import Stakeholder

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    rows, problems, budget_met = [], [], True
    try:
        for size in args.rows:
            existing = unique_people(max(size // 100, 1))
            data, expected, duplicates = build_csv(size, existing)
            if len(data) > services.MAX_IMPORT_BYTES:
                problems.append(f"{size:,} rows: the file is {len(data):,} bytes, over the 5 MB limit")
            organization, user = seed_affiliate(f"{size}", existing)
            profiler = cProfile.Profile() if args.profile and size == max(args.rows) else None
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                outcome, job = import_file(organization, user, data)
                if profiler:
                    profiler.disable()
                    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            created = Stakeholder.objects.for_organization(organization).count() - len(existing)
            summary = job.result.get("summary", "")
            if outcome != "done" or created != expected or f"{duplicates} duplicates were skipped" not in summary:
                problems.append(f"{size:,} rows: {outcome}, {created:,} created of {expected:,}; {job.result}")
            peak = "—"
            if not args.no_memory:
                organization, user = seed_affiliate(f"{size}-traced", existing)
                tracemalloc.start()
                import_file(organization, user, data)
                peak = f"{tracemalloc.get_traced_memory()[1] / 1024 / 1024:.1f} MB"
                tracemalloc.stop()
            if size == BUDGET_ROWS and seconds >= BUDGET_SECONDS:
                budget_met = False
            rows.append(
                [
                    size,
                    f"{len(data) / 1024 / 1024:.2f} MB",
                    created,
                    duplicates,
                    f"{seconds:.2f}s",
                    f"{cpu:.2f}s",
                    f"{size / seconds:,.0f}",
                    len(queries),
                    peak,
                ]
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print_table(
        f"stakeholder import through its job (check, job, worker task) on {connection.vendor}; {machine_note()}",
        [
            "rows",
            "file",
            "imported",
            "duplicates skipped",
            "seconds",
            "CPU s (Python)",
            "rows/s",
            "queries",
            "peak memory",
        ],
        rows,
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if BUDGET_ROWS in args.rows:
        print(f"\nBudget: {BUDGET_ROWS:,} rows in < {BUDGET_SECONDS} s: {'met' if budget_met else 'MISSED'}.")
    return 0 if budget_met and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
