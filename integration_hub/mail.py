"""Email helpers every app shares."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

SUBJECT_MAX_LENGTH = 150


def email_subject(text: str, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """`text` as a subject that cannot fail to send: one line (Django refuses a header with a
    line break), no control characters, whitespace runs collapsed, at most `max_length`
    characters (cut at a word where one is near, with an ellipsis)."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    if len(line) <= max_length:
        return line
    cut = line[: max_length - 1]
    if " " in cut[-20:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def site_host() -> str:
    """The host of SITE_URL, for Message-IDs and calendar UIDs that differ per deployment."""
    return urlsplit(settings.SITE_URL).hostname or "integration-hub.invalid"


# --- one-click opt-out of reminder emails (RFC 8058) ---

_UNSUBSCRIBE_SALT = "integration_hub.reminders.unsubscribe"


def unsubscribe_token(user) -> str:
    """A signed, unguessable token for the user's opt-out link; it names only the account."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(str(user.pk))


def unsubscribe_link(user) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("unsubscribe", args=[unsubscribe_token(user)])


def unsubscribe_user(token: str):
    """The user the token was made for, or None for a token that was not signed here."""
    try:
        pk = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first() if pk.isdigit() else None
