"""Bench 4: the reminder sweep over the seeded reviews with 1 000 vs 10 000 due.

"Due" is what the sweep selects: open reviews whose remind_from has come, of a
schedule, of an initiative that is not cancelled (upcoming, due today or
overdue). For each size the bench holds or reopens reviews until exactly that
many are due, runs evaluations.services.reminder_sweep with a dispatcher that
sends nothing, runs it a second time (it must create nothing), and rolls
everything back: the seeded data is left as it was. Target: < 5 s, and work
proportional to the due count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ih_scale python bench/reminder_sweep.py [--due 1000 10000]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Rollback(Exception):
    pass


def due_reviews(today):
    """The sweep's own query (evaluations.selectors.reviews_due_for_reminders)."""
    from evaluations.selectors import reviews_due_for_reminders

    return reviews_due_for_reminders(today)


def make_due(today, target: int) -> int:
    """Hold the surplus (latest first) or reopen held past reviews until `target` are due."""
    from django.db.models import F

    from evaluations.models import EvaluationReview
    from initiatives.models import Initiative

    current = due_reviews(today).count()
    if current > target:
        surplus = list(due_reviews(today).order_by("-due_date", "-pk").values_list("pk", flat=True)[: current - target])
        EvaluationReview.objects.filter(pk__in=surplus).update(held_on=F("due_date"))
    elif current < target:
        held = (
            EvaluationReview.objects.filter(held_on__isnull=False, remind_from__lte=today, schedule__isnull=False)
            .exclude(initiative__status=Initiative.Status.CANCELLED)
            .order_by("-due_date", "-pk")
            .values_list("pk", flat=True)[: target - current]
        )
        EvaluationReview.objects.filter(pk__in=list(held)).update(held_on=None)
    return due_reviews(today).count()


def sweep(today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.services import reminder_sweep

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = reminder_sweep(today=today, dispatch=lambda ids, result: None)
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()

    from bench._common import machine_note, print_table, setup

    setup()
    from django.db import transaction
    from django.utils import timezone

    from evaluations.models import EvaluationReview, Reminder, ReviewSchedule

    today = timezone.localdate()
    total = EvaluationReview.objects.count()
    scheduled = EvaluationReview.objects.filter(schedule__isnull=False).count()
    rows, misses, per_due = [], [], []
    for target in args.due:
        try:
            with transaction.atomic():
                due = make_due(today, target)
                before = Reminder.objects.count()
                first, first_time, first_queries = sweep(today)
                written = Reminder.objects.count() - before
                second, second_time, second_queries = sweep(today)
                written_again = Reminder.objects.count() - before - written
                raise Rollback
        except Rollback:
            pass
        met = first_time < 5 and written_again == 0
        if not met or due != target:
            misses.append(target)
        per_due.append(first_time / max(due, 1))
        rows.append(
            [
                f"{due:,} due",
                f"{first_time:.2f}s",
                first_queries,
                written,
                len(first.pending),
                f"{second_time:.2f}s",
                second_queries,
                written_again,
                f"{1000 * first_time / max(due, 1):.2f}ms",
                "yes" if met and due == target else "NO",
            ]
        )
    print_table(
        f"reminder_sweep over {scheduled:,} scheduled reviews ({total:,} in all), "
        f"{ReviewSchedule.objects.count():,} schedules, 2 reviewers each; rolled back; {machine_note()}",
        [
            "due",
            "1st sweep",
            "queries",
            "reminders written",
            "handed to send",
            "2nd sweep",
            "queries",
            "2nd: new rows",
            "time per due review",
            "< 5 s",
        ],
        rows,
    )
    print("\nThe second sweep, the same day, must write nothing: the unique constraint keeps every reminder once.")
    if len(per_due) > 1:
        print(f"Time per due review, largest vs smallest: {per_due[-1] / per_due[0]:.2f}× (1.0 = proportional).")
    if misses:
        print(f"MISSED for: {misses}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
