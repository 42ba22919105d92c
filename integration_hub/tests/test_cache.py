"""The cache backends' windowed counter (the public survey's rate limit counts with it)."""

import pytest
from django.conf import settings
from django.core.cache import cache

on_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis)")


def test_count_adds_one_per_call_for_each_key():
    assert [cache.count("survey-rate:a", window=60) for _ in range(3)] == [1, 2, 3]
    assert cache.count("survey-rate:b", window=60) == 1
    assert cache.get("survey-rate:a") == 3  # an ordinary cache value: get, incr and delete still work


def test_count_starts_again_once_the_window_has_gone():
    cache.count("survey-rate:a", window=60)
    cache.delete("survey-rate:a")  # what expiry does
    assert cache.count("survey-rate:a", window=60) == 1


@on_redis
def test_on_redis_the_window_expires_from_the_first_count_and_is_not_extended():
    client = cache.client.get_client(write=True)
    key = cache.make_key("survey-rate:a")
    assert cache.count("survey-rate:a", window=120) == 1
    assert 115 <= client.ttl(key) <= 120
    client.expire(key, 30)
    assert cache.count("survey-rate:a", window=120) == 2
    assert client.ttl(key) <= 30  # a running window keeps its expiry


@on_redis
def test_on_redis_one_client_serves_every_call():
    assert cache.client.get_client(write=True) is cache.client.get_client(write=True)
