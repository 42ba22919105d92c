import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_hub.tests.factories import UserFactory
from stakeholders.models import Commitment, Engagement
from stakeholders.tests.factories import CommitmentFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _engagement_data(stakeholders, **overrides):
    today = timezone.localdate()
    data = {
        "date": today.isoformat(),
        "kind": Engagement.Kind.COFFEE,
        "stakeholders": [s.pk for s in stakeholders],
        "summary": "Coffee at the library cafe.",
        "feedback": "Wants a one-page summary for the council.",
    }
    data.update(overrides)
    return data


def test_staff_can_log_a_coffee_and_chat_with_three_stakeholders(editor_client, organization, editor_user, admin_user):
    three = StakeholderFactory.create_batch(3, organization=organization)
    data = _engagement_data(three, staff=[editor_user.pk, admin_user.pk])
    response = editor_client.post(reverse("stakeholders:engagement_create"), data)
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.organization == organization
    assert set(engagement.stakeholders.all()) == set(three)
    assert set(engagement.staff.all()) == {editor_user, admin_user}
    for stakeholder in three:
        page = editor_client.get(reverse("stakeholders:detail", args=[stakeholder.pk])).content.decode()
        assert "Coffee at the library cafe." in page


def test_an_engagement_more_than_a_year_ahead_is_refused(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    far = timezone.localdate() + datetime.timedelta(days=400)
    response = editor_client.post(
        reverse("stakeholders:engagement_create"), _engagement_data([stakeholder], date=far.isoformat())
    )
    assert response.status_code == 200
    assert "is more than a year ahead" in response.content.decode()
    assert "Coffee at the library cafe." in response.content.decode()  # what was typed is kept
    assert not Engagement.objects.exists()


def test_a_follow_up_before_the_engagement_is_refused(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    today = timezone.localdate()
    response = editor_client.post(
        reverse("stakeholders:engagement_create"),
        _engagement_data([stakeholder], follow_up_date=(today - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert response.content.decode().count("The follow-up date cannot be before the engagement.") == 1
    assert not Engagement.objects.exists()


def test_a_forged_stakeholder_of_another_organisation_is_refused(editor_client, organization, other_organization):
    StakeholderFactory(organization=organization)
    theirs = StakeholderFactory(organization=other_organization)
    response = editor_client.post(reverse("stakeholders:engagement_create"), _engagement_data([theirs]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Engagement.objects.exists()


def test_staff_who_are_not_members_cannot_be_listed(editor_client, organization, outsider):
    stakeholder = StakeholderFactory(organization=organization)
    stranger = UserFactory()
    for person in (outsider, stranger):
        response = editor_client.post(
            reverse("stakeholders:engagement_create"), _engagement_data([stakeholder], staff=[person.pk])
        )
        assert "Select a valid choice" in response.content.decode()
    assert not Engagement.objects.exists()


def test_engagement_log_filters_by_kind_and_stakeholder(editor_client, organization):
    a, b = StakeholderFactory.create_batch(2, organization=organization)
    editor_client.post(reverse("stakeholders:engagement_create"), _engagement_data([a], summary="Alpha"))
    editor_client.post(
        reverse("stakeholders:engagement_create"), _engagement_data([a, b], summary="Beta", kind="letter")
    )
    url = reverse("stakeholders:engagement_list")
    assert [e.summary for e in editor_client.get(url, {"kind": "letter"}).context["object_list"]] == ["Beta"]
    assert [e.summary for e in editor_client.get(url, {"stakeholders": b.pk}).context["object_list"]] == ["Beta"]
    # Searching by a name shared by two stakeholders of one engagement lists it once.
    found = editor_client.get(url, {"q": "Council member"}).context["object_list"]
    assert sorted(e.summary for e in found) == ["Alpha", "Beta"]


def test_a_commitment_due_before_it_was_made_is_refused(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    response = editor_client.post(
        reverse("stakeholders:commitment_create"),
        {"stakeholder": stakeholder.pk, "promise": "Speak at the citizenship class", "made_on": "2026-05-10",
         "due_date": "2026-05-01", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The due date cannot be before the day the commitment was made." in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_commitment_cannot_name_another_organisations_stakeholder(editor_client, organization, other_organization):
    StakeholderFactory(organization=organization)
    theirs = StakeholderFactory(organization=other_organization)
    response = editor_client.post(
        reverse("stakeholders:commitment_create"),
        {"stakeholder": theirs.pk, "promise": "x", "made_on": "2026-05-10", "status": "open"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Commitment.objects.exists()


def test_recording_a_commitment_shows_it_on_the_stakeholder_page(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization)
    response = editor_client.post(
        reverse("stakeholders:commitment_create"),
        {"stakeholder": stakeholder.pk, "promise": "Accept the city ID for accounts", "made_on": "2026-05-10",
         "due_date": "2026-06-10", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 302
    page = editor_client.get(reverse("stakeholders:detail", args=[stakeholder.pk])).content.decode()
    assert "Accept the city ID for accounts" in page


def test_changing_a_commitments_status_appends_the_evidence(editor_client, organization):
    commitment = CommitmentFactory(stakeholder=StakeholderFactory(organization=organization), evidence="Asked twice.")
    response = editor_client.post(
        reverse("stakeholders:commitment_status", args=[commitment.pk]),
        {"status": "kept", "evidence": "Minutes of 4 May."},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.KEPT
    assert commitment.evidence == "Asked twice.\nMinutes of 4 May."


def test_an_invalid_status_changes_nothing(editor_client, organization):
    commitment = CommitmentFactory(stakeholder=StakeholderFactory(organization=organization))
    editor_client.post(reverse("stakeholders:commitment_status", args=[commitment.pk]), {"status": "forgotten"})
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.OPEN


def test_the_database_refuses_a_follow_up_before_the_engagement(organization):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(
            organization=organization, date=datetime.date(2026, 5, 2), follow_up_date=datetime.date(2026, 5, 1),
            summary="x",
        )  # fmt: skip
    stakeholder = StakeholderFactory(organization=organization)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(
            stakeholder=stakeholder, made_on=datetime.date(2026, 5, 2), due_date=datetime.date(2026, 5, 1)
        )


def test_the_engagement_form_says_when_there_is_nobody_to_choose(editor_client):
    html = editor_client.get(reverse("stakeholders:engagement_create")).content.decode()
    assert "No stakeholders yet" in html
