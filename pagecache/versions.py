"""Versions: what makes a cached value current, and where every process reads them.

Cache keys carry a site version and a page (or path) version; invalidating means replacing a
version, so stale entries are never read again and simply expire. The values themselves may
live in any cache, even each process's own memory (see ``memo.py``); the versions must be
seen by every process of the site, or a comment approved by a management command, the task
worker or the other gunicorn worker would stay invisible on this one. So they live in the
cache when every process shares it (Redis, Memcached, the database cache), otherwise in the
database (``CacheVersion``). A per-process cache cannot be made correct and is never used
for versions.

The cache being unreachable is a miss, not an error: versions are then made up for the
request (nothing cached matches them) and the page is rendered. An invalidation the cache
lost is made good when it answers again: this process then replaces the site version.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.http import HttpRequest
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page

from .conf import app_setting
from .tracking import TrackingUnavailable, settle, tracked_reader

logger = logging.getLogger(__name__)

SITE_KEY = "pagecache:v:site"
PER_PROCESS_BACKENDS = ("LocMemCache",)
LOG_EVERY_SECONDS = 60


def version_rows():
    """The table of versions (looked up, not imported: a page type may use the mixin on a
    site that has not installed this app)."""
    return apps.get_model("pagecache", "CacheVersion")


def page_key(page_id: int) -> str:
    return f"pagecache:v:page:{page_id}"


def holes_key(page_id: int) -> str:
    """The version of what fills a page's holes (its comments), apart from the page's own:
    a new comment renders the section again, not the article around it."""
    return f"pagecache:v:holes:{page_id}"


def path_digest(path: str) -> str:
    return hashlib.blake2s(path.encode(), digest_size=12).hexdigest()


def path_key(path: str | None = None, digest: str | None = None) -> str:
    """The version of one path's whole cached pages (given the path, or its digest)."""
    return f"pagecache:v:path:{digest or path_digest(path)}"


def new_version() -> str:
    return uuid.uuid4().hex[:12]


def value_cache() -> BaseCache:
    return caches[app_setting("CACHE")]


def is_per_process(cache: BaseCache) -> bool:
    return type(cache).__name__ in PER_PROCESS_BACKENDS


def uses_database() -> bool:
    store = app_setting("VERSION_STORE")
    if store == "auto":
        return is_per_process(value_cache())
    return store == "database"


class _Outage:
    """Remembers, in this process, that the cache failed: logged once a minute, and a lost
    invalidation is made good once the cache answers again."""

    def __init__(self) -> None:
        self.logged_at = -LOG_EVERY_SECONDS
        self.lost_writes = False

    def failed(self, what: str, error: Exception | str) -> None:
        now = time.monotonic()
        if now - self.logged_at >= LOG_EVERY_SECONDS:
            self.logged_at = now
            logger.warning("Page cache: %s failed (%s); pages are served uncached.", what, error)

    def answered(self) -> None:
        if self.lost_writes:
            self.lost_writes = False
            logger.warning("Page cache: the cache answers again; every cached page is renewed.")
            write_versions({SITE_KEY: new_version()})


outage = _Outage()


class CacheUnreachable(Exception):
    pass


def _read(keys: list[str]) -> dict[str, str]:
    if uses_database():
        return dict(version_rows().objects.filter(key__in=keys).values_list("key", "value"))
    cache = value_cache()
    try:
        found = _tracked_get_many(cache, keys)
    except Exception as error:  # an unreachable cache is a miss
        outage.failed("reading versions", error)
        raise CacheUnreachable from error
    if not found and not getattr(cache, "is_available", lambda: True)():
        raise CacheUnreachable  # a backend that turns errors into misses says so here
    outage.answered()
    return found


def _tracking(cache: BaseCache):
    """This process's tracked reader of ``cache`` (``tracking.py``), if it is on and fits."""
    return tracked_reader(cache) if app_setting("TRACK_VERSIONS") else None


def _tracked_get_many(cache: BaseCache, keys: list[str]) -> dict[str, str]:
    """Without a round-trip when Redis tracks what this process read (``tracking.py``)."""
    reader = _tracking(cache)
    if reader is not None:
        try:
            return reader.get_many(keys)
        except TrackingUnavailable:
            pass
    return cache.get_many(keys)


def _forget_tracked(keys: Iterable[str]) -> None:
    """After a write: this process reads the keys again, and every other process has been
    sent Redis's invalidation messages before this returns (``tracking.settle``)."""
    cache = value_cache()
    reader = _tracking(cache)
    if reader is not None:
        reader.forget(keys)
        settle(cache)


def _create(missing: dict[str, str]) -> dict[str, str]:
    """Stores versions for keys that had none, keeping any another process made meanwhile."""
    if uses_database():
        version_rows().objects.bulk_create(
            [version_rows()(key=key, value=value) for key, value in missing.items()],
            ignore_conflicts=True,
        )
        return {**missing, **_read(list(missing))}
    cache = value_cache()
    created = {}
    for key, value in missing.items():
        try:
            if not cache.add(key, value, timeout=None):
                value = cache.get(key) or value
        except Exception as error:
            outage.failed("storing versions", error)
        created[key] = value
    _forget_tracked(missing)
    return created


def write_versions(versions: dict[str, str]) -> bool:
    """Replaces versions; False when the cache could not take them (logged)."""
    if uses_database():
        version_rows().objects.bulk_create(
            [version_rows()(key=key, value=value) for key, value in versions.items()],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
        )
        return True
    try:
        failed = value_cache().set_many(versions, timeout=None)
    except Exception:
        failed = list(versions)
    _forget_tracked(versions)
    if failed:
        outage.lost_writes = True
        outage.failed(
            f"invalidating {len(failed)} key(s)",
            "every cached page is renewed when the cache answers again, or run "
            "`manage.py clear_page_cache`",
        )
        return False
    return True


def read_versions(
    keys: list[str], request: HttpRequest | None = None, create: bool = True
) -> dict[str, str]:
    """The versions under ``keys``, created on first use, in one round-trip. A request
    remembers those it read, so routing, the shell and its holes agree and ask once.
    Without ``create``, keys that have none are left out (a lookup that stores nothing:
    any URL a visitor makes up would otherwise leave a version behind)."""
    known: dict[str, str] = {}
    if request is not None:
        known = request.__dict__.setdefault("_pagecache_versions", {})
    wanted = [key for key in keys if key not in known]
    if wanted:
        try:
            found = _read(wanted)
        except CacheUnreachable:
            # Versions nothing was stored under: every lookup misses, nothing is kept.
            if request is not None:
                request._pagecache_unversioned = True
            return {key: known.get(key) or new_version() for key in keys}
        missing = {key: new_version() for key in wanted if key not in found}
        if missing and create:
            found.update(_create(missing))
        known.update(found)
    return {key: known[key] for key in keys if key in known}


def _page_keys(page_id: int) -> list[str]:
    return [SITE_KEY, page_key(page_id), holes_key(page_id)]


def site_version(request: HttpRequest | None = None, page_id: int | None = None) -> str:
    """The site's version; given the page the request is probably for, its versions are
    read in the same round-trip and kept on the request for ``page_versions``."""
    keys = [SITE_KEY] if page_id is None else _page_keys(page_id)
    return read_versions(keys, request)[SITE_KEY]


def page_versions(page_id: int, request: HttpRequest | None = None) -> str:
    """The site's and the page's versions, as one string for cache keys."""
    found = read_versions(_page_keys(page_id), request)
    return f"{found[SITE_KEY]}.{found[page_key(page_id)]}"


def hole_versions(page_id: int, request: HttpRequest | None = None) -> str:
    """The page's versions and that of what fills its holes."""
    found = read_versions(_page_keys(page_id), request)
    return f"{found[SITE_KEY]}.{found[page_key(page_id)]}.{found[holes_key(page_id)]}"


def page_path_key(page_id: int) -> str:
    """Where the full-page cache notes the path it stored a page under: kept with the
    versions, so that any process invalidating the page finds it."""
    return f"pagecache:path-of:{page_id}"


def note_page_path(page_id: int, path: str) -> None:
    write_versions({page_path_key(page_id): path_digest(path)})


def invalidate_pages(page_ids: Iterable[int], holes_only: bool = False) -> None:
    """The pages (their shells, holes and whole cached copies); with ``holes_only`` what
    fills their holes changed, and the shells are kept."""
    page_ids = set(page_ids)
    if not page_ids:
        return
    key_of = holes_key if holes_only else page_key
    versions = {key_of(pk): new_version() for pk in page_ids}
    try:
        digests = _read([page_path_key(pk) for pk in page_ids]).values()
    except CacheUnreachable:
        digests = []
    versions.update({path_key(digest=digest): new_version() for digest in digests})
    write_versions(versions)
    purge_frontend_cache(page_ids)


def invalidate_pages_on_write(page_ids: Iterable[int], holes_only: bool = False) -> None:
    """For writes inside a transaction: now, so this request's next read is fresh, and again
    after commit, so a page another process cached from the old data meanwhile is dropped."""
    page_ids = set(page_ids)
    if page_ids:
        invalidate_pages(page_ids, holes_only)
        transaction.on_commit(lambda: invalidate_pages(page_ids, holes_only))


def invalidate_site() -> bool:
    """For changes any page may show (a page in related lists, routing, settings)."""
    return write_versions({SITE_KEY: new_version()})


def invalidate_site_on_write() -> None:
    invalidate_site()
    transaction.on_commit(invalidate_site)


def purge_frontend_cache(page_ids: set[int]) -> None:
    """The same pages purged from a CDN or proxy, when ``wagtail.contrib.frontend_cache``
    is configured; a CDN outage must not fail a moderator's action."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        purge_pages_from_cache(Page.objects.live().filter(pk__in=page_ids).specific())
    except Exception:
        logger.exception("Purging pages %s from the frontend cache failed", sorted(page_ids))
