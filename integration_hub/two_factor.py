"""Two-factor sign-in: a code from an authenticator app (TOTP) or a one-time recovery code (django-otp).

- A user with two-factor sign-in on (`User.two_factor_enabled`, kept here with the devices) is
  asked for a code after the password; until then only the code page, logging out, the
  language switch and the privacy page answer. A forced login (tests, invitations) is no
  exception: the session is verified only by a code.
- An admin of an organisation that requires it (`Organization.require_two_factor`), working in
  that organisation without two-factor sign-in, is sent to set it up first.
- Wrong codes count like wrong passwords do for axes: TWO_FACTOR_FAILURE_LIMIT of them lock
  the code step for TWO_FACTOR_LOCKOUT_MINUTES.
- Audit events (on, off, new recovery codes, a recovery code used, a lockout) go to every
  organisation the user belongs to, so its admins see what happens to their people's sign-in.
"""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from integration_hub import services
from integration_hub.models import AuditEvent, Membership, Organization, Role

# Pages a signed-in user may open before giving a code; setting up adds its own page and the switch.
BEFORE_CODE = {"two_factor_verify", "logout", "set_language", "privacy"}
BEFORE_SETUP = BEFORE_CODE | {"two_factor", "organization_switch"}


class Locked(Exception):
    """Too many wrong codes: the code step is closed for a while."""


# --- Middleware ---------------------------------------------------------------------------------


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._refusal(request) or self.get_response(request)

    def _refusal(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        if user.two_factor_enabled and not user.is_verified():
            if _url_name(request) in BEFORE_CODE:
                return None
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        if not user.two_factor_enabled and _requires_setup(request.access) and _url_name(request) not in BEFORE_SETUP:
            messages.warning(
                request,
                _("%(org)s asks its admins to sign in with two-factor sign-in. Set it up to go on.")
                % {"org": request.access.organization.name},
            )
            return redirect("two_factor")
        return None


def _url_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def _requires_setup(access) -> bool:
    # Network viewers are never admins of the affiliate they look at, so they are not asked.
    return access is not None and access.role == Role.ADMIN and access.organization.require_two_factor


# --- Reads --------------------------------------------------------------------------------------


def organizations_requiring(user):
    """Organisations where `user` is an admin and two-factor sign-in is required of admins."""
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Role.ADMIN, require_two_factor=True
    ).distinct()


def pending_device(*, user) -> TOTPDevice:
    """The device being set up: unconfirmed, so it verifies nothing until a code confirms it.
    The same one on every visit, so reloading the page keeps the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_data_uri(device: TOTPDevice) -> str:
    # A data: image (the CSP allows img-src data:), so the secret never sits at a URL of its own.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def is_locked(user) -> bool:
    return bool(cache.get(_lock_key(user)))


# --- Writes -------------------------------------------------------------------------------------


def _audit(user, action: str, **detail) -> None:
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        services.audit_record(
            organization=membership.organization, action=action, actor=user, summary=user.email, detail=detail
        )


def _normalise(code: str) -> str:
    return "".join((code or "").split()).lower()


def _lock_key(user) -> str:
    return f"two-factor-lock:{user.pk}"


def _failures_key(user) -> str:
    return f"two-factor-failures:{user.pk}"


def _failed(user) -> None:
    """Count one wrong code; the one that reaches the limit locks the code step and raises Locked."""
    window = settings.TWO_FACTOR_LOCKOUT_MINUTES * 60
    if cache.count(_failures_key(user), window=window) >= settings.TWO_FACTOR_FAILURE_LIMIT:
        cache.set(_lock_key(user), True, timeout=window)
        cache.delete(_failures_key(user))
        _audit(user, AuditEvent.Action.TWO_FACTOR_LOCKED_OUT, failures=settings.TWO_FACTOR_FAILURE_LIMIT)
        raise Locked


def code_check(*, user, code: str):
    """The device that accepts `code` (a TOTP code or a recovery code, which is used up), or None.

    A wrong code counts towards the lockout; raises Locked when locked, or when this code locks."""
    if is_locked(user):
        raise Locked
    code = _normalise(code)
    device = match_token(user, code) if code else None
    if device is None:
        _failed(user)
        return None
    cache.delete(_failures_key(user))
    if isinstance(device, StaticDevice):
        _audit(user, AuditEvent.Action.RECOVERY_CODE_USED, codes_left=device.token_set.count())
    return device


def identity_confirmed(*, user, password_or_code: str) -> bool:
    """For turning it off: the account's password or a current code. Wrong ones count as wrong codes."""
    if password_or_code and user.check_password(password_or_code):
        return True
    return code_check(user=user, code=password_or_code) is not None


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_enable(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending `device` with a code from the app and turn two-factor sign-in on.

    Returns the new recovery codes (shown once), or None when the code is wrong (nothing changes
    but the failure count). Earlier devices are replaced."""
    if is_locked(user):
        raise Locked
    if not device.verify_token(_normalise(code)):
        _failed(user)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        user.two_factor_enabled = True
        user.save(update_fields=["two_factor_enabled"])
        _audit(user, AuditEvent.Action.TWO_FACTOR_ENABLED)
    return codes


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_replace(user)
    _audit(user, AuditEvent.Action.RECOVERY_CODES_CREATED, codes=len(codes))
    return codes


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Delete the user's devices and recovery codes: the password alone signs in again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled"])
    _audit(user, AuditEvent.Action.TWO_FACTOR_DISABLED)
