"""Bench 7: the public survey's two hand-written SQL paths against the plain ORM, side by side.

- read: `assessments.selectors.public_survey` (one raw SELECT, instances built with from_db)
  against the ORM query that loads the same columns (select_related + only);
- write: `assessments.services._response_insert_postgresql` (one INSERT ... WITH ... UNNEST
  statement) against `_response_insert_orm` (BEGIN, INSERT, bulk INSERT, COMMIT), PostgreSQL only.

It builds its own small data in a throw-away test database (one affiliate, a collecting survey
of 12 questions, the demo's shapes), so it needs no seed_scale. Each variant runs in alternating
rounds of --calls calls; the table gives the median time per call over the rounds, and the
share of CPU time (process time) as well, since the submission path is CPU-bound on 2 cores.

    python bench/survey_tricks.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_bench python bench/survey_tricks.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def public_survey_orm(token: str):
    """The plain ORM version of selectors.public_survey: the same rows, columns and instances."""
    from assessments.models import NeedsAssessment, Survey

    try:
        return (
            Survey.objects.filter(token=token, assessment__status=NeedsAssessment.Status.COLLECTING)
            .select_related("assessment__organization")
            .only(
                "id",
                "token",
                "title",
                "intro",
                "purpose",
                "contact",
                "results_shared",
                "structure_version",
                "assessment__id",
                "assessment__title",
                "assessment__status",
                "assessment__period_start",
                "assessment__period_end",
                "assessment__organization__id",
                "assessment__organization__name",
            )
            .get()
        )
    except Survey.DoesNotExist:
        return None


def seed():
    from datetime import date

    from assessments.models import Choice, NeedsAssessment, Question, RespondentSide, Survey
    from assessments.services import ParsedAnswer
    from integration_hub.models import Organization

    organization = Organization.objects.create(name="Riverside Immigrant Services", slug="riverside")
    assessment = NeedsAssessment.objects.create(
        organization=organization,
        title="Community needs 2026",
        status=NeedsAssessment.Status.COLLECTING,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    survey = Survey.objects.get_or_create(assessment=assessment)[0]
    answers = []
    for position in range(1, 13):
        kind = (Question.Kind.SINGLE, Question.Kind.SCALE, Question.Kind.SHORT_TEXT)[position % 3]
        question = Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text={"en": f"Question {position}", "es": f"Pregunta {position}"},
        )
        if kind == Question.Kind.SINGLE:
            choices = [
                Choice.objects.create(question=question, position=i, label={"en": f"Option {i}"}) for i in (1, 2, 3)
            ]
            answers.append(ParsedAnswer(question=question, choice=choices[1]))
        elif kind == Question.Kind.SCALE:
            answers.append(ParsedAnswer(question=question, number=4))
        else:
            answers.append(
                ParsedAnswer(question=question, text="Más clases de inglés por la tarde, cerca del autobús.")
            )
    return survey, answers, RespondentSide.NEWCOMER


def timed(function, calls: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds per call."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        function()
    return 1000 * (time.perf_counter() - wall) / calls, 1000 * (time.process_time() - cpu) / calls


def compare(variants: dict, calls: int, rounds: int) -> dict:
    results = {name: ([], []) for name in variants}
    for function in variants.values():
        function()  # warm: connection, compiled statements, caches
    for _ in range(rounds):
        for name, function in variants.items():
            wall, cpu = timed(function, calls)
            results[name][0].append(wall)
            results[name][1].append(cpu)
    return {name: (statistics.median(w), statistics.median(c)) for name, (w, c) in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from assessments import selectors, services
    from assessments.models import Response
    from bench._common import machine_note, print_table

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        survey, answers, side = seed()
        token = survey.token
        assert (
            selectors.public_survey(token).assessment.organization.name
            == public_survey_orm(token).assessment.organization.name
        )

        rows = []
        read = compare(
            {"raw SQL": lambda: selectors.public_survey(token), "ORM": lambda: public_survey_orm(token)},
            args.calls,
            args.rounds,
        )
        for name, function in (("raw SQL", selectors.public_survey), ("ORM", public_survey_orm)):
            with CaptureQueriesContext(connection) as queries:
                function(token)
            rows.append(["read public_survey", name, *read[name], len(queries)])

        def submit(insert):
            return lambda: insert(
                Response(survey=survey, side=side, submitted_on=survey.assessment.period_start), answers
            )

        writers = {"ORM": submit(services._response_insert_orm)}
        if connection.vendor == "postgresql":
            writers["raw SQL"] = submit(services._response_insert_postgresql)
        write = compare(writers, args.calls, args.rounds)
        for name in writers:
            with CaptureQueriesContext(connection) as queries:
                writers[name]()
            rows.append([f"write a response, {len(answers)} answers", name, *write[name], len(queries)])

        print_table(
            f"public survey paths on {connection.vendor}, median of {args.rounds} rounds × {args.calls} calls; "
            f"{machine_note()}",
            ["path", "variant", "ms per call", "CPU ms per call", "statements"],
            [[path, name, f"{wall:.3f}", f"{cpu:.3f}", n] for path, name, wall, cpu, n in rows],
        )
        for label, figures in (("read", read), ("write", write)):
            if "raw SQL" in figures:
                orm, raw = figures["ORM"], figures["raw SQL"]
                print(f"{label}: ORM / raw SQL = {orm[0] / raw[0]:.2f}× wall, {orm[1] / raw[1]:.2f}× CPU")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
