"""Bench 2: board dashboard and network roll-up server time vs the raw SQL they need.

Each page is requested 50 times through the test client (after 3 warm-up
requests) in this process; next to it, the raw SQL aggregates that page needs
are run 50 times on the same connection. Targets: page ≤ 2× raw SQL (median),
and p95 < 150 ms for an affiliate's board dashboard.

The board dashboard caches its body per organisation (evaluations/caching.py), so it
is timed twice: warm (filled by the warm-up, nothing writes meanwhile) and cold (the
organisation's cached copy dropped before each request, outside the timing). The
cache is the app's: in-process without REDIS_URL, Redis with it. Under the table,
for scale, the cheapest logged-in page of step 4: what every page pays before its
own work (session, user and membership lookups, middleware, the base layout).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/dashboard_time.py [--tag scale] [-n 50]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DASHBOARD_SQL = [
    # Indicators with their latest measurement (one index probe each).
    """SELECT i.id, i.name, i.unit, i.baseline_value, i.baseline_date, i.target_value, i.target_date,
              n.id, n.title, m.value, m.date
       FROM evaluations_indicator i
       JOIN initiatives_initiative n ON n.id = i.initiative_id
       LEFT JOIN LATERAL (SELECT value, date FROM evaluations_measurement
                          WHERE indicator_id = i.id ORDER BY date DESC, id DESC LIMIT 1) m ON true
       WHERE n.organization_id = %(org)s""",
    # Reviews held on time, late, overdue.
    """SELECT count(*), count(*) FILTER (WHERE r.held_on <= r.due_date), count(*) FILTER (WHERE r.held_on > r.due_date),
              count(*) FILTER (WHERE r.held_on IS NULL)
       FROM evaluations_evaluationreview r JOIN initiatives_initiative n ON n.id = r.initiative_id
       WHERE n.organization_id = %(org)s AND (r.held_on IS NOT NULL OR r.due_date < %(today)s)""",
    # Next six open reviews, every overdue one, the last 200 held.
    """SELECT r.id, r.due_date, n.title FROM evaluations_evaluationreview r
       JOIN initiatives_initiative n ON n.id = r.initiative_id
       WHERE n.organization_id = %(org)s AND r.held_on IS NULL AND r.due_date >= %(today)s
       ORDER BY r.due_date, r.id LIMIT 6""",
    """SELECT r.id, r.due_date, n.title FROM evaluations_evaluationreview r
       JOIN initiatives_initiative n ON n.id = r.initiative_id
       WHERE n.organization_id = %(org)s AND r.held_on IS NULL AND r.due_date < %(today)s
       ORDER BY r.due_date, r.id""",
    """SELECT r.id, r.due_date, r.held_on, n.title FROM evaluations_evaluationreview r
       JOIN initiatives_initiative n ON n.id = r.initiative_id
       WHERE n.organization_id = %(org)s AND r.held_on IS NOT NULL
       ORDER BY r.held_on DESC LIMIT 200""",
]
ROLLUP_SQL = [
    """SELECT n.status, count(*) FROM initiatives_initiative n
       JOIN integration_hub_organization o ON o.id = n.organization_id
       WHERE o.kind = 'affiliate' GROUP BY n.status""",
    """SELECT n.category, count(*) FROM initiatives_initiative n
       JOIN integration_hub_organization o ON o.id = n.organization_id
       WHERE o.kind = 'affiliate' GROUP BY n.category""",
    """SELECT o.state, count(DISTINCT o.id), count(n.id), count(n.id) FILTER (WHERE n.status = 'active')
       FROM integration_hub_organization o LEFT JOIN initiatives_initiative n ON n.organization_id = o.id
       WHERE o.kind = 'affiliate' GROUP BY o.state ORDER BY o.state""",
    """SELECT sum(a.newcomers), sum(a.receiving), sum(a.unknown), count(*) FROM initiatives_activity a
       JOIN initiatives_initiative n ON n.id = a.initiative_id
       JOIN integration_hub_organization o ON o.id = n.organization_id WHERE o.kind = 'affiliate'""",
    """SELECT f.source_kind, sum(f.pledged), sum(f.received) FROM initiatives_funding f
       JOIN initiatives_initiative n ON n.id = f.initiative_id
       JOIN integration_hub_organization o ON o.id = n.organization_id
       WHERE o.kind = 'affiliate' GROUP BY f.source_kind""",
    "SELECT count(*) FROM integration_hub_organization WHERE kind = 'affiliate'",
    "SELECT count(*) FROM initiatives_idea WHERE credited_organization_id IS NOT NULL",
    """SELECT count(*) FROM initiatives_initiative n JOIN integration_hub_organization o ON o.id = n.organization_id
       WHERE o.kind = 'affiliate' AND n.practice_status = 'proposed'""",
]
AFFILIATES_SQL = [
    # The list is paginated: how many affiliates, then the first page of 25 with each
    # one's figures (members, last login, initiatives by status, review timeliness).
    "SELECT count(*) FROM integration_hub_organization WHERE kind = 'affiliate'",
    """SELECT o.id, o.name, o.city, o.state,
              (SELECT count(*) FROM integration_hub_membership m WHERE m.organization_id = o.id),
              (SELECT max(u.last_login) FROM integration_hub_membership m
                 JOIN integration_hub_user u ON u.id = m.user_id WHERE m.organization_id = o.id),
              i.planned, i.active, i.completed, r.due, r.on_time, r.overdue
       FROM (SELECT id, name, city, state FROM integration_hub_organization WHERE kind = 'affiliate'
             ORDER BY state, name, id LIMIT 25) o
       CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE status = 'planned') AS planned,
                                  count(*) FILTER (WHERE status = 'active') AS active,
                                  count(*) FILTER (WHERE status = 'completed') AS completed
                           FROM initiatives_initiative WHERE organization_id = o.id) i
       CROSS JOIN LATERAL (SELECT count(*) AS due,
                                  count(*) FILTER (WHERE r.held_on <= r.due_date) AS on_time,
                                  count(*) FILTER (WHERE r.held_on IS NULL) AS overdue
                           FROM evaluations_evaluationreview r
                           JOIN initiatives_initiative n ON n.id = r.initiative_id
                           WHERE n.organization_id = o.id AND r.due_date < %(today)s) r
       ORDER BY o.state, o.name, o.id""",
]


def raw_runner(statements: list[str], params: dict):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()

    from bench._common import machine_note, print_table, setup, summary, time_calls

    setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from bench.pages import affiliate, client_for
    from evaluations import caching
    from evaluations.models import Measurement

    if connection.vendor != "postgresql":
        print("This bench needs PostgreSQL (DATABASE_URL=postgres://…), seeded with seed_scale.")
        return 2
    org = affiliate(args.tag)
    today = timezone.localdate()
    params = {"org": org.pk, "today": today}

    def drop_cache():
        caching.organization_changed(org.pk)

    dashboard = reverse("evaluations:dashboard")
    cases = [
        ("board dashboard (affiliate), warm cache", "board", dashboard, DASHBOARD_SQL, 150, None),
        ("board dashboard (affiliate), cold cache", "board", dashboard, DASHBOARD_SQL, 150, drop_cache),
        ("network roll-up", "network", reverse("network_overview"), ROLLUP_SQL, None, None),
        ("network: affiliates list", "network", reverse("affiliate_list"), AFFILIATES_SQL, None, None),
    ]
    clients = {who: client_for(who, args.tag) for who in {case[1] for case in cases}}
    rows, failures, raw_medians = [], [], {}
    try:
        for name, who, url, statements, p95_target, before in cases:
            client = clients[who]
            response = client.get(url)
            if response.status_code != 200:
                failures.append(f"{name}: status {response.status_code}")
                continue
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)  # now: the log is read lazily
            page = time_calls(lambda client=client, url=url: client.get(url), args.n, before=before)
            raw = time_calls(raw_runner(statements, params), args.n)
            page_median, page_p95 = summary(page)
            raw_median, raw_p95 = summary(raw)
            raw_medians.setdefault(id(statements), raw_median)
            ratio = page_median / raw_median
            met = ratio <= 2 and (p95_target is None or page_p95 < p95_target)
            if not met:
                failures.append(name)
            rows.append(
                [
                    name,
                    query_count,
                    f"{page_median:.1f}ms",
                    f"{page_p95:.1f}ms",
                    len(statements),
                    f"{raw_median:.1f}ms",
                    f"{raw_p95:.1f}ms",
                    f"{ratio:.2f}×",
                    "≤ 2×" + (f", p95 < {p95_target} ms" if p95_target else ""),
                    "yes" if met else "NO",
                ]
            )
        floor_url = reverse("evaluations:calendar")
        floor_median, floor_p95 = summary(time_calls(lambda: clients["board"].get(floor_url), args.n))
    finally:
        for client in clients.values():
            client.logout()  # leaves no session rows behind
    size = Measurement.objects.count()
    print_table(
        f"Server time over {args.n} requests (test client, DEBUG off) vs raw SQL; "
        f"{size:,} measurements in the database; affiliate {org.slug}; "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; {machine_note()}",
        ["page", "queries", "median", "p95", "raw SQL stmts", "raw median", "raw p95", "page/raw", "target", "met"],
        rows,
    )
    if id(DASHBOARD_SQL) in raw_medians:
        dashboard_raw = raw_medians[id(DASHBOARD_SQL)]
        print(
            f"\nFor scale: the calendar address page (one query of its own) takes {floor_median:.1f} ms median, "
            f"{floor_p95:.1f} ms p95: {floor_median / dashboard_raw:.2f}× the board dashboard's raw SQL "
            f"({dashboard_raw:.1f} ms) before any work of the dashboard's own."
        )
    if failures:
        print(f"\nMISSED: {', '.join(failures)}")
        return 1
    print("\nOK: every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
