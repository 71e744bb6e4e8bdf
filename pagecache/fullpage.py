"""Whole anonymous pages, answered before sessions, routing or any SQL.

``PageCacheMixin.serve`` marks a page built from its shell as shareable;
``PageCacheMiddleware``, placed right after WhiteNoise, stores it and answers later requests
with one cache round-trip for the two versions to check, the page itself usually from this
process's memory, and a fresh value in each hole's per-reader parts (form stamps).

Only anonymous GETs are cached (no session cookie), and only responses holding nothing
personal: no private Cache-Control, no cookie set.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .conf import app_setting
from .holes import Chunks, refreshed
from .memo import get_versioned, set_versioned
from .versions import SITE_KEY, note_page_path, path_key, read_versions

UNSTORED_HEADERS = {"content-length", "content-encoding", "x-page-cache"}


def is_cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GETs. A session cookie may mean a logged-in user, whose pages are never
    shared."""
    if request.method not in ("GET", "HEAD"):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _entry_keys(request: HttpRequest) -> tuple[str, str, str]:
    where = hashlib.blake2s(
        f"{request.get_host()}|{request.get_full_path()}".encode(), digest_size=16
    ).hexdigest()
    return f"pagecache:page:{where}", SITE_KEY, path_key(request.path)


def cached_page(request: HttpRequest) -> tuple[Chunks, list] | None:
    """The stored page's content (with fresh per-reader values) and headers, if the site's
    and the path's versions are still those it was stored under."""
    if not app_setting("FULL_PAGE") or not is_cacheable_request(request):
        return None
    page_key, site_key, path_version_key = _entry_keys(request)
    found = read_versions([site_key, path_version_key], request, create=False)
    if len(found) < 2:  # never stored (or the cache is unreachable)
        return None
    entry = get_versioned(f"{page_key}:{found[site_key]}:{found[path_version_key]}")
    if entry is None:
        return None
    chunks, headers = entry
    return refreshed(chunks), headers


def mark_shareable(request: HttpRequest, response: HttpResponse, page_id: int) -> None:
    """Called by the page once rendered: public headers, and a note for the middleware."""
    if not is_cacheable_request(request):
        patch_cache_control(response, private=True, no_cache=True)
        return
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return
    patch_cache_control(response, public=True, max_age=0, s_maxage=app_setting("SHARED_MAX_AGE"))
    response.page_cache_page_id = page_id


def store_page(request: HttpRequest, response: HttpResponse) -> None:
    """Keeps a page the page itself marked shareable, unless something personal was added
    on the way out (a cookie: a session or a CSRF token)."""
    page_id = getattr(response, "page_cache_page_id", None)
    chunks = getattr(response, "page_cache_chunks", None)
    if page_id is None or chunks is None or response.status_code != 200 or response.cookies:
        return
    if not app_setting("FULL_PAGE") or not is_cacheable_request(request):
        return
    page_key, site_key, path_version_key = _entry_keys(request)
    versions = read_versions([site_key, path_version_key], request)
    if getattr(request, "_pagecache_unversioned", False):  # the cache is unreachable
        return
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    ]
    set_versioned(
        f"{page_key}:{versions[site_key]}:{versions[path_version_key]}", (chunks, headers)
    )
    note_page_path(page_id, request.path)
    response["X-Page-Cache"] = "miss"
