"""The cache backends of settings.CACHES: django-redis's and Django's in-process one, plus a
counter over a time window.

`cache.count(key, window=seconds)` adds one to a counter that expires `window` seconds after its
first count and returns the new count; the public survey's per-link rate limit uses it. On Redis it
is one round trip (add + incr through the cache API are three: SET NX, EXISTS, INCR), through
django-redis's own client (one per connection pool, reused by every call).

`count(key, window=seconds)` is what callers use: the shared count, or — while the cache cannot
be reached or answers too slowly (settings.CACHE_SOCKET_TIMEOUT) — a count in this process only,
so a public page never fails or hangs because of the cache.
"""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends import locmem
from django_redis.cache import RedisCache as DjangoRedisCache

logger = logging.getLogger(__name__)


class RedisCache(DjangoRedisCache):
    """django-redis's backend (REDIS_URL), with the windowed counter."""

    def count(self, key, *, window: int, version=None) -> int:
        name = self.client.make_key(key, version=version)
        with self.client.get_client(write=True).pipeline(transaction=True) as pipe:
            pipe.set(name, 0, ex=window, nx=True)  # opens the window; a running one keeps its expiry
            pipe.incr(name)
            return pipe.execute()[1]


class LocMemCache(locmem.LocMemCache):
    """The in-process cache of development and tests (no REDIS_URL)."""

    def count(self, key, *, window: int, version=None) -> int:
        self.add(key, 0, timeout=window, version=version)
        try:
            return self.incr(key, version=version)
        except ValueError:  # expired between add and incr: a new window
            self.add(key, 1, timeout=window, version=version)
            return 1


_local = LocMemCache("integration-hub-fallback-counts", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_warned_at = 0.0


def count(key: str, *, window: int) -> int:
    """cache.count, falling back to a per-process count while the cache is down or hung."""
    global _warned_at
    try:
        return cache.count(key, window=window)
    except Exception as error:  # redis ConnectionError, TimeoutError, or anything else the cache raises
        if time.monotonic() - _warned_at > 60:  # once a minute per process, not once per request
            _warned_at = time.monotonic()
            logger.warning("Cache unreachable (%s: %s); counting in this process only.", type(error).__name__, error)
        return _local.count(key, window=window)


def peek(key: str) -> int:
    """The current count under `key` (0 when none), without counting: the shared one, or this
    process's while the cache cannot be reached (as `count` keeps it then)."""
    try:
        return cache.get(key) or 0
    except Exception:
        return _local.get(key) or 0


def local_counts_clear() -> None:
    """Tests: forget the per-process fallback counts."""
    _local.clear()
