"""Counters that slow down guessing at the doors: password reset emails and API keys.

Counts live in the cache only, in fixed windows, under a keyed hash of the address or
email, so neither is stored, and the count is gone when its window ends.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings

from integration_hub import cache as counters


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str  # read on each use, so tests and deploys can change it
    window: int  # seconds

    @property
    def limit(self) -> int:
        return getattr(settings, self.setting)

    def _key(self, value: str, now: float) -> str:
        digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
        return f"throttle:{self.name}:{int(now // self.window)}:{digest}"

    def hit(self, value: str) -> bool:
        """Count one attempt for `value`; True while it is within the limit."""
        return counters.count(self._key(value, time.time()), window=self.window) <= self.limit

    def exceeded(self, value: str) -> bool:
        """True when `value` has used up its window already (reads, does not count)."""
        return counters.peek(self._key(value, time.time())) >= self.limit

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        return self.window - int(time.time() % self.window) or 1


def client_address(request) -> str:
    """The address a request came from: with AXES_IPWARE_PROXY_COUNT proxies of our own in front,
    the hop the outermost one saw (a client can prepend anything to X-Forwarded-For, not append).
    The login lockout reads it too (AXES_CLIENT_IP_CALLABLE), so every door counts one address."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


PASSWORD_RESET_PER_EMAIL = Limit("reset-email", "PASSWORD_RESET_EMAILS_PER_ADDRESS", 60 * 60)
PASSWORD_RESET_PER_ADDRESS = Limit("reset-ip", "PASSWORD_RESET_EMAILS_PER_IP", 60 * 60)
API_KEY_FAILURES = Limit("api-key-fail", "API_KEY_FAILURES_PER_IP", 10 * 60)


def password_reset_allowed(request, email: str) -> bool:
    """Both counters move on every request, so trying many addresses from one place runs out too."""
    per_email = PASSWORD_RESET_PER_EMAIL.hit(email.strip().lower())
    per_address = PASSWORD_RESET_PER_ADDRESS.hit(client_address(request))
    return per_email and per_address
