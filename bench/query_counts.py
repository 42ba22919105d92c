"""Bench 1: the number of queries of every main page, at 1× and at 10× data; they must be equal.

Creates its own test database (test_<name> on PostgreSQL, in memory on SQLite),
seeds 1× with seed_scale, counts, seeds 10× (more affiliates, and 10× the rows
each page lists), counts again, drops the database. Exits 1 if any count differs
or any page does not answer 200.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/query_counts.py
    python bench/query_counts.py          # SQLite, in memory
"""

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TAG = "qcount"
ONE = {
    "affiliates": 2, "initiatives": 3, "indicators": 2, "measurements": 3, "responses": 10, "surveyed": 1,
    "reviews": 6, "stakeholders": 5, "needs": 3, "members": 3,
}  # fmt: skip
TEN = {
    "affiliates": 20, "initiatives": 30, "indicators": 10, "measurements": 30, "responses": 100, "surveyed": 10,
    "reviews": 60, "stakeholders": 50, "needs": 30, "members": 10,
}  # fmt: skip


def count_queries(tag: str) -> dict[str, tuple[str, int, int]]:
    """{page: (url, status, queries)} for the tag's first affiliate; each page is
    requested once to warm per-process caches, then counted. The board dashboard's
    cached copy is dropped before counting: what could grow with the data is building it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pages import affiliate, client_for, main_pages
    from evaluations import caching

    organization = affiliate(tag)
    clients, result = {}, {}
    for name, who, url in main_pages(tag):
        client = clients.setdefault(who, client_for(who, tag))
        client.get(url)
        caching.organization_changed(organization.pk)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result[name] = (url, response.status_code, len(queries))
    return result


def compare(one: dict, ten: dict, tag: str = TAG, out=None) -> list[list]:
    """Seed `one`, count, reseed `ten`, count: rows of (page, status 1×, 10×, queries 1×, 10×, same?)."""
    from django.core.management import call_command

    out = out or io.StringIO()
    call_command("seed_scale", tag=tag, reset=True, stdout=out, **one)
    small = count_queries(tag)
    call_command("seed_scale", tag=tag, reset=True, stdout=out, **ten)
    big = count_queries(tag)
    rows = []
    for name, (_url, status, queries) in small.items():
        _url10, status10, queries10 = big[name]
        ok = queries == queries10 and status == status10 == 200
        rows.append([name, status, status10, queries, queries10, "yes" if ok else "NO"])
    return rows


def main() -> int:
    from bench._common import print_table, setup

    setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows = compare(ONE, TEN)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print_table(
        f"Queries per page on {connection.vendor}, 1× vs 10× data (seed_scale {ONE} vs {TEN})",
        ["page", "status 1×", "status 10×", "queries 1×", "queries 10×", "equal"],
        rows,
    )
    bad = [r[0] for r in rows if r[-1] != "yes"]
    if bad:
        print(
            f"\nFAIL: {len(bad)} {'page differs' if len(bad) == 1 else 'pages differ'} or did not answer 200: {', '.join(bad)}"
        )
        return 1
    print(f"\nOK: all {len(rows)} pages make the same number of queries at 1× and 10×.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
