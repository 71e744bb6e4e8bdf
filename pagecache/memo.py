"""Values stored under versioned keys, kept in each process's memory too.

A key holding the current versions names content that can never change: a new version means
a new key. So each process may keep such values in its own memory and ask the shared cache
only for the small version strings; a 200 KB comment list is then neither sent over the
network nor unpickled on every request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.http import HttpRequest

from .conf import app_setting
from .versions import outage, value_cache


class WorkerMemo:
    """A small LRU of immutable cache values, local to this process, with their expiry."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> object | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires, value = found
            if expires < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: object, timeout: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + timeout, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


worker_memo = WorkerMemo()


def get_versioned(key: str) -> object | None:
    """A value stored by ``set_versioned``: from this process's memory, else the cache."""
    value = worker_memo.get(key)
    if value is None:
        try:
            value = value_cache().get(key)
        except Exception as error:  # an unreachable cache is a miss
            outage.failed("reading a cached page", error)
            return None
        if value is not None:
            worker_memo.set(key, value, app_setting("SECONDS"))
    return value


def set_versioned(key: str, value: object, request: HttpRequest | None = None) -> None:
    """Only for keys that include the versions the value was built from; not while the
    cache is unreachable (the request's versions were made up: nobody would read it)."""
    if request is not None and getattr(request, "_pagecache_unversioned", False):
        return
    timeout = app_setting("SECONDS")
    worker_memo.set(key, value, timeout)
    try:
        value_cache().set(key, value, timeout=timeout)
    except Exception as error:
        outage.failed("storing a cached page", error)


def versioned(key: str, build: Callable[[], object], request: HttpRequest | None = None) -> object:
    """The value under a versioned key, built and stored on a miss."""
    value = get_versioned(key)
    if value is None:
        value = build()
        set_versioned(key, value, request)
    return value
