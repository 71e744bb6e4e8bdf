"""Versions read from Redis once per process, then kept until Redis says they changed.

Every page served checks two or three versions, so without this each request pays a Redis
round-trip (and Redis the CPU to answer it) for strings that change only when a comment is
moderated. Redis's client-side caching protocol (``CLIENT TRACKING``, Redis 6 and later,
RESP3) makes that unnecessary: Redis remembers which keys this connection read and pushes
an "invalidate" message on the same connection as soon as any client changes one of them
(or flushes the database). Before using what it knows, a read drains those messages with a
non-blocking poll, so a version another process replaced is never used again once Redis
has answered that process: the same promise as a round-trip, without the round-trip.

A version this process writes itself is forgotten at once, not when the message arrives.
Redis writes a command's reply and the invalidation messages it causes in the same pass of
its event loop, but in no fixed order: the writer may hold its reply a few microseconds
before the other processes' messages are sent. So a write is followed by one more
round-trip (``settle``): Redis answers it only after that pass, so every message is on its
way before the writer goes on (and, say, a moderator's next page view is served).
A connection that went silent (a firewall dropping it without a word) would deliver no
messages, so at most once a second a read also asks Redis for an answer on it (the read
itself when it needs one, else a PING); no answer within the socket timeout and the
connection is dropped.
If the connection drops, everything known is forgotten (messages may have been lost) and
reads go through the ordinary cache client until a new tracking connection is made, after a
short back-off so a stopped Redis costs one connect attempt per back-off.

Redis's own client-side cache in redis-py needs Redis 7.4; this needs only tracking, so it
works with the Redis of Debian 12 (7.0). Only a single-server Django ``RedisCache`` is
tracked; any other cache is read as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 2.0
VERIFY_EVERY_SECONDS = 1.0
MAX_KNOWN = 50_000  # keys kept per process; beyond that it starts again (a crawler's URLs)
_MISSING = object()


class TrackingUnavailable(Exception):
    """Reads must go through the cache's own client (no tracking connection right now)."""


class TrackedReader:
    """One tracking connection and what it knows, per process and cache."""

    def __init__(self, cache: RedisCache) -> None:
        self.cache = cache
        self.lock = threading.Lock()
        self.connection = None
        self.pid = None
        self.known: dict[str, Any] = {}  # Redis key -> decoded value, or _MISSING
        self.retry_at = float("-inf")
        self.answered_at = float("-inf")
        self._names: dict[str, str] = {}

    def _name(self, key: str) -> str:
        """The key as the cache stores it (memoised: the same few keys on every request;
        the cache's own writes validate them)."""
        name = self._names.get(key)
        if name is None:
            if len(self._names) > 10_000:
                self._names.clear()
            name = self._names[key] = self.cache.make_and_validate_key(key)
        return name

    # The connection

    def _connect(self) -> None:
        if time.monotonic() < self.retry_at:
            raise TrackingUnavailable
        pool = self.cache._cache._get_connection_pool(write=False)
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            connection.send_command("CLIENT", "TRACKING", "ON")
            connection.read_response()
        except Exception as error:  # unreachable, or a server without tracking
            connection.disconnect()
            self.retry_at = time.monotonic() + RETRY_AFTER_SECONDS
            logger.debug("Page cache: no version tracking (%s)", error)
            raise TrackingUnavailable from error
        self.connection, self.pid = connection, os.getpid()
        self.known.clear()
        self.answered_at = time.monotonic()

    def _drop(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # already broken: forgetting it is the point
                self.connection.disconnect()
        self.connection = None
        self.known.clear()
        self.retry_at = time.monotonic() + RETRY_AFTER_SECONDS

    def _invalidated(self, message: list) -> None:
        keys = message[1]
        if keys is None:  # FLUSHDB, FLUSHALL, or the tracking table overflowed
            self.known.clear()
            return
        for key in keys:
            self.known.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _drain(self) -> None:
        connection = self.connection
        while connection.can_read():
            connection.read_response(push_request=True, timeout=0, disconnect_on_error=False)

    # Reads and writes

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """Like ``cache.get_many``; raises TrackingUnavailable when it cannot answer."""
        names = {self._name(key): key for key in keys}
        with self.lock:
            try:
                if self.connection is None or self.pid != os.getpid():
                    self.connection = None  # a forked worker never shares its parent's socket
                    self._connect()
                self._drain()
                wanted = [name for name in names if name not in self.known]
                now = time.monotonic()
                if wanted:
                    if len(self.known) > MAX_KNOWN:
                        self.known.clear()
                        wanted = list(names)
                    self.connection.send_command("MGET", *wanted)
                    loads = self.cache._cache._serializer.loads
                    for name, raw in zip(wanted, self.connection.read_response(), strict=True):
                        self.known[name] = _MISSING if raw is None else loads(raw)
                    self.answered_at = now
                elif now - self.answered_at > VERIFY_EVERY_SECONDS:
                    # Every message sent before the answer has been read with it.
                    self.connection.send_command("PING")
                    self.connection.read_response()
                    self.answered_at = now
                known = {name: self.known[name] for name in names}
            except TrackingUnavailable:
                raise
            except Exception as error:
                self._drop()
                raise TrackingUnavailable from error
        return {names[name]: value for name, value in known.items() if value is not _MISSING}

    def forget(self, keys: Iterable[str]) -> None:
        """Keys this process just wrote: read again next time, whatever the messages say."""
        names = [self._name(key) for key in keys]
        with self.lock:
            for name in names:
                self.known.pop(name, None)


def settle(cache: BaseCache) -> None:
    """After a write to ``cache``: one more round-trip (see above), when a reader tracks it."""
    if tracked_reader(cache) is None:
        return
    with contextlib.suppress(Exception):  # the write itself reported any outage
        cache._cache.get_client(write=True).ping()


_readers: dict[int, TrackedReader] = {}
_readers_lock = threading.Lock()


def tracked_reader(cache: BaseCache) -> TrackedReader | None:
    """The process's reader for ``cache``, if it is a Redis cache on one server."""
    if not isinstance(cache, RedisCache) or len(cache._servers) != 1:
        return None
    # Django makes a backend object per thread; the reader is per LOCATION.
    key = hash((type(cache), tuple(cache._servers), cache.key_prefix, cache.version))
    reader = _readers.get(key)
    if reader is None:
        with _readers_lock:
            reader = _readers.setdefault(key, TrackedReader(cache))
    reader.cache = cache
    return reader


def reset() -> None:
    """Forgets every reader (tests that change the cache settings)."""
    with _readers_lock:
        for reader in _readers.values():
            with reader.lock:
                reader._drop()
                reader.retry_at = float("-inf")
        _readers.clear()
