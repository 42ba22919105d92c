import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from integration_hub import services
from integration_hub.middleware import SESSION_KEY
from integration_hub.models import Membership, Role
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db


def test_home_shows_the_current_organization_and_four_steps(editor_client, organization):
    response = editor_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert organization.name in html
    for step in ("Needs assessment", "Stakeholder buy-in", "Implementation", "Evaluation"):
        assert step in html
    assert "Nothing is overdue." in html


def test_user_in_two_organizations_switches_between_them(editor_user, organization, other_organization):
    MembershipFactory(user=editor_user, organization=other_organization, role=Role.BOARD)
    client = client_for(editor_user)

    response = client.post(reverse("organization_switch"), {"organization": other_organization.pk}, follow=True)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == other_organization.pk
    assert response.context["current_organization"] == other_organization
    assert response.context["access"].role == Role.BOARD
    assert f"You are now working in {other_organization.name}" in response.content.decode()


def test_user_cannot_switch_into_an_organization_they_do_not_belong_to(editor_user, other_organization):
    client = client_for(editor_user)
    response = client.post(reverse("organization_switch"), {"organization": other_organization.pk})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_switch_ignores_an_offsite_next_url(editor_user, organization):
    client = client_for(editor_user)
    response = client.post(
        reverse("organization_switch"), {"organization": organization.pk, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_a_stale_session_organization_falls_back_to_a_membership(editor_user, organization, other_organization):
    client = client_for(editor_user, other_organization)  # not a member there
    response = client.get(reverse("home"))
    assert response.context["current_organization"] == organization


def test_network_staff_view_an_affiliate_read_only(network_user, organization):
    client = client_for(network_user)
    client.post(reverse("organization_switch"), {"organization": organization.pk})
    response = client.get(reverse("home"))
    assert response.context["access"].is_network_viewer
    assert not response.context["access"].can_edit
    assert "read-only" in response.content.decode()


def test_network_staff_list_affiliates_but_affiliate_staff_cannot(network_user, editor_client, organization):
    response = client_for(network_user).get(reverse("affiliate_list"))
    assert response.status_code == 200
    assert organization.name in response.content.decode()
    assert editor_client.get(reverse("affiliate_list")).status_code == 404


def test_user_without_membership_is_told_to_ask_for_an_invitation(db):
    from integration_hub.tests.factories import UserFactory

    client = client_for(UserFactory())
    response = client.get(reverse("home"))
    assert response.url == reverse("no_organization")
    assert "not a member of any organisation" in client.get(response.url).content.decode()


def test_admin_changes_a_members_role(client_as, board_user, organization):
    membership = Membership.objects.get(user=board_user)
    response = client_as("admin").post(reverse("member_change_role", args=[membership.pk]), {"role": "editor"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_the_last_admin_cannot_be_demoted_or_removed(client_as, admin_user):
    membership = Membership.objects.get(user=admin_user)
    client = client_as("admin")

    response = client.post(reverse("member_change_role", args=[membership.pk]), {"role": "board"}, follow=True)
    assert "at least one admin" in response.content.decode()
    response = client.post(reverse("member_remove", args=[membership.pk]), follow=True)
    assert "last admin" in response.content.decode()

    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_can_be_demoted_when_another_admin_exists(admin_user, organization):
    MembershipFactory(organization=organization, role=Role.ADMIN)
    membership = Membership.objects.get(user=admin_user)
    services.membership_change_role(membership=membership, role=Role.EDITOR)
    assert Membership.objects.get(user=admin_user).role == Role.EDITOR


def test_removing_the_last_admin_in_the_service_raises(admin_user):
    with pytest.raises(ValidationError):
        services.membership_remove(membership=Membership.objects.get(user=admin_user))


def test_admin_removes_a_member(client_as, editor_user):
    membership = Membership.objects.get(user=editor_user)
    client_as("admin").post(reverse("member_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_list_query_count_does_not_grow_with_members(client_as, organization, django_assert_max_num_queries):
    MembershipFactory.create_batch(30, organization=organization)
    client = client_as("admin")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("member_list"))
    assert response.status_code == 200


def test_profile_turns_off_reminder_emails(editor_user, editor_client):
    response = editor_client.post(reverse("profile"), {"first_name": "Luis", "last_name": "H"})
    assert response.status_code == 302
    editor_user.refresh_from_db()
    assert editor_user.reminder_emails is False


def test_admin_sets_the_time_zone(client_as, organization):
    response = client_as("admin").post(
        reverse("organization_settings"),
        {
            "name": organization.name,
            "city": "Honolulu",
            "state": "hi",
            "time_zone": "Pacific/Honolulu",
            "retention_months": 36,
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.time_zone, organization.state) == ("Pacific/Honolulu", "HI")


def test_requests_run_in_the_organizations_time_zone(rf, editor_user, organization):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from integration_hub.middleware import CurrentOrganizationMiddleware

    organization.time_zone = "Pacific/Honolulu"
    organization.save()
    seen = []
    request = rf.get("/")
    request.user, request.session = editor_user, SessionStore()
    CurrentOrganizationMiddleware(lambda r: seen.append(timezone.get_current_timezone_name()))(request)
    assert seen == ["Pacific/Honolulu"]
    assert timezone.get_current_timezone_name() == "UTC"  # restored after the request


def test_settings_reject_a_bad_state_code_and_keep_the_input(client_as, organization):
    response = client_as("admin").post(
        reverse("organization_settings"),
        {"name": "Riverside New", "state": "Ohio", "time_zone": "America/New_York", "retention_months": 24},
    )
    assert response.status_code == 200
    assert "two-letter state code" in response.content.decode()
    assert 'value="Riverside New"' in response.content.decode()
    organization.refresh_from_db()
    assert organization.name == "Riverside Immigrant Services"


def test_board_members_land_on_the_board_dashboard(client_as):
    response = client_as("board").get(reverse("home"))
    assert response.url == reverse("evaluations:dashboard")
    assert client_as("board").get(response.url).status_code == 200
