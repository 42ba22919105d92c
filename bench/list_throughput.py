"""Bench 3: initiative list throughput vs the Django admin changelist of Initiative.

Both are served by gunicorn (2 sync workers, bench settings, DEBUG off) on
127.0.0.1, and driven by wrk in the same run with a logged-in session cookie:
the same affiliate's initiatives, 25 a page, ordered by creation (the admin
changelist comes from bench/urls.py: same columns, lead and idea joined).
Target: list requests/s ÷ admin requests/s ≥ 1.0.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/list_throughput.py [--seconds 15]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PORT = 8006


def bench_user(tag: str):
    """A superuser who is also admin of the tag's first affiliate (removed with the tag by --reset)."""
    from bench.pages import affiliate
    from integration_hub.models import Membership, Role, User

    org = affiliate(tag)
    user, _ = User.objects.get_or_create(
        email=f"bench@{org.slug}.example", defaults={"first_name": "Bench", "last_name": "Runner"}
    )
    user.is_staff = user.is_superuser = True
    user.save()
    Membership.objects.get_or_create(user=user, organization=org, defaults={"role": Role.ADMIN})
    return user, org


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    from bench._common import fetch, gunicorn, machine_note, print_table, session_cookie, setup, warm, wrk

    setup()
    from django.db import connection
    from django.urls import reverse

    from initiatives.models import Initiative

    user, org = bench_user(args.tag)
    cookie = session_cookie(user, org)
    rows_in_org = Initiative.objects.for_organization(org).count()
    paths = [
        ("initiative list", reverse("initiatives:index")),
        ("admin changelist", f"/admin/initiatives/initiative/?organization__id__exact={org.pk}"),
    ]
    connection.close()  # gunicorn's workers open their own
    results = []
    with gunicorn(PORT, workers=2) as base:
        for name, path in paths:
            status, body = fetch(base + path, {"Cookie": cookie})
            if status != 200:
                print(f"{name}: {base + path} answered {status}, not 200: {body[:300]!r}")
                return 2
            warm(base + path, {"Cookie": cookie})
            result = wrk(base + path, seconds=args.seconds, connections=args.connections, headers=[f"Cookie: {cookie}"])
            results.append((name, path, result))
    list_rps, admin_rps = results[0][2]["rps"], results[1][2]["rps"]
    ratio = list_rps / admin_rps if admin_rps else float("inf")
    rows = [
        [
            name,
            path,
            r["requests"],
            f"{r['rps']:.1f}",
            f"{r['p50_ms']:.1f}ms",
            f"{r['p99_ms']:.1f}ms",
            r["non_2xx_3xx"] + r["socket_errors"],
        ]
        for name, path, r in results
    ]
    print_table(
        f"wrk, {args.seconds}s each, {args.connections} connections, gunicorn 2 workers on 127.0.0.1; "
        f"{org.slug}: {rows_in_org} initiatives of {Initiative.objects.count():,}; {machine_note()}",
        ["page", "path", "requests", "requests/s", "p50", "p99", "errors"],
        rows,
    )
    met = ratio >= 1.0 and all(r["non_2xx_3xx"] + r["socket_errors"] == 0 for _n, _p, r in results)
    print(f"\nlist ÷ admin = {ratio:.2f} (target ≥ 1.0): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
