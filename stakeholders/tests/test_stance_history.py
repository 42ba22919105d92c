import pytest
from django.urls import reverse

from stakeholders import services
from stakeholders.models import Stakeholder, StanceChange
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def test_creating_a_stakeholder_records_their_first_stance(organization, editor_user):
    stakeholder = services.stakeholder_create(
        organization=organization, created_by=editor_user, name="Helen Park", stance=Stakeholder.Stance.CHAMPION
    )
    (change,) = StanceChange.objects.filter(stakeholder=stakeholder)
    assert change.old_stance is None
    assert change.new_stance == Stakeholder.Stance.CHAMPION
    assert change.changed_by == editor_user


def test_every_change_of_stance_is_recorded_with_who_recorded_it(organization, editor_user, admin_user):
    stakeholder = services.stakeholder_create(
        organization=organization, created_by=editor_user, name="Raymond Ellis", stance=Stakeholder.Stance.SKEPTICAL
    )
    services.stakeholder_update(stakeholder=stakeholder, changed_by=editor_user, stance=Stakeholder.Stance.NEUTRAL)
    services.stakeholder_update(stakeholder=stakeholder, changed_by=admin_user, stance=Stakeholder.Stance.SUPPORTIVE)

    history = list(
        StanceChange.objects.filter(stakeholder=stakeholder)
        .order_by("pk")
        .values_list("old_stance", "new_stance", "changed_by")
    )
    assert history == [
        (None, Stakeholder.Stance.SKEPTICAL, editor_user.pk),
        (Stakeholder.Stance.SKEPTICAL, Stakeholder.Stance.NEUTRAL, editor_user.pk),
        (Stakeholder.Stance.NEUTRAL, Stakeholder.Stance.SUPPORTIVE, admin_user.pk),
    ]


def test_an_edit_that_keeps_the_stance_adds_no_history(organization, editor_user):
    stakeholder = services.stakeholder_create(organization=organization, created_by=editor_user, name="Gary Lindqvist")
    services.stakeholder_update(stakeholder=stakeholder, changed_by=editor_user, notes="Met at Rotary lunch.")
    assert StanceChange.objects.filter(stakeholder=stakeholder).count() == 1


def test_creating_through_the_page_records_the_stance(editor_client, organization, editor_user):
    response = editor_client.post(
        reverse("stakeholders:create"),
        {"name": "Fatima Hassan", "affiliation": "Somali Women's Association", "sector": "newcomer_leader",
         "influence": "2", "stance": "1", "speaks_for": "newcomers"},
    )  # fmt: skip
    stakeholder = Stakeholder.objects.get(name="Fatima Hassan")
    assert response.status_code == 302
    assert stakeholder.organization == organization
    assert stakeholder.stance_changes.get().changed_by == editor_user


def test_editing_the_stance_through_the_page_records_it_and_shows_it(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization, stance=Stakeholder.Stance.SKEPTICAL)
    data = {"name": stakeholder.name, "affiliation": stakeholder.affiliation, "sector": stakeholder.sector,
            "influence": "1", "stance": "2", "speaks_for": "both"}  # fmt: skip
    response = editor_client.post(reverse("stakeholders:update", args=[stakeholder.pk]), data)
    assert response.status_code == 302
    change = stakeholder.stance_changes.get()
    assert (change.old_stance, change.new_stance) == (Stakeholder.Stance.SKEPTICAL, Stakeholder.Stance.SUPPORTIVE)

    page = editor_client.get(reverse("stakeholders:detail", args=[stakeholder.pk])).content.decode()
    assert "Stance history" in page
    assert "recorded by" in page
