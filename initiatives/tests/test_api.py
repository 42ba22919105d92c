import pytest
from django.urls import reverse

from assessments.models import Need
from initiatives.models import Initiative
from integration_hub.models import Membership
from integration_hub.tests.support import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor_user):
    return api_client_for(Membership.objects.get(user=editor_user))


def test_create_an_initiative_linked_to_own_needs(api, organization, editor_user):
    need = Need.objects.create(organization=organization, title="ID for all residents")
    response = api.post(
        reverse("api:initiative-list"),
        {"title": "Municipal ID", "needs": [need.pk], "lead": editor_user.pk, "status": "active"},
        format="json",
    )
    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get(pk=response.json()["id"])
    assert initiative.organization == organization
    assert list(initiative.needs.all()) == [need]


def test_another_organizations_need_or_a_non_member_lead_is_rejected(api, other_organization, outsider):
    theirs = Need.objects.create(organization=other_organization, title="Theirs")
    response = api.post(
        reverse("api:initiative-list"), {"title": "X", "needs": [theirs.pk], "lead": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"needs", "lead"}
    assert not Initiative.objects.filter(title="X").exists()


def test_end_before_start_is_a_clear_400(api):
    response = api.post(
        reverse("api:initiative-list"),
        {"title": "X", "start_date": "2026-05-01", "end_date": "2026-04-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "cannot be before the start" in response.json()["end_date"][0]


def test_list_filters_by_status_and_is_paginated(api, organization, django_assert_max_num_queries):
    for i in range(30):
        Initiative.objects.create(organization=organization, title=f"I{i}", status="active" if i % 2 else "planned")
    with django_assert_max_num_queries(6):
        response = api.get(reverse("api:initiative-list"), {"status": "active"})
    body = response.json()
    assert body["count"] == 15
    assert {row["status"] for row in body["results"]} == {"active"}


def test_malformed_json_is_a_clear_400_and_saves_nothing(api):
    response = api.post(reverse("api:initiative-list"), data='{"title": "X",', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not Initiative.objects.exists()


def test_unknown_and_read_only_fields_are_refused_by_name(api):
    response = api.post(
        reverse("api:initiative-list"), {"title": "X", "colour": "red", "practice_status": "published"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"colour", "practice_status"}
    assert not Initiative.objects.exists()


def test_wrong_types_are_refused_by_name(api):
    response = api.post(
        reverse("api:initiative-list"), {"title": "X", "start_date": "soon", "status": "finished"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"start_date", "status"}
    assert not Initiative.objects.exists()


def test_page_size_is_bounded_with_a_clear_message(api, organization):
    Initiative.objects.create(organization=organization, title="A")
    assert api.get(reverse("api:initiative-list"), {"page_size": 10}).json()["count"] == 1
    response = api.get(reverse("api:initiative-list"), {"page_size": 100000})
    assert response.status_code == 400
    assert "between 1 and 200" in response.json()["page_size"][0]
    # A page past the end is an empty page that still gives the count (integration_hub.api_auth).
    past = api.get(reverse("api:initiative-list"), {"page": 99})
    assert past.status_code == 200
    assert (past.json()["count"], past.json()["results"]) == (1, [])
