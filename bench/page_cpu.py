"""Where a load-run request's time goes: the load run's pages (bench/locustfile.py), each asked
for -n times in this process through the test client, with the CPU time the process spent
(Python: templates, forms, the ORM building queries, middleware) apart from the time spent
waiting for PostgreSQL, per page; with --profile, cProfile's top functions over all of them.

On a 2-core machine the load run's 50 users keep both cores busy, so a page's p95 under load
is mostly the other requests' CPU time queued ahead of it: this shows which pages, and which
code, cost the most CPU per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/page_cpu.py [--tag scale]
        [--affiliate 2] [-n 20] [--profile 30]
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# (name, who, weight): the locustfile's tasks and weights (staff 3 : board 2), per page.
LOAD_MIX = [
    ("home", "staff", 3 * 2),
    ("initiative list", "staff", 3 * 3 + 2 * 2),
    ("initiative", "staff", 3 * 3 + 2 * 2),
    ("stakeholder list", "staff", 3 * 2),
    ("stakeholder", "staff", 3 * 2),
    ("evaluation", "staff", 3 * 2),
    ("indicator", "staff", 3 * 2),
    ("board dashboard", "board", 2 * 4),
    ("board report", "board", 2 * 1),
]


def load_pages(tag: str, number: int) -> dict[str, str]:
    from evaluations.models import Indicator
    from initiatives.models import Initiative
    from integration_hub.models import Organization
    from stakeholders.models import Stakeholder

    org = Organization.objects.get(slug=f"{tag}-{number:04d}")
    first = {
        model: model.objects.for_organization(org).order_by("pk").values_list("pk", flat=True).first()
        for model in (Initiative, Stakeholder, Indicator)
    }
    return org, {
        "home": "/",
        "initiative list": "/initiatives/",
        "initiative": f"/initiatives/{first[Initiative]}/",
        "stakeholder list": "/stakeholders/",
        "stakeholder": f"/stakeholders/{first[Stakeholder]}/",
        "evaluation": "/evaluation/",
        "indicator": f"/evaluation/indicators/{first[Indicator]}/",
        "board dashboard": "/evaluation/board/",
        "board report": "/evaluation/board/report/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("--affiliate", type=int, default=2, help="which affiliate (1 is the large one)")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions (by own time)")
    args = parser.parse_args()

    from bench._common import logged_in_client, machine_note, print_table, setup

    setup()
    from django.db import connection

    from integration_hub.models import User

    org, urls = load_pages(args.tag, args.affiliate)
    clients = {
        who: logged_in_client(User.objects.get(email=f"{who}@{org.slug}.example"), org) for who in ("staff", "board")
    }
    waits: list[float] = []

    def timed_execute(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waits.append(time.perf_counter() - started)

    profiler = cProfile.Profile() if args.profile else None
    rows, weighted_cpu, weight_total = [], 0.0, 0
    for name, who, weight in LOAD_MIX:
        client, url = clients[who], urls[name]
        for _ in range(2):  # warm: the first request fills caches and compiles templates
            client.get(url)
        cpu, wall, sql = [], [], []
        with connection.execute_wrapper(timed_execute):
            for _ in range(args.n):
                waits.clear()
                c0, w0 = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                response = client.get(url)
                if profiler:
                    profiler.disable()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                sql.append(sum(waits) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({url}) answered {response.status_code}")
        mean_cpu = sum(cpu) / len(cpu)
        weighted_cpu += mean_cpu * weight
        weight_total += weight
        rows.append(
            [name, who, weight, f"{sorted(wall)[len(wall) // 2]:.1f} ms", f"{mean_cpu:.1f} ms",
             f"{sum(sql) / len(sql):.1f} ms", f"{len(response.content) / 1024:.0f} KB"]
        )  # fmt: skip
    print_table(
        f"Load-run pages of {org.slug}, {args.n} requests each, test client in one process; {machine_note()}",
        ["page", "as", "weight", "median (wall)", "CPU (mean)", "waiting for SQL (mean)", "HTML"],
        rows,
    )
    mean = weighted_cpu / weight_total
    print(f"\nCPU per request, weighted by the load mix: {mean:.1f} ms; at the load run's rate of about")
    print(f"28 requests/s that is {mean * 28 / 1000:.2f} cores of Python before PostgreSQL, Redis and locust.")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
