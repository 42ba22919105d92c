import datetime as dt

import pytest
from django.urls import reverse

from evaluations.models import EvaluationReview, Measurement
from evaluations.tests.factories import EvaluationReviewFactory, IndicatorFactory
from integration_hub.models import Membership
from integration_hub.tests.support import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor_user):
    return api_client_for(Membership.objects.get(user=editor_user))


def test_a_measurement_before_the_baseline_gets_the_pages_message(api, organization):
    indicator = IndicatorFactory(
        organization=organization, baseline_date=dt.date(2026, 1, 1), target_date=dt.date(2027, 1, 1)
    )
    response = api.post(
        reverse("api:measurement-list"), {"indicator": indicator.pk, "date": "2025-12-01", "value": "3"}, format="json"
    )
    assert response.status_code == 400
    assert "baseline" in response.json()["date"][0]
    assert not Measurement.objects.exists()


def test_a_target_equal_to_the_baseline_is_refused(api, organization):
    indicator = IndicatorFactory(organization=organization)
    response = api.patch(
        reverse("api:indicator-detail", args=[indicator.pk]),
        {"target_value": str(indicator.baseline_value)},
        format="json",
    )
    assert response.status_code == 400
    assert "equals the baseline" in response.json()["target_value"][0]


def test_a_measurement_records_who_entered_it(api, organization, editor_user):
    indicator = IndicatorFactory(
        organization=organization, baseline_date=dt.date(2026, 1, 1), target_date=dt.date(2027, 1, 1)
    )
    response = api.post(
        reverse("api:measurement-list"),
        {"indicator": indicator.pk, "date": "2026-02-01", "value": "7.5"},
        format="json",
    )
    assert response.status_code == 201
    assert Measurement.objects.get().entered_by == editor_user


def test_an_indicator_on_another_organizations_initiative_is_refused(api, other_organization):
    theirs = IndicatorFactory(organization=other_organization)
    response = api.post(
        reverse("api:measurement-list"), {"indicator": theirs.pk, "date": "2026-02-01", "value": "1"}, format="json"
    )
    assert response.status_code == 400
    assert "indicator" in response.json()


def test_holding_a_review_through_the_api(api, organization, editor_user):
    review = EvaluationReviewFactory(organization=organization, due_date=dt.date(2026, 11, 1))
    url = reverse("api:review-hold", args=[review.pk])
    assert api.post(url, {"held_on": "2026-11-02"}, format="json").status_code == 400  # findings required
    response = api.post(
        url,
        {
            "held_on": "2026-11-02",
            "findings": "More accounts",
            "feedback_newcomers": "Faster",
            "feedback_receiving": "Good",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    review.refresh_from_db()
    assert review.held_on == dt.date(2026, 11, 2) and review.held_by == editor_user
    assert (review.feedback_newcomers, review.feedback_receiving) == ("Faster", "Good")


def test_board_members_cannot_hold_a_review(board_user, organization):
    review = EvaluationReviewFactory(organization=organization)
    api = api_client_for(Membership.objects.get(user=board_user))
    response = api.post(reverse("api:review-hold", args=[review.pk]), {"held_on": "2026-11-02", "findings": "x"})
    assert response.status_code == 403
    assert EvaluationReview.objects.get(pk=review.pk).held_on is None


def test_reviews_are_not_created_through_the_api(api):
    assert api.post(reverse("api:review-list"), {}, format="json").status_code == 405
