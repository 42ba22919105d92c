"""The pages that show the indicator status counts, for the large affiliate: each page timed with the
status-count cache entry dropped before every request (what the unchanged code did: count 15 000
indicators on every request) and with it kept (issue #24), interleaved in one run so both see the
same machine. The board dashboard's own HTML cache is dropped before each request in both columns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/status_counts_time.py [-n 20]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()

    from bench._common import machine_note, print_table, setup, summary

    setup()
    import time

    from django.core.cache import cache
    from django.urls import reverse

    from bench.pages import affiliate, client_for
    from evaluations import caching, selectors

    org = affiliate(args.tag)
    pages = [
        ("board report (2025)", "board", reverse("evaluations:report") + "?start=2025-01-01&end=2025-12-31"),
        ("board dashboard (its HTML cache dropped)", "board", reverse("evaluations:dashboard")),
        ("evaluation overview", "admin", reverse("evaluations:index")),
        ("home", "admin", reverse("home")),
    ]
    clients: dict = {}
    rows = []
    for name, who, url in pages:
        client = clients.setdefault(who, client_for(who, args.tag))
        client.get(url)
        timings: dict[str, list[float]] = {"counted": [], "cached": []}
        for _ in range(args.n):
            for mode in ("counted", "cached"):
                caching._drop_entries(org.pk)  # the dashboard's HTML and the status counts
                if mode == "cached":
                    client.get(url)  # fills the status counts (the page after any write does the same)
                    for key in list(_dashboard_keys(caching, org)):
                        cache.delete(key)
                started = time.perf_counter()
                response = client.get(url)
                timings[mode].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        (c_med, c_p95), (k_med, k_p95) = summary(timings["counted"]), summary(timings["cached"])
        rows.append([name, f"{c_med:.1f} ms", f"{c_p95:.1f} ms", f"{k_med:.1f} ms", f"{k_p95:.1f} ms"])
    print_table(
        f"Status counts counted on every request vs cached by board version, {org.slug}, "
        f"{selectors.Indicator.objects.for_organization(org).count()} indicators, {args.n} requests each ({machine_note()})",
        ["page", "counted: median", "counted: p95", "cached: median", "cached: p95"],
        rows,
    )
    return 0


def _dashboard_keys(caching, org):
    """The dashboard's HTML entries of the current version (kept out of the 'cached' column)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    today = timezone.now().date()
    for code, _name in settings.LANGUAGES:
        for offset in (-1, 0, 1):
            yield caching._key(org.pk, org.board_version, code, today + timedelta(days=offset))


if __name__ == "__main__":
    sys.exit(main())
