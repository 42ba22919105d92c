import re

import pytest
from django.core import mail
from django.urls import reverse

from integration_hub.models import Invitation, Membership, Role
from integration_hub.tests.factories import UserFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db


def _link_from_last_email():
    return re.search(r"https?://\S+/invitation/(\S+)/", mail.outbox[-1].body)


def test_invitation_end_to_end(client_as, organization, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            reverse("member_list"), {"email": "New.Person@Example.org", "role": "editor"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    token = _link_from_last_email().group(1)
    # Only the hash is kept.
    assert not Invitation.objects.filter(token_hash=token).exists()

    url = reverse("invitation_accept", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"first_name": "Nadia", "last_name": "", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.url == reverse("home")
    membership = Membership.objects.get(user__email="new.person@example.org")
    assert membership.organization == organization and membership.role == Role.EDITOR
    # Logged in, and the link does not work twice.
    assert client.get(reverse("home")).status_code == 200
    assert client_for(UserFactory()).get(url).status_code == 404


def test_invitation_form_keeps_input_and_explains_a_password_mismatch(
    client_as, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(reverse("member_list"), {"email": "x@example.org", "role": "board"})
    url = reverse("invitation_accept", args=[_link_from_last_email().group(1)])
    response = client.post(
        url, {"first_name": "Xu", "password1": "a-long-pass-phrase", "password2": "different-phrase"}
    )
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode()
    assert 'value="Xu"' in response.content.decode()
    assert not Membership.objects.filter(user__email="x@example.org").exists()


def test_inviting_an_existing_member_is_refused_with_a_message(client_as, editor_user):
    response = client_as("admin").post(reverse("member_list"), {"email": editor_user.email, "role": "editor"})
    assert response.status_code == 200
    assert "is already a member" in response.content.decode()
    assert len(mail.outbox) == 0


def test_an_existing_account_joins_by_logging_in(client_as, outsider, organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(reverse("member_list"), {"email": outsider.email, "role": "board"})
    url = reverse("invitation_accept", args=[_link_from_last_email().group(1)])
    client = client_for(outsider)
    assert "Join" in client.get(url).content.decode()
    client.post(url)
    assert Membership.objects.get(user=outsider, organization=organization).role == Role.BOARD


def test_unknown_or_expired_token_is_404(client, organization):
    assert client.get(reverse("invitation_accept", args=["not-a-token"])).status_code == 404


def test_a_new_invitation_replaces_the_older_link(client_as, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(reverse("member_list"), {"email": "y@example.org", "role": "board"})
    first = _link_from_last_email().group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(reverse("member_list"), {"email": "y@example.org", "role": "editor"})
    assert client.get(reverse("invitation_accept", args=[first])).status_code == 404
