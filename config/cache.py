"""Django's Redis cache, keeping one Redis client per connection pool, and degrading to
misses while Redis is unreachable.

Django's backend builds a new ``redis.Redis`` client for every cache call, and redis-py 8
copies its table of ~170 response callbacks each time: about 0.2 ms per call, more than the
round-trip to Redis itself. A client is only a handle on the (thread-safe) connection pool,
so one per pool does the same work.

The site only uses the cache to go faster (pages, versions, rate limits), so a stopped
Redis must not turn every URL into a 500: every operation then answers as a miss, one
warning a minute says so, and Redis is left alone for a short back-off between attempts so
a dead or blackholed host costs one connect timeout per back-off, not one per cache call.
Only connection-level errors count; a programming error (bad arguments, a wrong-type key)
still raises.

django-redis offers the same miss behaviour (``DJANGO_REDIS_IGNORE_EXCEPTIONS``), but it
logs every ignored exception (hundreds a second under load) rather than once a minute, has
no back-off so each call still waits for a connect, also swallows ``ResponseError``
(programming errors), and would replace Django's own backend with another dependency. The
few lines below are cheaper than that.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("config.cache")

# What "Redis is unreachable" looks like; OSError covers socket errors redis-py lets through.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# A request must not hang on a blackholed host (redis-py waits 5 s by default).
DEFAULT_POOL_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}

_MISSING = object()


class PooledRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Outage:
    """The state of one LOCATION in this process. Django makes a backend per thread, so the
    state lives here, shared, to warn once a minute per process and to back off together."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = float("-inf")  # no attempt before this (monotonic) time
        self.warned_at = float("-inf")
        self.last_failure: float | None = None  # any operation answered as a miss


_outages: dict[tuple[str, ...], _Outage] = {}


def _redacted(url: str) -> str:
    """The URL without user, password or query (where redis-py also accepts a password)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


class PooledRedisCache(RedisCache):
    """Use as ``"BACKEND": "config.cache.PooledRedisCache"``; Django's own, except that an
    unreachable Redis means misses instead of exceptions. OPTIONS may set ``outage_backoff``
    (seconds without trying Redis after a failure) besides the connection pool's options."""

    outage_backoff = 2.0
    warn_interval = 60.0
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
        options = {**DEFAULT_POOL_OPTIONS, **self._options}
        self.outage_backoff = float(options.pop("outage_backoff", self.outage_backoff))
        self._options = options
        self._outage = _outages.setdefault(tuple(self._servers), _Outage())
        self._location = ", ".join(_redacted(server) for server in self._servers)

    # State

    def is_available(self) -> bool:
        """False during the back-off after a failure: calls then answer as misses at once."""
        return self.clock() >= self._outage.retry_at

    @property
    def last_failure(self) -> float | None:
        """When (``clock()`` time) an operation last went unserved: a write then was lost."""
        return self._outage.last_failure

    def _attempt(self, miss: Any, operation: Callable[..., Any], *args: Any) -> Any:
        """``operation(*args)``, or ``miss`` if Redis is unreachable or in its back-off."""
        outage = self._outage
        if not self.is_available():
            outage.last_failure = self.clock()
            return miss
        try:
            result = operation(*args)
        except UNREACHABLE as error:
            self._failed(error)
            return miss
        if outage.down:
            self._recovered()
        return result

    def _failed(self, error: Exception) -> None:
        outage = self._outage
        with outage.lock:
            now = self.clock()
            outage.down = True
            outage.last_failure = now
            outage.retry_at = now + self.outage_backoff
            warn = now - outage.warned_at >= self.warn_interval
            if warn:
                outage.warned_at = now
        if warn:
            logger.warning(
                "Cache unreachable at %s (%s: %s); pages are served uncached, retrying every %g s",
                self._location,
                type(error).__name__,
                error,
                self.outage_backoff,
            )

    def _recovered(self) -> None:
        outage = self._outage
        with outage.lock:
            was_down, outage.down = outage.down, False
        if was_down:
            logger.info("cache reachable again at %s", self._location)

    # Operations: Django's, each answering as a miss while Redis is unreachable.

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._attempt(False, super().add, key, value, timeout, version)

    def get(self, key: str, default: Any = None, version=None) -> Any:
        return self._attempt(default, super().get, key, default, version)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        self._attempt(None, super().set, key, value, timeout, version)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._attempt(False, super().touch, key, timeout, version)

    def delete(self, key: str, version=None) -> bool:
        return self._attempt(False, super().delete, key, version)

    def get_many(self, keys: Iterable[str], version=None) -> dict[str, Any]:
        return self._attempt({}, super().get_many, keys, version)

    def has_key(self, key: str, version=None) -> bool:
        return self._attempt(False, super().has_key, key, version)

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        result = self._attempt(_MISSING, super().incr, key, delta, version)
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version=None
    ) -> list[str]:
        """Returns the keys that were not stored: all of them while Redis is unreachable."""
        return self._attempt(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys: Iterable[str], version=None) -> None:
        self._attempt(None, super().delete_many, keys, version)

    def clear(self) -> bool:
        return self._attempt(False, super().clear)
