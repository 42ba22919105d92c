import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_lands_on_home(client, editor_user):
    response = client.post(reverse("login"), {"username": editor_user.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_is_locked_after_repeated_failures(client, editor_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": editor_user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": editor_user.email, "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_behind_a_proxy_the_lockout_counts_the_clients_address_not_the_proxys(client, editor_user, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    guesser = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": editor_user.email, "password": "wrong"}, **guesser)
    assert response.status_code == 429
    # The same person from another address, through the same proxy, is not locked out with them;
    # a forged first hop does not move the guesser elsewhere either.
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.40"}
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.40, 198.51.100.7"}
    password = {"username": editor_user.email, "password": "correct-horse-battery"}
    assert client.post(reverse("login"), password, **forged).status_code == 429
    assert client.post(reverse("login"), password, **colleague).status_code == 302


def test_a_wrong_password_says_so_and_keeps_the_email(client, editor_user):
    response = client.post(reverse("login"), {"username": editor_user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    assert editor_user.email in response.content.decode()


def test_password_reset_sends_a_working_link(client, editor_user):
    client.post(reverse("password_reset"), {"email": editor_user.email})
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "brand-new-phrase-9", "new_password2": "brand-new-phrase-9"}
    )
    assert response.status_code == 302
    editor_user.refresh_from_db()
    assert editor_user.check_password("brand-new-phrase-9")


def test_logout_is_a_post_and_ends_the_session(editor_client):
    response = editor_client.post(reverse("logout"))
    assert response.status_code == 302
    assert editor_client.get(reverse("home")).status_code == 302


def test_every_page_has_a_title(editor_client, client):
    for response in (editor_client.get(reverse("home")), client.get(reverse("login"))):
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
        assert title.strip().split("·")[0].strip()
