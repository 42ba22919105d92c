import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import selectors
from evaluations.models import EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from evaluations.tests.factories import (
    EvaluationReviewFactory,
    IndicatorFactory,
    InitiativeFactory,
    MeasurementFactory,
    ReminderFactory,
    ReviewScheduleFactory,
)
from integration_hub.tests.factories import MembershipFactory

D = Decimal
INDICATOR_POST = {
    "name": "Bank accounts opened", "unit": "count", "concerns": "newcomers", "direction": "increase",
    "baseline_value": "10", "baseline_date": "2025-01-01", "target_value": "110", "target_date": "2026-01-01",
    "data_source": "Credit union",
}  # fmt: skip


@pytest.fixture
def initiative(organization):
    return InitiativeFactory(organization=organization, title="Library welcome desk")


# --- indicators and measurements ------------------------------------------------


def test_editor_adds_an_indicator(editor_client, initiative):
    response = editor_client.post(reverse("evaluations:indicator_create", args=[initiative.pk]), INDICATOR_POST)
    indicator = Indicator.objects.get()
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert indicator.initiative == initiative and indicator.target_value == 110


def test_a_target_equal_to_the_baseline_is_refused_with_a_clear_message(editor_client, initiative):
    data = {**INDICATOR_POST, "target_value": "10"}
    response = editor_client.post(reverse("evaluations:indicator_create", args=[initiative.pk]), data)
    assert response.status_code == 200
    assert "The target equals the baseline" in response.content.decode()
    assert 'value="Bank accounts opened"' in response.content.decode()  # what was typed is kept
    assert not Indicator.objects.exists()


def test_a_target_date_before_the_baseline_date_is_refused(editor_client, initiative):
    data = {**INDICATOR_POST, "target_date": "2024-06-01"}
    response = editor_client.post(reverse("evaluations:indicator_create", args=[initiative.pk]), data)
    assert "The target date must come after the baseline date." in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_database_refuses_a_target_equal_to_the_baseline(initiative):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(initiative=initiative, baseline_value=5, target_value=5)


def test_a_measurement_before_the_baseline_is_refused(editor_client, organization):
    indicator = IndicatorFactory(organization=organization, baseline_date=dt.date(2025, 1, 1))
    url = reverse("evaluations:measurement_create", args=[indicator.pk])
    response = editor_client.post(url, {"date": "2024-12-31", "value": "4"})
    assert "2024-12-31 is before the baseline date" in response.content.decode()
    assert not Measurement.objects.exists()
    response = editor_client.post(url, {"date": "2025-02-01", "value": "4", "note": "January sheets"})
    assert response.status_code == 302
    assert Measurement.objects.get().entered_by.email == "staff@riverside.example"


def test_quick_entry_records_several_indicators_for_one_date(editor_client, initiative):
    first, second, third = (IndicatorFactory(initiative=initiative) for _ in range(3))
    data = {"date": "2025-03-31", f"indicator_{first.pk}": "12", f"indicator_{second.pk}": "7.5"}
    response = editor_client.post(reverse("evaluations:measurement_quick_entry", args=[initiative.pk]), data)
    assert response.status_code == 302
    assert sorted(Measurement.objects.values_list("indicator_id", "value")) == [(first.pk, 12), (second.pk, D("7.5"))]
    assert not Measurement.objects.filter(indicator=third).exists()


def _upload(text):
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_csv_import_is_all_or_nothing_with_line_numbered_errors(editor_client, initiative):
    IndicatorFactory(initiative=initiative, name="ID cards issued")
    text = "indicator,date,value,note\nID cards issued,2025-02-01,12,\nID cards issued,2025-03-01,twelve,\nBus passes,2025-03-01,3,\n"
    url = reverse("evaluations:measurement_import", args=[initiative.pk])
    response = editor_client.post(url, {"file": _upload(text)}, follow=True)
    content = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported." in content
    assert "Line 3: “twelve” is not a number." in content
    assert "Line 4: “Bus passes” is not an indicator of this initiative." in content
    assert not Measurement.objects.exists()


def test_csv_import_stores_every_line_when_all_are_valid(editor_client, initiative):
    IndicatorFactory(initiative=initiative, name="ID cards issued")
    text = 'indicator,date,value\nid cards issued,2025-02-01,12\nID cards issued,2025-03-01,"1,020"\n'
    response = editor_client.post(
        reverse("evaluations:measurement_import", args=[initiative.pk]), {"file": _upload(text)}
    )
    assert response.status_code == 302
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [12, 1020]


# --- schedules and reviews ----------------------------------------------------------


def test_a_schedule_of_zero_weeks_is_refused_with_a_clear_message(editor_client, initiative, editor_user):
    data = {"every": "0", "period": "weeks", "start_date": "2025-03-01", "reminder_lead_days": "7"}
    response = editor_client.post(reverse("evaluations:schedule_edit", args=[initiative.pk]), data)
    assert "A review every 0 weeks is not a schedule. Choose 1 or more." in response.content.decode()
    assert not ReviewSchedule.objects.exists()


def test_a_schedule_generates_the_next_four_reviews(editor_client, initiative, editor_user):
    data = {
        "every": "3", "period": "months", "start_date": "2030-01-31", "reminder_lead_days": "7",
        "reviewers": [editor_user.pk],
    }  # fmt: skip
    response = editor_client.post(reverse("evaluations:schedule_edit", args=[initiative.pk]), data)
    assert response.status_code == 302
    assert list(EvaluationReview.objects.values_list("due_date", flat=True)) == [
        dt.date(2030, 1, 31), dt.date(2030, 4, 30), dt.date(2030, 7, 31), dt.date(2030, 10, 31),
    ]  # fmt: skip


def test_a_reviewer_from_another_organisation_is_refused(editor_client, initiative, outsider):
    data = {
        "every": "1", "period": "months", "start_date": "2030-01-01", "reminder_lead_days": "7",
        "reviewers": [outsider.pk],
    }  # fmt: skip
    response = editor_client.post(reverse("evaluations:schedule_edit", args=[initiative.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ReviewSchedule.objects.exists()


def test_holding_a_review_keeps_both_sides_feedback_apart(editor_client, organization):
    review = EvaluationReviewFactory(organization=organization, due_date=dt.date(2025, 4, 15))
    data = {
        "held_on": "2025-04-14", "attendees": "Staff, two volunteers", "findings": "More families came",
        "feedback_newcomers": "Saturday hours please", "feedback_receiving": "We want to help", "decisions": "",
        "next_steps": "",
    }  # fmt: skip
    response = editor_client.post(reverse("evaluations:review_hold", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.held_on == dt.date(2025, 4, 14) and review.held_on_time()
    assert review.feedback_newcomers == "Saturday hours please" and review.feedback_receiving == "We want to help"
    page = editor_client.get(review.get_absolute_url()).content.decode()
    assert "Saturday hours please" in page and "We want to help" in page


# --- overview, dashboard, report: numbers and query counts ---------------------------


@pytest.fixture
def board_fixture(organization):
    """Hand-computed: two indicators, four reviews.

    A: 0 → 100 over 2025 (365 days); latest 2025-07-02 (day 182, expected 49.9 %) = 50 → 50 %, on track.
    B: 0 → 200 over 2025; latest 2025-07-02 = 40 → 20 %; 20 / 49.9 = 40 % of expected → off track.
    Reviews (today 2025-08-01): due 03-01 held 02-27 (on time), due 06-01 held 06-10 (late),
    due 07-01 open (overdue), due 09-01 open (upcoming). Held or past due: 3; on time 1 → 33 %.
    """
    initiative = InitiativeFactory(organization=organization, title="Civic nights")
    common = {"baseline_date": dt.date(2025, 1, 1), "target_date": dt.date(2026, 1, 1), "baseline_value": 0}
    a = IndicatorFactory(initiative=initiative, name="A", target_value=100, **common)
    b = IndicatorFactory(initiative=initiative, name="B", target_value=200, **common)
    MeasurementFactory(indicator=a, date=dt.date(2025, 3, 1), value=10)
    MeasurementFactory(indicator=a, date=dt.date(2025, 7, 2), value=50)
    MeasurementFactory(indicator=b, date=dt.date(2025, 7, 2), value=40)
    schedule = ReviewScheduleFactory(initiative=initiative)
    for due, held in [((3, 1), (2, 27)), ((6, 1), (6, 10)), ((7, 1), None), ((9, 1), None)]:
        EvaluationReviewFactory(schedule=schedule, due_date=dt.date(2025, *due), held_on=held and dt.date(2025, *held))
    return {"a": a, "b": b, "initiative": initiative, "today": dt.date(2025, 8, 1)}


def test_dashboard_numbers_match_the_hand_computed_values(organization, board_fixture):
    data = selectors.dashboard(organization, board_fixture["today"])
    ((initiative, rows),) = data["initiatives"]
    progress = {indicator.name: p for indicator, p in rows}
    assert (progress["A"].percent, progress["A"].status) == (50, "on_track")
    assert (progress["B"].percent, progress["B"].status) == (20, "off_track")
    assert data["status_counts"] == {"on_track": 1, "at_risk": 0, "off_track": 1, "no_data": 0}
    timeliness = data["timeliness"]
    assert (timeliness.due, timeliness.on_time, timeliness.late, timeliness.overdue) == (3, 1, 1, 1)
    assert timeliness.share_on_time == 33
    assert [r.due_date for r in data["upcoming"]] == [dt.date(2025, 9, 1)]
    assert [r.due_date for r in data["overdue"]] == [dt.date(2025, 7, 1)]


def test_report_for_a_date_range_counts_only_reviews_due_in_it(organization, board_fixture):
    data = selectors.dashboard(organization, board_fixture["today"], dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    assert (data["timeliness"].due, data["timeliness"].late) == (1, 1)
    progress = {i.name: p for i, p in data["initiatives"][0][1]}
    assert progress["A"].latest_value == 10  # as of the end of the range


def test_board_member_sees_the_dashboard_and_the_printable_report(client_as, board_fixture):
    client = client_as("board")
    page = client.get(reverse("evaluations:dashboard")).content.decode()
    assert "Board dashboard" in page and "dashboard-chart-data" in page and "Off track" in page
    report = client.get(reverse("evaluations:report") + "?start=2025-01-01&end=2025-12-31")
    assert report.status_code == 200 and "Period: 1 January 2025 – 31 December 2025" in report.content.decode()


@pytest.mark.parametrize("name", ["evaluations:dashboard", "evaluations:report", "evaluations:index"])
def test_query_count_does_not_grow_with_measurements(
    client_as, organization, board_fixture, django_assert_max_num_queries, name
):
    for indicator in (board_fixture["a"], board_fixture["b"]):
        for day in range(40):
            MeasurementFactory(indicator=indicator, date=dt.date(2025, 2, 1) + dt.timedelta(days=day))
    for _ in range(5):
        initiative = InitiativeFactory(organization=organization)
        IndicatorFactory(initiative=initiative)
        EvaluationReviewFactory(schedule=ReviewScheduleFactory(initiative=initiative), due_date=dt.date(2030, 1, 1))
    client = client_as("board")
    with django_assert_max_num_queries(16):
        assert client.get(reverse(name)).status_code == 200


def test_indicator_page_has_a_trend_chart_and_bounded_queries(client_as, board_fixture, django_assert_max_num_queries):
    for day in range(30):
        MeasurementFactory(indicator=board_fixture["a"], date=dt.date(2025, 4, 1) + dt.timedelta(days=day))
    client = client_as("board")
    with django_assert_max_num_queries(12):
        page = client.get(board_fixture["a"].get_absolute_url()).content.decode()
    assert 'id="indicator-chart-data"' in page and "js/evaluations.js" in page


def test_board_member_sees_no_edit_buttons(client_as, board_fixture):
    page = client_as("board").get(board_fixture["a"].get_absolute_url()).content.decode()
    assert "Record a measurement" not in page


def test_home_strip_and_attention_items(organization, board_fixture):
    summary = selectors.step_summary(organization, board_fixture["today"])
    assert summary.figures[0][1] == 1  # A on track
    assert summary.figures[2][1] == 1  # one overdue review
    items = selectors.attention_items(organization, board_fixture["today"])
    assert [i.severity for i in items] == ["danger"]  # the 09-01 review is more than 14 days away
    later = selectors.attention_items(organization, dt.date(2025, 8, 20))
    assert [i.severity for i in later] == ["danger", "warning"]


# --- reminder log ----------------------------------------------------------------------


def test_admin_sees_sent_pending_and_failed_reminders(client_as, organization):
    review = EvaluationReviewFactory(organization=organization)
    people = [MembershipFactory(organization=organization).user for _ in range(3)]
    ReminderFactory(review=review, recipient=people[0], sent_at="2025-04-16T08:00Z")
    ReminderFactory(review=review, recipient=people[1])
    ReminderFactory(review=review, recipient=people[2], last_error="SMTPServerDisconnected: gone", attempts=5)
    client = client_as("admin")
    page = client.get(reverse("evaluations:reminder_log")).content.decode()
    assert page.count(">sent<") == 1 and page.count(">pending<") == 1 and page.count(">failed<") == 1
    assert "SMTPServerDisconnected: gone" in page
    failed_page = client.get(reverse("evaluations:reminder_log") + "?state=failed").content.decode()
    assert "SMTPServerDisconnected" in failed_page and ">pending<" not in failed_page
    assert Reminder.objects.count() == 3
