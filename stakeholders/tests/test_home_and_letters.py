import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_hub.models import Role
from stakeholders import demo, selectors
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange
from stakeholders.tests.factories import CommitmentFactory, EngagementFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_overdue_open_commitments(client_as, organization, other_organization):
    today = timezone.localdate()
    past = today - datetime.timedelta(days=3)
    mine = StakeholderFactory(organization=organization, name="Tom Brennan")
    CommitmentFactory(stakeholder=mine, promise="Accept the city ID for accounts", due_date=past)
    CommitmentFactory(stakeholder=mine, promise="Kept already", due_date=past, status=Commitment.Status.KEPT)
    CommitmentFactory(stakeholder=mine, promise="Not due yet", due_date=today + datetime.timedelta(days=3))
    theirs = StakeholderFactory(organization=other_organization)
    CommitmentFactory(stakeholder=theirs, promise="Someone else's promise", due_date=past)

    html = client_as("editor").get(reverse("home")).content.decode()
    assert "Tom Brennan promised: Accept the city ID for accounts" in html
    assert "overdue since" in html
    assert "Kept already" not in html
    assert "Not due yet" not in html
    assert "Someone else&#x27;s promise" not in html and "Someone else's promise" not in html


def test_overdue_commitments_are_danger_items(organization):
    today = timezone.localdate()
    CommitmentFactory(
        stakeholder=StakeholderFactory(organization=organization), due_date=today - datetime.timedelta(days=1)
    )
    (item,) = selectors.attention_items(organization, today)
    assert item.severity == "danger"


def test_step_summary_counts_supportive_stakeholders_recent_engagements_and_open_commitments(organization):
    today = timezone.localdate()
    champion = StakeholderFactory(organization=organization, stance=Stakeholder.Stance.CHAMPION)
    StakeholderFactory(organization=organization, stance=Stakeholder.Stance.SUPPORTIVE)
    StakeholderFactory(organization=organization, stance=Stakeholder.Stance.SKEPTICAL)
    EngagementFactory(organization=organization, date=today - datetime.timedelta(days=10), stakeholders=[champion])
    EngagementFactory(organization=organization, date=today - datetime.timedelta(days=100), stakeholders=[champion])
    CommitmentFactory(stakeholder=champion)
    CommitmentFactory(stakeholder=champion, status=Commitment.Status.KEPT)
    assert [value for _label, value in selectors.step_summary(organization).figures] == [2, 1, 1]


def test_thank_you_letter_for_a_supportive_stakeholder_is_filled_in(client_as, organization):
    stakeholder = StakeholderFactory(
        organization=organization, name="Patricia Holloway", role_title="Mayor", stance=Stakeholder.Stance.SUPPORTIVE
    )
    html = client_as("editor").get(reverse("stakeholders:thank_you", args=[stakeholder.pk])).content.decode()
    assert "Dear Patricia Holloway," in html
    assert "They support welcoming work." in html
    assert organization.name in html
    assert "<textarea" in html and "data-copy-target" in html


def test_thank_you_letter_is_only_for_supportive_stakeholders(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization, stance=Stakeholder.Stance.SKEPTICAL)
    response = editor_client.get(reverse("stakeholders:thank_you", args=[stakeholder.pk]))
    assert response.status_code == 302
    assert response.url == stakeholder.get_absolute_url()


def test_thank_you_letter_for_a_kept_commitment_names_the_promise(editor_client, organization):
    commitment = CommitmentFactory(
        stakeholder=StakeholderFactory(organization=organization, stance=Stakeholder.Stance.NEUTRAL),
        promise="Speak at the citizenship class",
        status=Commitment.Status.KEPT,
    )
    html = editor_client.get(reverse("stakeholders:commitment_thank_you", args=[commitment.pk])).content.decode()
    assert "you promised to speak at the citizenship class" in html
    open_one = CommitmentFactory(stakeholder=commitment.stakeholder)
    assert editor_client.get(reverse("stakeholders:commitment_thank_you", args=[open_one.pk])).status_code == 302


def test_thank_you_letter_escapes_what_people_typed(editor_client, organization):
    stakeholder = StakeholderFactory(
        organization=organization, name="<script>alert(1)</script>", stance=Stakeholder.Stance.CHAMPION
    )
    html = editor_client.get(reverse("stakeholders:thank_you", args=[stakeholder.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_demo_seed_creates_the_promised_data_once(organization, people):
    roles = {Role.ADMIN: people["admin"], Role.EDITOR: people["editor"], Role.BOARD: people["board"]}
    today = timezone.localdate()
    demo.seed(organization, roles, today)
    demo.seed(organization, roles, today)
    stakeholders = Stakeholder.objects.for_organization(organization)
    assert stakeholders.count() == 20
    assert Engagement.objects.for_organization(organization).count() == 30
    assert Commitment.objects.for_organization(organization).count() == 6
    assert len(set(stakeholders.values_list("sector", flat=True))) >= 10
    assert set(stakeholders.values_list("stance", flat=True)) == set(Stakeholder.Stance.values)
    # Every stakeholder has a first recorded stance; those who moved have a second.
    assert StanceChange.objects.for_organization(organization).filter(old_stance__isnull=True).count() == 20
    assert StanceChange.objects.for_organization(organization).filter(old_stance__isnull=False).exists()
    assert Commitment.objects.for_organization(organization).overdue(today).exists()
