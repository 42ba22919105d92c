"""Clear 4xx answers of the API for pages, filters and addresses (issue 18)."""

import pytest

from evaluations.tests.factories import IndicatorFactory
from integration_hub.models import Membership
from integration_hub.tests.support import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor_user, organization):
    return api_client_for(Membership.objects.get(user=editor_user))


@pytest.mark.parametrize("page", ["0", "-1", "x", ""])
def test_a_page_below_1_or_not_a_number_is_a_400_that_says_so(api, page):
    response = api.get("/api/indicators/", {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": ["Ask for page 1 or a later one."]}


def test_a_page_past_the_end_is_an_empty_page_with_the_count(api, organization):
    IndicatorFactory.create_batch(3, organization=organization)
    body = api.get("/api/indicators/", {"page": 7, "page_size": 2}).json()
    assert body["count"] == 3 and body["results"] == [] and body["next"] is None


@pytest.mark.parametrize("query", ["concerns=", "direction=%20", "initiative="])
def test_an_empty_filter_is_refused(api, query):
    response = api.get(f"/api/indicators/?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.json() == {name: ["Give a value, or leave this filter out."]}


@pytest.mark.parametrize("value", ["abc", "2025-13-01", ""])
def test_held_on_must_be_a_date(api, value):
    response = api.get("/api/reviews/", {"held_on": value})
    assert response.status_code == 400 and "held_on" in response.json()


def test_an_id_filter_naming_no_row_of_the_organisation_is_an_empty_list(api, organization, other_organization):
    mine = IndicatorFactory(organization=organization)
    theirs = IndicatorFactory(organization=other_organization)
    for value in (0, theirs.initiative_id, 2**70):
        assert api.get("/api/indicators/", {"initiative": value}).json()["results"] == []
    assert [row["id"] for row in api.get("/api/indicators/", {"initiative": mine.initiative_id}).json()["results"]] == [
        mine.pk
    ]
    assert api.get("/api/indicators/", {"initiative": "x"}).status_code == 400


def test_other_api_addresses_answer_json_404_and_posting_a_review_405(api):
    for path in ("/api/indicators/abc/", "/api/nothing/"):
        response = api.delete(path)
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert api.post("/api/reviews/", {}, format="json").status_code == 405
