"""Promising practices: an affiliate proposes, the network office publishes with credit."""

import pytest
from django.urls import reverse

from initiatives.models import Idea, Initiative
from integration_hub.tests.support import client_for

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def _publish_data(**overrides):
    return {
        "title": "Riverside welcome suppers", "category": "connected_communities",
        "welcoming_standard": "connected_communities", "audience": "program",
        "description": "Monthly suppers where neighbours cook for each other.", **overrides,
    }  # fmt: skip


def test_affiliate_editor_proposes_an_initiative_as_a_promising_practice(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    response = editor_client.post(
        reverse("initiatives:propose_practice", args=[initiative.pk]), {"practice_note": "Both sides came back."}
    )
    initiative.refresh_from_db()
    assert response.status_code == 302
    assert initiative.practice_status == Initiative.PracticeStatus.PROPOSED
    assert initiative.practice_note == "Both sides came back."
    assert initiative.practice_proposed_at is not None


def test_a_proposal_needs_a_note(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    response = editor_client.post(reverse("initiatives:propose_practice", args=[initiative.pk]), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.practice_status == ""


def test_network_staff_publish_a_proposal_crediting_the_affiliate(network_user, network_office, organization):
    initiative = InitiativeFactory(organization=organization, practice_status=Initiative.PracticeStatus.PROPOSED)
    client = client_for(network_user, network_office)
    queue = client.get(reverse("initiatives:practice_queue"))
    assert initiative in queue.context["proposals"]
    response = client.post(reverse("initiatives:practice_publish", args=[initiative.pk]), _publish_data())
    idea = Idea.objects.get(title="Riverside welcome suppers")
    assert response.url == idea.get_absolute_url()
    assert idea.credited_organization == organization
    assert idea.published_from == initiative
    assert not idea.is_builtin
    initiative.refresh_from_db()
    assert initiative.practice_status == Initiative.PracticeStatus.PUBLISHED
    # Every affiliate now sees it in the library, credited.
    page = client.get(reverse("initiatives:idea_list"), {"q": "welcome suppers"}).content.decode()
    assert "Shared by Riverside Immigrant Services" in page


def test_publish_form_is_prefilled_from_the_proposal(network_user, network_office, organization):
    initiative = InitiativeFactory(
        organization=organization, practice_status=Initiative.PracticeStatus.PROPOSED,
        summary="Suppers.", practice_note="They worked.", category="connected_communities",
    )  # fmt: skip
    response = client_for(network_user, network_office).get(
        reverse("initiatives:practice_publish", args=[initiative.pk])
    )
    initial = response.context["form"].initial
    assert initial["title"] == initiative.title
    assert initial["description"] == "Suppers.\n\nThey worked."
    assert initial["welcoming_standard"] == "connected_communities"


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_affiliates_cannot_publish_to_the_network_library_themselves(client_as, organization, role):
    initiative = InitiativeFactory(organization=organization, practice_status=Initiative.PracticeStatus.PROPOSED)
    response = client_as(role).post(reverse("initiatives:practice_publish", args=[initiative.pk]), _publish_data())
    assert response.status_code == 403
    assert not Idea.objects.filter(title="Riverside welcome suppers").exists()
    initiative.refresh_from_db()
    assert initiative.practice_status == Initiative.PracticeStatus.PROPOSED


def test_affiliates_cannot_add_ideas_to_the_library(editor_client):
    response = editor_client.post(reverse("initiatives:idea_create"), _publish_data())
    assert response.status_code == 403
    assert not Idea.objects.filter(title="Riverside welcome suppers").exists()


def test_an_initiative_not_proposed_cannot_be_published(network_user, network_office, organization):
    initiative = InitiativeFactory(organization=organization)
    response = client_for(network_user, network_office).post(
        reverse("initiatives:practice_publish", args=[initiative.pk]), _publish_data()
    )
    assert response.status_code == 404
    assert not Idea.objects.filter(title="Riverside welcome suppers").exists()


def test_a_published_practice_is_not_proposed_again(editor_client, organization):
    initiative = InitiativeFactory(organization=organization, practice_status=Initiative.PracticeStatus.PUBLISHED)
    editor_client.post(reverse("initiatives:propose_practice", args=[initiative.pk]), {"practice_note": "Again"})
    initiative.refresh_from_db()
    assert initiative.practice_status == Initiative.PracticeStatus.PUBLISHED
