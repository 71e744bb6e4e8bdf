"""The page cache's defaults, in one place, read live so tests and sites can override them.

Each is a Django setting named ``PAGECACHE_<NAME>``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Whole anonymous pages answered by PageCacheMiddleware before sessions and routing.
    # Off, pages are still cheap: remembered routing and page shells (see shells.py).
    "FULL_PAGE": True,
    # How long cached values live; versions invalidate them sooner, this only bounds memory.
    "SECONDS": 60 * 60,
    # s-maxage for a CDN or proxy in front of the site (purged on every change).
    "SHARED_MAX_AGE": 5 * 60,
    # The Django cache that holds cached values and, when it is shared by every process,
    # the versions (see versions.py).
    "CACHE": "default",
    # Where versions live: "auto" (the cache when every process shares it, else the
    # database), "cache" or "database".
    "VERSION_STORE": "auto",
    # Versions in a Redis cache read once per process, then kept until Redis reports a
    # change (client-side tracking, see tracking.py): no round-trip per page.
    "TRACK_VERSIONS": True,
    # gzip level for the page segments kept compressed (1-9); 0 turns compression off.
    "COMPRESS_LEVEL": 6,
}


def app_setting(name: str) -> Any:
    return getattr(settings, f"PAGECACHE_{name}", DEFAULTS[name])
