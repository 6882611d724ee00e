"""The Redis cache builds one client object per connection pool, not one per command (issue 18).

Against the real Redis server of the machine (this worker's database, a prefix of its own);
skipped when none answers.
"""

import pytest
import redis
from django.core.cache.backends.redis import RedisCacheClient

from config.cache_backend import ResilientRedisCache, ReusedClientRedisCacheClient
from tests.workers import redis_url

URL = redis_url()


@pytest.fixture
def redis_available():
    try:
        redis.Redis.from_url(URL, socket_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield
    redis.Redis.from_url(URL).flushdb()


def counting_clients(monkeypatch):
    built = []
    original = redis.Redis.__init__

    def init(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", init)
    return built


def test_a_hundred_cache_calls_build_one_redis_client(redis_available, monkeypatch):
    built = counting_clients(monkeypatch)
    backend = ResilientRedisCache(URL, {"KEY_PREFIX": "client-reuse-test", "OPTIONS": {"socket_timeout": 0.5}})
    for number in range(50):
        backend.set(f"key-{number}", number)
        assert backend.get(f"key-{number}") == number
    assert backend.get_many(["key-1", "key-2"]) == {"key-1": 1, "key-2": 2}
    assert len(built) == 1


def test_django_own_client_builds_one_per_call(monkeypatch):
    """What the reuse saves: Django's client makes a new ``redis.Redis`` for every command."""
    built = counting_clients(monkeypatch)
    client = RedisCacheClient([URL])
    for _ in range(10):
        client.get_client()
    assert len(built) == 10
    reused = ReusedClientRedisCacheClient([URL])
    assert reused.get_client() is reused.get_client(write=True)
