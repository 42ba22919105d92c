"""Engagements and commitments can be deleted from where people edit and read them."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from stakeholders.models import Commitment, Engagement

from .factories import CommitmentFactory, EngagementFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def test_the_engagement_edit_page_links_to_its_delete_page(editor_client, organization):
    engagement = EngagementFactory(
        organization=organization, stakeholders=[StakeholderFactory(organization=organization)]
    )
    page = editor_client.get(reverse("stakeholders:engagement_update", args=[engagement.pk])).content.decode()
    assert f'href="{reverse("stakeholders:engagement_delete", args=[engagement.pk])}"' in page


def test_the_commitment_edit_page_links_to_its_delete_page(editor_client, organization):
    commitment = CommitmentFactory(stakeholder__organization=organization)
    page = editor_client.get(reverse("stakeholders:commitment_update", args=[commitment.pk])).content.decode()
    assert f'href="{reverse("stakeholders:commitment_delete", args=[commitment.pk])}"' in page


def test_the_stakeholder_page_links_each_engagement_and_commitment_to_its_delete_page(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    engagement = EngagementFactory(organization=organization, stakeholders=[stakeholder])
    commitment = CommitmentFactory(stakeholder=stakeholder, promise="Proclaim a day of kindness")
    page = editor_client.get(stakeholder.get_absolute_url()).content.decode()
    engagement_delete = reverse("stakeholders:engagement_delete", args=[engagement.pk])
    assert f'href="{engagement_delete}?next={stakeholder.get_absolute_url()}"' in page
    commitment_delete = reverse("stakeholders:commitment_delete", args=[commitment.pk])
    assert f'href="{commitment_delete}">Delete<span class="visually-hidden"> Proclaim a day of kindness</span>' in page


def test_board_member_sees_no_delete_links_on_the_stakeholder_page(client_as, organization):
    stakeholder = StakeholderFactory(organization=organization)
    EngagementFactory(organization=organization, stakeholders=[stakeholder])
    CommitmentFactory(stakeholder=stakeholder)
    page = client_as("board").get(stakeholder.get_absolute_url()).content.decode()
    assert "/delete/" not in page


def test_deleting_an_engagement_from_the_timeline_returns_to_the_stakeholder(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    doomed, kept = (EngagementFactory(organization=organization, stakeholders=[stakeholder]) for _ in range(2))
    url = reverse("stakeholders:engagement_delete", args=[doomed.pk]) + f"?next={stakeholder.get_absolute_url()}"
    page = editor_client.get(url).content.decode()
    assert f'href="{stakeholder.get_absolute_url()}">Cancel' in page
    response = editor_client.post(url)
    assert response.url == stakeholder.get_absolute_url()
    assert list(Engagement.objects.all()) == [kept]
    assert stakeholder in kept.stakeholders.all()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"{doomed} was deleted."]


def test_deleting_an_engagement_ignores_a_next_url_on_another_site(editor_client, organization):
    engagement = EngagementFactory(organization=organization)
    url = reverse("stakeholders:engagement_delete", args=[engagement.pk]) + "?next=https://evil.example/"
    response = editor_client.post(url)
    assert response.url == reverse("stakeholders:engagement_list")
    assert not Engagement.objects.exists()


def test_deleting_a_commitment_returns_to_its_stakeholder_and_deletes_only_it(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    doomed, kept = CommitmentFactory.create_batch(2, stakeholder=stakeholder)
    response = editor_client.post(reverse("stakeholders:commitment_delete", args=[doomed.pk]))
    assert response.url == stakeholder.get_absolute_url() + "#commitments"
    assert list(Commitment.objects.all()) == [kept]


def test_another_organisations_engagement_or_commitment_cannot_be_deleted(editor_client, other_organization):
    engagement = EngagementFactory(organization=other_organization)
    commitment = CommitmentFactory(stakeholder__organization=other_organization)
    assert editor_client.post(reverse("stakeholders:engagement_delete", args=[engagement.pk])).status_code == 404
    assert editor_client.post(reverse("stakeholders:commitment_delete", args=[commitment.pk])).status_code == 404
    assert Engagement.objects.exists() and Commitment.objects.exists()
