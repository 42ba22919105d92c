"""Bench 5: public survey submissions per second through gunicorn (2 workers) on 127.0.0.1.

wrk posts a complete, valid answer to one seeded survey's public link
(/needs/s/<token>/, CSRF-exempt, no cookie) for --seconds. A valid answer is
answered with a redirect to the thank-you page; anything else counts as an
error. Afterwards the bench checks that the survey gained at least as many
responses as wrk counted (nothing lost), then deletes the responses it added.

The public link is rate-limited per survey (SURVEY_SUBMISSIONS_PER_MINUTE, 30 a
minute in the app). For this run only, gunicorn gets
SURVEY_SUBMISSIONS_PER_MINUTE=1000000000 through the environment (read by
bench/settings.py): the bench measures the submission path, not the limiter. The
limiter still runs (its cache.count, one Redis round trip), on REDIS_URL if set
(use one: the two workers then share the count, as in production), else in each
worker's memory.

gunicorn runs 2 gthread workers with 4 threads each (--workers, --worker-class,
--threads to compare). On the 2-core machine, shared with other work, 5 pairs
of 8-second runs one after the other (load 5-7) gave 143-234/s with 2 sync
workers and 249-399/s with 2 × 4 threads, the threaded server ahead in every
pair: a sync worker sits idle while its request waits for PostgreSQL (the
commit's WAL flush takes ~2 ms here) or Redis; 5 sync workers (2 × cores + 1)
did no better than 2 (208-371/s against 125-371/s in the same three rounds).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale REDIS_URL=redis://127.0.0.1:6379/6 \\
        python bench/survey_submissions.py [--seconds 20]
Target: ≥ 300 submissions/s with zero errors.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PORT = 8007
LIMIT_FOR_BENCH = "1000000000"


def valid_answer(survey) -> dict[str, list[str]]:
    """A complete answer: the first option of choice questions, 3 on scales, the
    smallest allowed number, a short text."""
    from assessments.models import Question, RespondentSide
    from assessments.public import SIDE_FIELD, field_name
    from assessments.selectors import survey_questions

    data = {SIDE_FIELD: [RespondentSide.NEWCOMER], "lang": ["en"]}
    for question in survey_questions(survey):
        name = field_name(question)
        if question.is_choice:
            data[name] = [str(question.choices.all()[0].pk)]
        elif question.kind == Question.Kind.SCALE:
            data[name] = ["3"]
        elif question.is_numeric:
            data[name] = [str(question.bounds[0])]
        else:
            data[name] = ["More evening classes, please."]
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="scale")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class: gthread or sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    args = parser.parse_args()
    server = f"gunicorn {args.workers} {args.worker_class} workers" + (
        f" × {args.threads} threads" if args.threads > 1 else ""
    )

    from bench._common import fetch, gunicorn, machine_note, print_table, setup, wrk

    setup()
    from django.conf import settings
    from django.db import connection

    from assessments.models import NeedsAssessment, Response, Survey

    survey = (
        Survey.objects.filter(
            assessment__organization__slug__startswith=f"{args.tag}-",
            assessment__status=NeedsAssessment.Status.COLLECTING,
        )
        .order_by("pk")
        .first()
    )
    if survey is None:
        print(f"No collecting survey in the data set {args.tag!r}: run seed_scale first.")
        return 2
    body = urlencode(valid_answer(survey), doseq=True)
    path = survey.get_public_url()
    first_new_id = (Response.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    before = Response.objects.filter(survey=survey).count()
    connection.close()
    script = (
        'wrk.method = "POST"\n'
        f'wrk.body = "{body}"\n'  # url-encoded: no quote or backslash inside
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )
    env = {"SURVEY_SUBMISSIONS_PER_MINUTE": LIMIT_FOR_BENCH}
    with gunicorn(PORT, workers=args.workers, env=env, worker_class=args.worker_class, threads=args.threads) as base:
        status, page = fetch(base + path, {"Content-Type": "application/x-www-form-urlencoded"}, data=body.encode())
        if status != 302:
            print(f"A valid answer was answered {status}, not 302: {page[:500]!r}")
            return 2
        result = wrk(base + path, seconds=args.seconds, connections=args.connections, script=script)
        # Ceilings on this machine, same server and load tool: a static file (no view) and a
        # page that renders a template without touching the database.
        ceilings = [
            (label, wrk(base + url, seconds=10, connections=args.connections))
            for label, url in (("GET a static file", "/static/css/app.css"), ("GET /privacy/ (no query)", "/privacy/"))
        ]
    added = Response.objects.filter(survey=survey).count() - before
    errors = result["non_2xx_3xx"] + result["socket_errors"]
    lost = max(0, result["requests"] + 1 - added)
    Response.objects.filter(survey=survey, pk__gte=first_new_id).delete()
    cache = "Redis" if settings.REDIS_URL else "per-worker memory"
    print_table(
        f"wrk POST {path} for {args.seconds}s, {args.connections} connections, {server} on 127.0.0.1; "
        f"rate limit raised to {LIMIT_FOR_BENCH}/min for the run, limiter cache: {cache}; {machine_note()}",
        ["submissions", "per second", "p50", "p99", "errors", "responses stored", "lost"],
        [[result["requests"], f"{result['rps']:.1f}", f"{result['p50_ms']:.1f}ms", f"{result['p99_ms']:.1f}ms",
          errors, added, lost]],
    )  # fmt: skip
    print_table(
        "For scale, on the same server now",
        ["request", "per second", "p50", "p99", "errors"],
        [
            [
                label,
                f"{r['rps']:.1f}",
                f"{r['p50_ms']:.1f}ms",
                f"{r['p99_ms']:.1f}ms",
                r["non_2xx_3xx"] + r["socket_errors"],
            ]
            for label, r in ceilings
        ],
    )
    met = result["rps"] >= 300 and errors == 0 and lost == 0
    print(f"\nTarget ≥ 300/s with zero errors and nothing lost: {'met' if met else 'MISSED'}")
    print(f"(The {added:,} responses the run added were deleted again.)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
