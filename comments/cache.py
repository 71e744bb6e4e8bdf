"""Caching of anonymous article pages, and its invalidation.

Cached HTML is keyed by a per-page version and a site-wide version. Invalidating means
replacing a version, so stale entries are never read again and simply expire. Whatever a
reader could see change bumps a version: a comment approved, unapproved, edited, binned,
marked spam or deleted (row actions, bulk actions, ``save()``, queryset ``update()`` and
``delete()``), the page published or unpublished, the Discussion settings saved. The same
events purge the page from Wagtail's frontend cache (a CDN or proxy) when one is configured.

Only anonymous GETs are cached (no session cookie), and only responses holding nothing
personal: no preview of a pending comment, no re-rendered form, no CSRF token (anonymous forms
carry a signed stamp instead), no cookie set.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .conf import app_setting

logger = logging.getLogger(__name__)

SITE_VERSION_KEY = "comments:v:site"
PERSONAL_PARAMETERS = ("moderation",)


def _page_version_key(page_id: int) -> str:
    return f"comments:v:page:{page_id}"


def _new_version() -> str:
    return uuid.uuid4().hex[:12]


def _read_versions(keys: list[str], request: HttpRequest | None = None) -> dict[str, str]:
    """The versions under ``keys``, created on first use, in one cache round-trip. A request
    remembers those it read, so routing, the page's shell, its comment section and the
    Discussion settings agree on them and ask the cache once."""
    known: dict[str, str] = {}
    if request is not None:
        known = request.__dict__.setdefault("_comments_versions", {})
    wanted = [key for key in keys if key not in known]
    if wanted:
        found = cache.get_many(wanted)
        for key in wanted:
            value = found.get(key)
            if value is None:
                value = _new_version()
                # add() keeps a version another worker created in the meantime.
                if not cache.add(key, value, timeout=None):
                    value = cache.get(key) or value
            known[key] = value
    return {key: known[key] for key in keys}


def site_version(request: HttpRequest | None = None, page_id: int | None = None) -> str:
    """The site's version; given the page the request is probably for, its version is read
    in the same round-trip and kept on the request for ``current_versions``."""
    keys = [SITE_VERSION_KEY] if page_id is None else [SITE_VERSION_KEY, _page_version_key(page_id)]
    return _read_versions(keys, request)[SITE_VERSION_KEY]


def current_versions(page_id: int, request: HttpRequest | None = None) -> str:
    """The site's and the page's versions, as one string for cache keys."""
    page_key = _page_version_key(page_id)
    found = _read_versions([SITE_VERSION_KEY, page_key], request)
    return f"{found[SITE_VERSION_KEY]}.{found[page_key]}"


def _path_version_key(path: str) -> str:
    digest = hashlib.blake2s(path.encode(), digest_size=12).hexdigest()
    return f"comments:v:path:{digest}"


def _page_path_key(page_id: int) -> str:
    return f"comments:path-of:{page_id}"


def invalidate_pages(page_ids: Iterable[int]) -> None:
    page_ids = set(page_ids)
    if not page_ids:
        return
    versions = {_page_version_key(pk): _new_version() for pk in page_ids}
    # Where each page was cached from was noted when it was stored: no SQL needed here.
    paths = cache.get_many([_page_path_key(pk) for pk in page_ids]).values()
    versions.update({_path_version_key(path): _new_version() for path in paths})
    cache.set_many(versions, timeout=None)
    purge_frontend_cache(page_ids)


def invalidate_pages_on_write(page_ids: Iterable[int]) -> None:
    """For writes inside a transaction: now, so this request's next read is fresh, and again
    after commit, so a page another worker cached from the old data meanwhile is dropped."""
    page_ids = set(page_ids)
    if page_ids:
        invalidate_pages(page_ids)
        transaction.on_commit(lambda: invalidate_pages(page_ids))


def invalidate_site() -> None:
    """For changes every page may show (settings, a page appearing in related lists)."""
    cache.set(SITE_VERSION_KEY, _new_version(), timeout=None)


def purge_frontend_cache(page_ids: set[int]) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
    from wagtail.models import Page

    try:
        purge_pages_from_cache(Page.objects.live().filter(pk__in=page_ids).specific())
    except Exception:  # a CDN outage must not fail a moderator's action
        logger.exception("Purging pages %s from the frontend cache failed", sorted(page_ids))


# Full anonymous pages ---------------------------------------------------------------------
# ``CommentsMixin.serve`` marks a rendered page as shareable; ``PageCacheMiddleware``, placed
# right after WhiteNoise, stores it and answers later requests before sessions, Wagtail's
# routing or any SQL: one cache round-trip fetches the page with the versions to check.


def is_cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GETs without anything personal in the URL. A session cookie may mean a
    logged-in user, whose pages are never shared."""
    if request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.GET for name in PERSONAL_PARAMETERS):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _entry_keys(request: HttpRequest) -> tuple[str, str, str]:
    where = hashlib.blake2s(
        f"{request.get_host()}|{request.get_full_path()}".encode(), digest_size=16
    ).hexdigest()
    return f"comments:page:{where}", SITE_VERSION_KEY, _path_version_key(request.path)


def cached_page_response(request: HttpRequest) -> HttpResponse | None:
    """The stored page, if the site's and the path's versions are still those it was
    stored under: one round-trip for the two versions, the page itself usually from this
    worker's memory (see ``WorkerMemo``)."""
    if not app_setting("FULL_PAGE_CACHE") or not is_cacheable_request(request):
        return None
    page_key, site_key, path_key = _entry_keys(request)
    found = cache.get_many([site_key, path_key])
    if len(found) < 2:
        return None
    entry = get_versioned(f"{page_key}:{found[site_key]}:{found[path_key]}")
    if entry is None:
        return None
    content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def mark_shareable(request: HttpRequest, response: HttpResponse, page_id: int) -> None:
    """Called by the page once rendered: public headers, and a note for the middleware."""
    if not is_cacheable_request(request):
        patch_cache_control(response, private=True, no_cache=True)
        return
    mark_public(response)
    response.shareable_page_id = page_id


def store_page_response(request: HttpRequest, response: HttpResponse) -> None:
    """Keeps a page the page itself marked shareable, unless something personal was added
    on the way out (a cookie: a session or a CSRF token)."""
    page_id = getattr(response, "shareable_page_id", None)
    if page_id is None or response.status_code != 200 or response.cookies:
        return
    if not app_setting("FULL_PAGE_CACHE") or response.streaming:
        return
    page_key, site_key, path_key = _entry_keys(request)
    for key in (site_key, path_key):
        cache.add(key, _new_version(), timeout=None)
    versions = cache.get_many([site_key, path_key])
    if len(versions) < 2:
        return
    headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
    set_versioned(
        f"{page_key}:{versions[site_key]}:{versions[path_key]}", (response.content, headers)
    )
    cache.set(_page_path_key(page_id), request.path, timeout=app_setting("PAGE_CACHE_SECONDS"))
    response["X-Page-Cache"] = "miss"


def mark_public(response: HttpResponse) -> None:
    """Browsers revalidate every time (readers see moderation at once); shared caches may keep
    the page for a while because every change purges it."""
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=app_setting("SHARED_CACHE_SECONDS")
    )


# Values stored under versioned keys ---------------------------------------------------------
# A key holding the current versions names content that can never change: a new version means
# a new key. So each worker may keep such values in its own memory and ask the shared cache
# (Redis, across workers) only for the small version strings; a 200 KB comment list is then
# neither sent over the network nor unpickled on every request.


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
    """A value stored by ``set_versioned``: from this worker's memory, else the shared cache."""
    value = worker_memo.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            worker_memo.set(key, value, app_setting("PAGE_CACHE_SECONDS"))
    return value


def set_versioned(key: str, value: object) -> None:
    """Only for keys that include the versions the value was built from."""
    timeout = app_setting("PAGE_CACHE_SECONDS")
    cache.set(key, value, timeout=timeout)
    worker_memo.set(key, value, timeout)


def versioned(key: str, build: Callable[[], object]) -> object:
    """The value under a versioned key, built and stored on a miss."""
    value = get_versioned(key)
    if value is None:
        value = build()
        set_versioned(key, value)
    return value
