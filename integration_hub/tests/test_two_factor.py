"""Two-factor sign-in: set-up, the code step after the password, recovery codes, lockout, audit,
and organisations that require it of their admins. Codes come from django-otp's own TOTP
computation with the device's key; nothing about verification is mocked."""

import time
from base64 import b32encode
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from integration_hub.models import AuditEvent, Role
from integration_hub.tests.factories import MembershipFactory, UserFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _code(device, drift=0):
    """The code an authenticator app shows for `device`, `drift` steps of 30 s from now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _wrong_code(device):
    valid = {_code(device, d) for d in (-2, -1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999)) if code not in valid)


def _seconds_left(key):
    full_key = cache.make_key(key)
    if hasattr(cache, "_expire_info"):  # the in-process cache of the tests
        return cache._expire_info[full_key] - time.time()
    return cache.ttl(key)  # Redis (REDIS_URL set)


def _enable(client, user):
    """Set up two-factor sign-in through the pages; returns (device, recovery codes)."""
    assert client.get(reverse("two_factor")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor"), {"code": _code(device)})
    assert response.status_code == 200, response.content.decode()[:500]
    device.refresh_from_db()
    return device, response.context["codes"]


def _password_login(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _verify_url(next_path):
    return f"{reverse('two_factor_verify')}?{urlencode({'next': next_path})}"


@pytest.fixture
def admin_with_two_factor(admin_user, organization):
    client = client_for(admin_user, organization)
    device, codes = _enable(client, admin_user)
    admin_user.refresh_from_db()
    return admin_user, device, codes


def test_set_up_shows_a_qr_code_and_the_key_and_nothing_is_on_until_a_code_confirms_it(editor_client, editor_user):
    page = editor_client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=editor_user)
    assert not device.confirmed
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # Reloading keeps the same key, so a code scanned a moment ago still confirms.
    editor_client.get(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=editor_user).count() == 1

    response = editor_client.post(reverse("two_factor"), {"code": _wrong_code(device)})
    assert "That code is not right" in response.content.decode()
    editor_user.refresh_from_db()
    assert not editor_user.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=editor_user, confirmed=True).exists()
    assert editor_client.get(reverse("home")).status_code == 200


def test_a_code_confirms_the_device_and_ten_recovery_codes_are_shown_once(editor_client, editor_user, organization):
    device, codes = _enable(editor_client, editor_user)
    editor_user.refresh_from_db()
    assert editor_user.two_factor_enabled and device.confirmed
    assert len(codes) == len(set(codes)) == 10
    assert sorted(StaticToken.objects.filter(device__user=editor_user).values_list("token", flat=True)) == sorted(codes)
    # The session that set it up stays signed in; the codes are not shown again.
    manage = editor_client.get(reverse("two_factor")).content.decode()
    assert "Two-factor sign-in is on" in manage
    assert not any(code in manage for code in codes)
    assert editor_client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR_ENABLED)
    assert (event.organization, event.actor) == (organization, editor_user)


def test_after_the_password_only_the_code_page_answers_until_a_code_is_given(admin_with_two_factor):
    user, device, _codes = admin_with_two_factor
    client = _password_login(user)
    for name in ("home", "member_list", "organization_export", "organization_erasure", "api_tokens", "profile"):
        response = client.get(reverse(name))
        assert (response.status_code, response.url) == (302, _verify_url(reverse(name))), name
    assert client.post(reverse("organization_settings"), {"name": "Taken over"}).status_code == 302
    assert client.get("/initiatives/").url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("two_factor_verify")).status_code == 200

    response = client.post(reverse("two_factor_verify"), {"code": _code(device, drift=1), "next": "/members/"})
    assert (response.status_code, response.url) == (302, "/members/")
    assert client.get(reverse("member_list")).status_code == 200


def test_a_forced_login_of_a_user_with_a_device_is_still_asked_for_the_code(admin_with_two_factor, organization):
    user, _device, _codes = admin_with_two_factor
    client = client_for(user, organization)
    assert client.get(reverse("home")).url == _verify_url("/")


def test_forced_logins_of_users_without_a_device_work_as_before(client_as):
    for role in ("admin", "editor", "network"):
        assert client_as(role).get(reverse("home")).status_code == 200, role
    assert client_as("board").get(reverse("home")).url == reverse("evaluations:dashboard")


def test_a_code_with_spaces_works_and_odd_input_is_a_plain_error(admin_with_two_factor, settings):
    settings.TWO_FACTOR_FAILURE_LIMIT = 50
    user, device, _codes = admin_with_two_factor
    client = _password_login(user)
    for odd in ("", " ", "ñ" * 64, "<script>alert(1)</script>", "12345\n6", "9" * 64, "😀😀😀"):
        response = client.post(reverse("two_factor_verify"), {"code": odd})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()
    code = _code(device, drift=1)
    response = client.post(reverse("two_factor_verify"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302


def test_a_recovery_code_signs_in_once_and_the_admins_see_it(admin_with_two_factor, organization):
    user, _device, codes = admin_with_two_factor
    client = _password_login(user)
    response = client.post(reverse("two_factor_verify"), {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECOVERY_CODE_USED)
    assert (event.organization, event.actor, event.detail) == (organization, user, {"codes_left": 9})
    # Used up: the same code does not sign in a second time.
    again = _password_login(user)
    assert "That code is not right" in again.post(reverse("two_factor_verify"), {"code": codes[3]}).content.decode()
    assert again.get(reverse("home")).status_code == 302


def test_five_wrong_codes_lock_the_code_step_for_fifteen_minutes_and_are_audited(
    admin_with_two_factor, organization, other_organization, settings
):
    user, device, codes = admin_with_two_factor
    MembershipFactory(user=user, organization=other_organization, role=Role.BOARD)
    client = _password_login(user)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT - 1):
        response = client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
        assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_LOCKED_OUT).exists()
    response = client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    # Locked: neither a right code nor a recovery code gets through, and the lock lasts 15 minutes.
    assert client.post(reverse("two_factor_verify"), {"code": _code(device, drift=1)}).status_code == 429
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 429
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_verify"))
    assert StaticToken.objects.filter(token=codes[0]).exists()
    assert 14 * 60 < _seconds_left(f"two-factor-lock:{user.pk}") <= 15 * 60
    locked = AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_LOCKED_OUT)
    assert sorted(e.organization.name for e in locked) == sorted([organization.name, other_organization.name])
    # The lock is the account's, not the session's: a new password login meets it too.
    assert _password_login(user).get(reverse("two_factor_verify")).status_code == 429


def test_a_right_code_resets_the_count_of_wrong_ones(admin_with_two_factor, settings):
    user, device, _codes = admin_with_two_factor
    client = _password_login(user)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT - 1):
        client.post(reverse("two_factor_verify"), {"code": _wrong_code(device)})
    assert client.post(reverse("two_factor_verify"), {"code": _code(device, drift=1)}).status_code == 302
    later = _password_login(user)
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT - 1):
        assert later.post(reverse("two_factor_verify"), {"code": _wrong_code(device)}).status_code == 200


def test_turning_it_off_needs_the_password_or_a_current_code(editor_client, editor_user, organization):
    device, _codes = _enable(editor_client, editor_user)
    response = editor_client.post(reverse("two_factor"), {"action": "disable", "password_or_code": "guess"})
    assert "neither your password nor a current code" in response.content.decode()
    editor_user.refresh_from_db()
    assert editor_user.two_factor_enabled

    response = editor_client.post(reverse("two_factor"), {"action": "disable", "password_or_code": PASSWORD})
    assert response.status_code == 302
    editor_user.refresh_from_db()
    assert not editor_user.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=editor_user).exists()
    assert not StaticToken.objects.filter(device__user=editor_user).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_DISABLED, organization=organization).exists()
    assert _password_login(editor_user).get(reverse("home")).status_code == 200


def test_a_current_code_also_turns_it_off(editor_client, editor_user):
    device, _codes = _enable(editor_client, editor_user)
    editor_client.post(reverse("two_factor"), {"action": "disable", "password_or_code": _code(device, drift=1)})
    editor_user.refresh_from_db()
    assert not editor_user.two_factor_enabled


def test_new_recovery_codes_replace_the_old_ones(admin_with_two_factor, organization):
    user, _device, old_codes = admin_with_two_factor
    client = _password_login(user)
    client.post(reverse("two_factor_verify"), {"code": old_codes[0]})
    response = client.post(reverse("two_factor"), {"action": "recovery_codes"})
    new_codes = response.context["codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECOVERY_CODES_CREATED, organization=organization)
    refused = _password_login(user)
    assert refused.post(reverse("two_factor_verify"), {"code": old_codes[1]}).status_code == 200
    assert refused.post(reverse("two_factor_verify"), {"code": new_codes[1]}).status_code == 302


def test_an_organisation_requiring_it_sends_its_admins_to_set_up_on_any_page(
    client_as, organization, admin_user, people
):
    organization.require_two_factor = True
    organization.save()
    admin = client_as("admin")
    for path in (reverse("home"), reverse("member_list"), reverse("organization_export"), "/initiatives/"):
        assert admin.get(path).url == reverse("two_factor"), path
    assert "asks its admins" in admin.get(reverse("two_factor")).content.decode()
    # Staff, board members and network-office viewers of the same affiliate are not asked.
    assert client_as("editor").get(reverse("home")).status_code == 200
    assert client_as("board").get(reverse("evaluations:dashboard")).status_code == 200
    assert client_as("network").get(reverse("home")).status_code == 200
    _enable(admin, admin_user)
    assert admin.get(reverse("member_list")).status_code == 200


def test_an_admin_where_it_is_required_works_freely_in_an_organisation_that_does_not(
    client_as, organization, other_organization, admin_user
):
    organization.require_two_factor = True
    organization.save()
    MembershipFactory(user=admin_user, organization=other_organization, role=Role.ADMIN)
    client = client_for(admin_user, other_organization)
    assert client.get(reverse("member_list")).status_code == 200
    # Switching back into the organisation that requires it leads to the set-up page.
    client.post(reverse("organization_switch"), {"organization": organization.pk})
    assert client.get(reverse("home")).url == reverse("two_factor")


def test_an_admin_cannot_turn_it_off_where_the_organisation_requires_it(admin_with_two_factor, organization):
    user, device, _codes = admin_with_two_factor
    organization.require_two_factor = True
    organization.save()
    client = _password_login(user)
    client.post(reverse("two_factor_verify"), {"code": _code(device, drift=1)})
    assert "requires two-factor sign-in of its admins" in client.get(reverse("two_factor")).content.decode()
    client.post(reverse("two_factor"), {"action": "disable", "password_or_code": PASSWORD})
    user.refresh_from_db()
    assert user.two_factor_enabled


def test_the_settings_page_switches_the_requirement_on(client_as, organization, admin_user):
    client_as("admin").post(
        reverse("organization_settings"),
        {"name": organization.name, "time_zone": "America/Chicago", "retention_months": 24, "require_two_factor": "on"},
    )
    organization.refresh_from_db()
    assert organization.require_two_factor
    assert client_as("admin").get(reverse("home")).url == reverse("two_factor")


def test_the_code_page_never_sends_anyone_off_site(admin_with_two_factor):
    user, device, _codes = admin_with_two_factor
    client = _password_login(user)
    response = client.post(
        reverse("two_factor_verify"), {"code": _code(device, drift=1), "next": "https://evil.example/steal"}
    )
    assert response.url == reverse("home")


def test_the_code_page_sends_users_without_two_factor_on_and_visitors_to_login(editor_client, client):
    assert editor_client.get(reverse("two_factor_verify")).url == reverse("home")
    assert client.get(reverse("two_factor_verify")).url.startswith(reverse("login"))
    assert client.get(reverse("two_factor")).url.startswith(reverse("login"))
    assert client.post(reverse("two_factor"), {"code": "123456"}).url.startswith(reverse("login"))


def test_devices_deleted_by_a_superuser_reset_two_factor_for_a_lost_phone(admin_with_two_factor):
    user, _device, _codes = admin_with_two_factor
    TOTPDevice.objects.filter(user=user).delete()
    user.staticdevice_set.all().delete()
    client = _password_login(user)
    assert client.get(reverse("two_factor_verify")).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_each_user_has_their_own_device_and_lock(organization, settings):
    users = [MembershipFactory(organization=organization, user=UserFactory()).user for _ in range(3)]
    devices = []
    for user in users:
        device, _codes = _enable(client_for(user, organization), user)
        devices.append(device)
    first = _password_login(users[0])
    for _ in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        first.post(reverse("two_factor_verify"), {"code": _wrong_code(devices[0])})
    # Another member's code does not open this account, and this account's lock is not theirs.
    second = _password_login(users[1])
    assert second.post(reverse("two_factor_verify"), {"code": _code(devices[2], drift=1)}).status_code == 200
    assert second.post(reverse("two_factor_verify"), {"code": _code(devices[1], drift=1)}).status_code == 302
