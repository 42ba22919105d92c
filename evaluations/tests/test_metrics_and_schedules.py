import datetime as dt
from decimal import Decimal

import pytest

from evaluations import metrics, services
from evaluations.models import EvaluationReview, ReviewSchedule
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory, ReviewScheduleFactory

D = Decimal


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "expected"),
    [
        (D(0), D(100), D(25), D("0.25")),
        (D(20), D(120), D(70), D("0.5")),
        (D(0), D(100), D(150), D(1)),  # beyond the target: clamped
        (D(10), D(100), D(5), D(0)),  # below the baseline: clamped
        (D(40), D(10), D(25), D("0.5")),  # a decrease: 40 → 10, now 25 is half way
        (D(0), D(100), None, None),
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(baseline, target, latest, expected):
    assert metrics.progress(baseline, target, latest) == expected


def test_status_compares_progress_with_the_straight_line():
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 27)  # 360 days
    half_way = dt.date(2025, 6, 30)  # day 180
    assert metrics.expected(start, end, half_way) == D("0.5")
    assert metrics.status(D("0.45"), D("0.5")) == metrics.ON_TRACK  # 90 % of expected
    assert metrics.status(D("0.449"), D("0.5")) == metrics.AT_RISK
    assert metrics.status(D("0.30"), D("0.5")) == metrics.AT_RISK  # 60 %
    assert metrics.status(D("0.299"), D("0.5")) == metrics.OFF_TRACK
    assert metrics.status(None, D("0.5")) == metrics.NO_DATA
    assert metrics.status(D(0), D(0)) == metrics.ON_TRACK  # the line has not started


def test_indicator_progress_reads_at_the_latest_measurement(db):
    indicator = IndicatorFactory(
        baseline_value=D(0), target_value=D(200), baseline_date=dt.date(2025, 1, 1), target_date=dt.date(2026, 1, 1)
    )
    result = metrics.indicator_progress(indicator, D(50), dt.date(2025, 7, 2))  # 182 of 365 days
    assert result.percent == 25 and result.expected_percent == 50
    assert result.status == metrics.OFF_TRACK  # 25 / 49.9 ≈ 50 % of expected


def _dates(**kwargs):
    schedule = ReviewSchedule(**kwargs)
    generator = services.review_due_dates(schedule)
    return [next(generator) for _ in range(5)]


def test_monthly_schedule_keeps_the_month_end_across_short_months_and_leap_years():
    assert _dates(every=1, period="months", start_date=dt.date(2024, 1, 31)) == [
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),  # leap year
        dt.date(2024, 3, 31),  # back to the 31st, not the 29th
        dt.date(2024, 4, 30),
        dt.date(2024, 5, 31),
    ]
    assert _dates(every=1, period="months", start_date=dt.date(2023, 1, 31))[1] == dt.date(2023, 2, 28)


def test_yearly_schedule_from_a_leap_day():
    assert _dates(every=12, period="months", start_date=dt.date(2024, 2, 29)) == [
        dt.date(2024, 2, 29),
        dt.date(2025, 2, 28),
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 28),
        dt.date(2028, 2, 29),
    ]


def test_weekly_schedule_crosses_the_year_end():
    assert _dates(every=2, period="weeks", start_date=dt.date(2024, 12, 18))[:3] == [
        dt.date(2024, 12, 18),
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 15),
    ]


def test_generation_keeps_four_reviews_ahead_and_is_idempotent(organization):
    schedule = ReviewScheduleFactory(organization=organization, every=3, start_date=dt.date(2024, 1, 31))
    today = dt.date(2025, 3, 1)
    assert services.schedule_generate_reviews(schedule=schedule, today=today) == 4
    assert services.schedule_generate_reviews(schedule=schedule, today=today) == 0
    reviews = list(EvaluationReview.objects.filter(schedule=schedule).order_by("due_date"))
    assert [r.due_date for r in reviews] == [
        dt.date(2025, 4, 30),
        dt.date(2025, 7, 31),
        dt.date(2025, 10, 31),
        dt.date(2026, 1, 31),
    ]
    assert reviews[0].remind_from == dt.date(2025, 4, 23)  # seven days' lead


def test_changing_the_rhythm_replaces_open_future_reviews_only(organization, editor_user):
    initiative = ReviewScheduleFactory(organization=organization).initiative
    today = dt.date(2025, 3, 1)
    schedule = services.schedule_save(
        initiative=initiative, every=1, period="months", start_date=dt.date(2025, 1, 10),
        reminder_lead_days=7, reviewers=[editor_user], today=today,
    )  # fmt: skip
    assert schedule.reviews.count() == 4
    services.schedule_save(
        initiative=initiative, every=2, period="weeks", start_date=dt.date(2025, 3, 3),
        reminder_lead_days=3, reviewers=[editor_user], today=today,
    )  # fmt: skip
    dates = list(schedule.reviews.order_by("due_date").values_list("due_date", "remind_from"))
    assert dates[0] == (dt.date(2025, 3, 3), dt.date(2025, 2, 28))
    assert len(dates) == 4


def test_holding_a_review_snapshots_indicator_values_of_that_day(organization, editor_user):
    schedule = ReviewScheduleFactory(organization=organization)
    indicator = IndicatorFactory(initiative=schedule.initiative, name="ID cards issued")
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 3, 1), value=D(30))
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 5, 1), value=D(45))  # after the review
    review = EvaluationReview.objects.create(
        initiative=schedule.initiative,
        schedule=schedule,
        due_date=dt.date(2025, 4, 15),
        remind_from=dt.date(2025, 4, 8),
    )
    services.review_hold(
        review=review, held_on=dt.date(2025, 4, 14), attendees="Staff", findings="Going well",
        feedback_newcomers="More hours", feedback_receiving="More events", decisions="", next_steps="",
        held_by=editor_user, today=dt.date(2025, 4, 14),
    )  # fmt: skip
    review.refresh_from_db()
    (row,) = review.indicator_snapshot
    assert row["name"] == "ID cards issued" and D(row["value"]) == 30 and row["measured_on"] == "2025-03-01"
    assert schedule.reviews.filter(held_on__isnull=True, due_date__gte=dt.date(2025, 4, 14)).count() == 4


@pytest.mark.django_db
def test_daily_top_up_keeps_four_reviews_ahead_even_when_none_is_held(organization):
    import datetime as _dt

    from evaluations import services
    from evaluations.models import EvaluationReview
    from evaluations.tests.factories import ReviewScheduleFactory

    schedule = ReviewScheduleFactory(initiative__organization=organization)
    start = _dt.date(2026, 1, 1)
    services.schedule_generate_reviews(schedule=schedule, today=start)
    first = EvaluationReview.objects.filter(schedule=schedule).count()
    later = max(EvaluationReview.objects.filter(schedule=schedule).values_list("due_date", flat=True))

    created = services.schedules_top_up(today=later)

    open_ahead = EvaluationReview.objects.filter(schedule=schedule, held_on__isnull=True, due_date__gte=later)
    assert created > 0 and open_ahead.count() == 4
    assert services.schedules_top_up(today=later) == 0  # idempotent
    assert EvaluationReview.objects.filter(schedule=schedule).count() == first + created
