"""A Redis cache that answers like a miss when Redis is down or hung, instead of failing the request.

Every user of the default cache goes through it: Wagtail's site lookup (every
page), django-ratelimit (registrations, password reset), the page cache
(``config/cache.py``) and the health check. With Django's own ``RedisCache`` a
refused connection is an exception in each of them, i.e. a 500 on every public
page; a hung Redis held each request for the client's default 5 s per call.

So, for Redis's connection and timeout errors:

- each operation answers as if the key were absent: ``get`` → the default,
  ``get_many`` → ``{}``, ``add`` → ``True`` (the key was absent, so "first one
  wins" callers go ahead: a rate-limit window starts at one hit and never
  limits, a single-use marker is accepted), ``set``/``delete``/``touch``/
  ``has_key`` → ``False``, ``incr`` → ``delta`` (a counter that has just
  started: rate limits fail open), ``set_many`` → every key;
- the sockets have short connect and read timeouts (settings ``OPTIONS``), so a
  hung Redis costs one call a fraction of a second;
- a circuit breaker then skips Redis for ``RETRY_AFTER`` seconds in this
  process: the rest of the request, and the requests after it, cost nothing.
  After that, one caller pings Redis (the others keep skipping meanwhile),
  and its answer closes the breaker or opens it again;
- one warning line per ``WARN_EVERY`` seconds and per process says so (not one
  per call), and one line says when Redis answers again.

Other Redis errors (out of memory, read-only replica) answer the same way and
are logged, without opening the breaker. ``ping()`` ignores the breaker: it is
what ``/sante/`` asks.

What is lost while Redis is away: cached pages (built for each request), rate
limits (not enforced: "rate limits fail open" in the log), and page-cache
purges sent meanwhile. A Redis that hung or was cut off keeps the pages it
held; so when this process reaches it again it sends ``cache_recovered``, and
the page cache purges everything (``config/cache.py``): a seat count taken
during the outage is never hidden behind a page cached before it.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_RETRY_AFTER = 5.0
DEFAULT_WARN_EVERY = 60.0

CLOSED, SKIP, PROBE = "closed", "skip", "probe"

# Sent (outside any lock) when this process reaches Redis again after failing to; ``name`` is the server.
cache_recovered = Signal()


class CircuitBreaker:
    """What one process knows of one Redis server: reachable, or skipped until ``open_until``."""

    def __init__(self, name, retry_after, warn_every):
        self.name = name
        self.retry_after = retry_after
        self.warn_every = warn_every
        self.open_until = 0.0  # 0: closed, Redis is used
        self.last_warnings = {}  # kind ("unreachable", "error") -> when it was last logged
        self.skipped = 0
        self.lock = threading.Lock()

    def state(self):
        """CLOSED: use Redis. SKIP: answer without it. PROBE: this caller checks first whether it is back
        (one caller per ``retry_after`` seconds; the others keep skipping meanwhile)."""
        if not self.open_until:
            return CLOSED
        with self.lock:
            now = time.monotonic()
            if now < self.open_until:
                self.skipped += 1
                return SKIP
            self.open_until = now + self.retry_after
            return PROBE

    def succeeded(self):
        if not self.open_until:
            return
        with self.lock:
            if not self.open_until:
                return
            self.open_until = 0.0
            skipped, self.skipped = self.skipped, 0
            self.last_warnings.clear()
        logger.warning("Cache %s reachable again: back to normal (%d calls skipped)", self.name, skipped)
        cache_recovered.send(sender=CircuitBreaker, name=self.name)

    def failed(self, operation, error, *, trip=True):
        """Open the breaker (``trip``: Redis unreachable) and warn, at most once per ``warn_every`` and kind."""
        kind = "unreachable" if trip else "error"
        with self.lock:
            now = time.monotonic()
            if trip:
                self.open_until = now + self.retry_after
            last = self.last_warnings.get(kind)
            if last is not None and now - last < self.warn_every:
                return
            self.last_warnings[kind] = now
            skipped, self.skipped = self.skipped, 0
        if trip:
            logger.warning(
                "Cache %s unreachable (%s on %s: %s): serving without it, pages uncached and rate limits "
                "not enforced (fail open); next try in %.0f s (%d calls skipped since the last warning)",
                self.name,
                type(error).__name__,
                operation,
                error,
                self.retry_after,
                skipped,
            )
        else:
            logger.warning(
                "Cache %s error (%s on %s: %s): answered as a miss", self.name, type(error).__name__, operation, error
            )


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(servers, retry_after, warn_every):
    """One breaker per server list and process, shared by every thread's backend instance."""
    key = (tuple(servers), retry_after, warn_every)
    with _breakers_lock:
        if key not in _breakers:
            # Named by host, port and database only: a password in the URL never reaches the log.
            name = ",".join(server.rsplit("@", 1)[-1].split("://", 1)[-1] for server in servers)
            _breakers[key] = CircuitBreaker(name, retry_after, warn_every)
        return _breakers[key]


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` object per connection pool.

    Django builds a new ``redis.Redis`` for every command, and each one fills its
    table of response callbacks again (about 50 dictionary writes per command:
    ≈ 6,400 on a home page that makes 124 cache calls). The client object only
    wraps the pool; reusing it is safe (the pool hands each command a connection)
    and the backend instance using it is already one per thread.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose operations answer like a miss while Redis is unreachable (module docstring).

    Extra keys of the CACHES entry: ``RETRY_AFTER`` (seconds Redis is skipped after a
    failure, default 5) and ``WARN_EVERY`` (seconds between two warnings, default 60).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._breaker = breaker_for(
            self._servers,
            float(params.get("RETRY_AFTER", DEFAULT_RETRY_AFTER)),
            float(params.get("WARN_EVERY", DEFAULT_WARN_EVERY)),
        )

    def _guard(self, operation, fallback, call, *args):
        state = self._breaker.state()
        # A probe pings first, so that the recovery purge runs before anything is read.
        if state == SKIP or (state == PROBE and not self.ping()):
            return fallback
        try:
            return call(*args)
        except UNREACHABLE as error:
            self._breaker.failed(operation, error)
        except RedisError as error:
            self._breaker.failed(operation, error, trip=False)
        return fallback

    def ping(self):
        """Does Redis answer right now? Ignores the breaker and closes it on success (recovery).

        Asked by /sante/, and by the first call after ``RETRY_AFTER`` seconds of skipping.
        """
        try:
            self._cache.get_client(write=True).ping()
        except (RedisError, OSError) as error:
            self._breaker.failed("ping", error)
            return False
        self._breaker.succeeded()
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", False, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guard("clear", False, super().clear)
