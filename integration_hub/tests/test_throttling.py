"""Password reset emails and API key guesses are limited per address (issue 15, "Doors")."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from integration_hub.tests.factories import MembershipFactory, UserFactory
from integration_hub.tests.support import api_client_for

pytestmark = pytest.mark.django_db


def _reset(client, email, address="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_thirty_resets_in_a_row_send_at_most_the_limit_of_emails(client, editor_user, settings):
    responses = [_reset(client, editor_user.email) for _ in range(30)]
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS == 3
    # Past the limit the page answers exactly as it does after sending.
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}


def test_the_address_limit_holds_whatever_the_case_and_spacing_of_the_email(client, editor_user):
    for variant in ("staff@riverside.example", "STAFF@Riverside.Example", " staff@riverside.example "):
        for _ in range(2):
            _reset(client, variant, address=f"198.51.100.{len(variant)}")
    assert len(mail.outbox) == 3


def test_one_client_address_cannot_reset_many_accounts(client, organization, settings):
    users = [MembershipFactory(organization=organization, user=UserFactory()).user for _ in range(15)]
    for user in users:
        _reset(client, user.email)
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_IP == 10
    # Another address still gets its email: the limit is per client address, not global.
    _reset(client, users[-1].email, address="192.0.2.200")
    assert len(mail.outbox) == 11


def test_an_unknown_address_past_the_limit_looks_the_same_as_a_known_one(client, editor_user):
    for _ in range(5):
        known = _reset(client, editor_user.email, address="192.0.2.1")
        unknown = _reset(client, "nobody-here@elsewhere.example", address="192.0.2.2")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_the_reset_counters_keep_neither_the_email_nor_the_client_address(client, editor_user):
    _reset(client, editor_user.email, address="203.0.113.99")
    # The in-process cache of the tests, or Redis (REDIS_URL set).
    stored = cache._cache if hasattr(cache, "_expire_info") else cache.keys("*")
    keys = " ".join(str(k) for k in stored)
    assert "throttle:reset-email" in keys
    assert "riverside" not in keys and "203.0.113.99" not in keys


def _guess(address, key="not-a-real-key"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:me"))


def test_failed_api_keys_from_one_address_are_throttled_with_retry_after(settings, editor_user, organization):
    statuses = [_guess("203.0.113.50", key=f"guess-{n}").status_code for n in range(settings.API_KEY_FAILURES_PER_IP)]
    assert statuses == [401] * 20
    throttled = _guess("203.0.113.50")
    assert throttled.status_code == 429
    assert 1 <= int(throttled["Retry-After"]) <= 600
    # While throttled even a right key from that address waits; another address is not affected.
    membership = editor_user.memberships.get()
    right = api_client_for(membership)
    assert right.get(reverse("api:me"), REMOTE_ADDR="203.0.113.50").status_code == 429
    assert right.get(reverse("api:me"), REMOTE_ADDR="198.51.100.1").status_code == 200
    assert _guess("198.51.100.2").status_code == 401


def test_a_malformed_token_header_counts_as_a_failure(settings):
    settings.API_KEY_FAILURES_PER_IP = 2
    client = APIClient(REMOTE_ADDR="203.0.113.60")
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert [client.get(reverse("api:me")).status_code for _ in range(3)] == [401, 401, 429]


def test_successful_api_calls_do_not_use_up_the_failure_allowance(settings, editor_user):
    settings.API_KEY_FAILURES_PER_IP = 2
    right = api_client_for(editor_user.memberships.get())
    for _ in range(10):
        assert right.get(reverse("api:me"), REMOTE_ADDR="203.0.113.70").status_code == 200


@pytest.mark.parametrize("error", ["connection", "timeout"])
def test_the_limits_hold_in_this_process_while_the_cache_is_down(client, editor_user, settings, error):
    from integration_hub import cache as counters
    from integration_hub.tests.support import unreachable_cache

    counters.local_counts_clear()
    settings.CACHES = unreachable_cache(error)
    responses = [_reset(client, editor_user.email) for _ in range(5)]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS

    api = APIClient()
    statuses = [
        api.get("/api/initiatives/", HTTP_AUTHORIZATION="Token wrong", REMOTE_ADDR="192.0.2.9").status_code
        for _ in range(settings.API_KEY_FAILURES_PER_IP + 1)
    ]
    assert set(statuses[:-1]) == {401} and statuses[-1] == 429
    counters.local_counts_clear()
