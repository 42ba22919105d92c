"""Erasing an organisation deletes all of its rows, none of anyone else's, and only after the grace period."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from integration_hub import services
from integration_hub.exports import exportable_models
from integration_hub.models import AuditEvent, ErasureRequest, Membership, Organization, Role, User
from integration_hub.tasks import run_due_erasures
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import fill_with_demo_data

pytestmark = pytest.mark.django_db


def _rows_per_table(organization):
    # Audit events are written by the erasure request itself; they go with everything else.
    return {
        model._meta.label: model.objects.for_organization(organization).count()
        for model in exportable_models()
        if model is not AuditEvent
    }


@pytest.fixture
def both_filled(organization, other_organization, admin_user, outsider):
    fill_with_demo_data(organization, admin_user)
    fill_with_demo_data(other_organization, outsider)
    return organization, other_organization


def _due(organization, admin_user):
    erasure = services.erasure_request(organization=organization, requested_by=admin_user, typed_name=organization.name)
    return erasure, erasure.scheduled_for + timedelta(minutes=1)


def test_erasure_deletes_every_row_of_the_organization_and_no_other(both_filled, admin_user, outsider):
    organization, other = both_filled
    shared_user = MembershipFactory(organization=organization, role=Role.EDITOR).user
    MembershipFactory(organization=other, role=Role.BOARD, user=shared_user)
    before_other = _rows_per_table(other)
    assert sum(_rows_per_table(organization).values()) > 3
    erasure, after_grace = _due(organization, admin_user)

    done = services.erasure_run_due(now=after_grace)

    assert [e.pk for e in done] == [erasure.pk]
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert _rows_per_table(other) == before_other
    assert all(count == 0 for count in _rows_per_table(organization.pk).values())
    # Accounts that belonged only here are gone; one that also belongs elsewhere stays.
    assert not User.objects.filter(pk=admin_user.pk).exists()
    assert User.objects.filter(pk=shared_user.pk).exists()
    erasure.refresh_from_db()
    assert erasure.completed_at and erasure.organization is None
    assert erasure.deleted_counts["integration_hub.Membership"] >= 3
    assert erasure.organization_name == "Riverside Immigrant Services"


def test_running_twice_deletes_nothing_more(both_filled, admin_user):
    organization, other = both_filled
    _, after_grace = _due(organization, admin_user)
    services.erasure_run_due(now=after_grace)
    before = _rows_per_table(other)
    assert services.erasure_run_due(now=after_grace) == []
    assert _rows_per_table(other) == before


def test_nothing_is_deleted_during_the_grace_period(organization, admin_user):
    erasure, _ = _due(organization, admin_user)
    assert services.erasure_run_due(now=erasure.scheduled_for - timedelta(minutes=1)) == []
    assert run_due_erasures.delay().get() == []
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_cancelled_erasure_keeps_everything(both_filled, admin_user):
    organization, _ = both_filled
    before = _rows_per_table(organization)
    erasure, after_grace = _due(organization, admin_user)
    services.erasure_cancel(erasure=erasure, cancelled_by=admin_user)
    assert services.erasure_run_due(now=after_grace) == []
    assert _rows_per_table(organization) == before


def test_admin_schedules_and_cancels_from_the_page(client_as, organization):
    client = client_as("admin")
    response = client.post(reverse("organization_erasure"), {"typed_name": organization.name}, follow=True)
    assert "You can cancel it during the next 7 days" in response.content.decode()
    erasure = ErasureRequest.objects.get(organization=organization)
    assert timedelta(days=6, hours=23) < erasure.scheduled_for - timezone.now() <= timedelta(days=7)

    response = client.post(reverse("organization_erasure_cancel", args=[erasure.pk]), follow=True)
    assert "nothing was deleted" in response.content.decode()
    erasure.refresh_from_db()
    assert erasure.cancelled_at is not None


def test_a_mistyped_name_schedules_nothing(client_as, organization):
    response = client_as("admin").post(reverse("organization_erasure"), {"typed_name": "riverside"})
    assert response.status_code == 200
    assert "That does not match" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_a_second_request_while_one_is_pending_is_refused(organization, admin_user):
    _due(organization, admin_user)
    with pytest.raises(ValidationError, match="already scheduled"):
        services.erasure_request(organization=organization, requested_by=admin_user, typed_name=organization.name)
    assert ErasureRequest.objects.count() == 1


def test_network_staff_cannot_erase_an_affiliate(client_as, organization):
    response = client_as("network").post(reverse("organization_erasure"), {"typed_name": organization.name})
    assert response.status_code == 403
    assert not ErasureRequest.objects.exists()
    assert Membership.objects.filter(organization=organization).exists()


def test_outsider_cannot_cancel_another_organizations_erasure(client_as, organization, admin_user):
    erasure, _ = _due(organization, admin_user)
    assert client_as("outsider").post(reverse("organization_erasure_cancel", args=[erasure.pk])).status_code == 404


def test_the_erasure_page_says_history_goes_too_and_what_stays(client_as):
    html = client_as("admin").get(reverse("organization_erasure")).content.decode()
    assert "every record of this organisation and its whole history" in html
    assert "Only a record that the erasure happened stays" in html
