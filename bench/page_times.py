"""Every main page's server time at full size: median and p95 over -n requests (test client), and its size.

After `seed_scale --large` the tag's first affiliate is the diocese-sized one (100 000 stakeholders,
50 000 responses, 5 000 initiatives), so this prints the large-affiliate budgets of issue #24:
p95 < 300 ms and HTML < 300 KB per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/page_times.py [--tag scale] [-n 10]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--progress", action="store_true", help="Print each page's row as soon as it is measured.")
    args = parser.parse_args()

    from bench._common import machine_note, print_table, setup, summary, time_calls

    setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pages import client_for, main_pages

    rows, clients = [], {}
    for name, who, url in main_pages(args.tag):
        client = clients.setdefault(who, client_for(who, args.tag))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        query_count = len(queries)
        median, p95 = summary(time_calls(lambda client=client, url=url: client.get(url), args.n, warmup=1))
        size = f"{len(response.content) / 1024:.0f} KB" if not response.streaming else "stream"
        rows.append(
            [name, response.status_code, query_count, f"{sql_ms:.1f}ms", f"{median:.1f}ms", f"{p95:.1f}ms", size]
        )
        if args.progress:  # a slow page at full size can take minutes: show each row as it comes
            print(*rows[-1], sep="\t", file=sys.stderr, flush=True)
    print_table(
        f"Server time per page over {args.n} requests, data set {args.tag!r}; {machine_note()}",
        ["page", "status", "queries", "SQL (one request)", "median", "p95", "HTML"],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
