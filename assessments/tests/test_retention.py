"""Retention: raw responses go N months after the assessment closes; results stay; counts are logged."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Answer, NeedsAssessment, Question, Response, Survey
from integration_hub.models import AuditEvent
from integration_hub.tests.support import database_scan, fill_with_demo_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _close(assessment, closed_on):
    NeedsAssessment.objects.filter(pk=assessment.pk).update(status="closed", closed_on=closed_on)


@pytest.fixture
def surveys(organization, other_organization, admin_user, outsider):
    fill_with_demo_data(organization, admin_user)
    fill_with_demo_data(other_organization, outsider)
    mine = Survey.objects.get(assessment__organization=organization)
    theirs = Survey.objects.get(assessment__organization=other_organization)
    assert Response.objects.filter(survey=mine).count() > 100
    return mine, theirs


def _summary(survey):
    return list(selectors.summary_rows(selectors.survey_results(survey)))


def test_results_stay_exactly_the_same_after_the_raw_responses_go(surveys):
    survey, _ = surveys
    before = _summary(survey)
    counts = services.responses_purge(survey=survey, today=TODAY)
    assert counts["responses"] > 100 and counts["answers"] > counts["responses"]
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question__survey=survey).exists()
    survey.refresh_from_db()
    assert survey.responses_purged_on == TODAY
    assert _summary(survey) == before


def test_retention_deletes_exactly_what_is_old_and_nothing_else(surveys, organization, other_organization):
    mine, theirs = surveys
    organization.retention_months = 24
    organization.save()
    other_organization.retention_months = 36
    other_organization.save()
    _close(mine.assessment, dt.date(2024, 11, 22))  # 24 months and a day ago
    _close(theirs.assessment, dt.date(2024, 11, 22))  # theirs keep 36 months
    theirs_before = Response.objects.filter(survey=theirs).count()

    done = services.retention_run(today=TODAY)

    assert [d["assessment"] for d in done] == [mine.assessment.title]
    assert not Response.objects.filter(survey=mine).exists()
    assert Response.objects.filter(survey=theirs).count() == theirs_before
    assert services.retention_run(today=TODAY) == []  # a second run deletes nothing more


def test_not_yet_old_or_still_open_assessments_keep_their_responses(surveys, organization):
    mine, _ = surveys
    _close(mine.assessment, dt.date(2024, 11, 24))  # a day short of 24 months
    assert services.retention_run(today=TODAY) == []
    NeedsAssessment.objects.filter(pk=mine.assessment.pk).update(status="collecting", closed_on=dt.date(2020, 1, 1))
    assert services.retention_run(today=TODAY) == []
    assert Response.objects.filter(survey=mine).exists()


def test_the_audit_log_records_counts_only(surveys, client_as):
    mine, _ = surveys
    counts = services.responses_purge(survey=mine, today=TODAY)
    event = AuditEvent.objects.get(action=AuditEvent.Action.RETENTION_DELETED)
    assert event.detail == {"assessment_id": mine.assessment_id, **counts}
    feed = client_as("admin").get(reverse("activity")).context["entries"]
    assert any(e.action == "Old survey responses deleted (retention)" for e in feed)
    results = client_as("admin").get(reverse("assessments:results", args=[mine.assessment_id]))
    assert "The individual responses were deleted" in results.content.decode()


def test_closing_starts_the_clock_and_reopening_stops_it(organization):
    assessment = services.assessment_create(organization=organization, title="Spring survey")
    services.assessment_set_status(assessment=assessment, status="closed")
    assessment.refresh_from_db()
    assert assessment.closed_on is not None
    services.assessment_set_status(assessment=assessment, status="collecting")
    assessment.refresh_from_db()
    assert assessment.closed_on is None


@pytest.mark.parametrize("months", ["0", "121", "-3"])
def test_retention_outside_1_to_120_months_is_refused(client_as, organization, months):
    response = client_as("admin").post(
        reverse("organization_settings"),
        {"name": organization.name, "time_zone": "America/New_York", "retention_months": months},
    )
    assert response.status_code == 200
    assert "retention_months" in response.context["form"].errors
    organization.refresh_from_db()
    assert organization.retention_months == 24


def test_exporting_raw_responses_is_logged(surveys, client_as, admin_user):
    mine, _ = surveys
    response = client_as("admin").get(reverse("assessments:responses_csv", args=[mine.assessment_id]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.RAW_RESPONSES_EXPORTED)
    assert event.actor == admin_user and event.summary == mine.assessment.title


def test_a_written_answer_is_nowhere_in_the_database_after_retention(surveys):
    survey, _ = surveys
    written = "We share one room on Bellweather Road with four cousins"
    question = Question.objects.filter(survey=survey, kind__in=Question.TEXT_KINDS).first()
    Answer.objects.create(response=Response.objects.filter(survey=survey).first(), question=question, text=written)
    assert database_scan(texts=[written])

    services.responses_purge(survey=survey, today=TODAY)

    assert database_scan(texts=[written]) == set()


def test_after_the_purge_at_a_glance_the_list_and_home_still_count_the_kept_responses(surveys, client_as, organization):
    survey, _ = surveys
    before = {col: cell.display for col, cell in selectors.survey_results(survey).totals.items()}
    live = Response.objects.filter(survey=survey).count()
    services.responses_purge(survey=survey, today=TODAY)
    board = client_as("board")
    detail = board.get(reverse("assessments:assessment_detail", kwargs={"pk": survey.assessment_id}))
    assert {col: cell.display for col, cell in detail.context["overview"]["responses"].items()} == before
    listed = {a.pk: a for a in board.get(reverse("assessments:index")).context["object_list"]}
    assert listed[survey.assessment_id].responses_shown == str(live)
    assert dict(selectors.step_summary(organization).figures)["Survey responses"] == live
