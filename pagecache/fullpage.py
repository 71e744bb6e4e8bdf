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

# Set in the environ by pagecache.wsgi: the middleware then leaves storing pages to it.
STORED_BY_WSGI = "pagecache.stored_by_wsgi"
UNSTORED_HEADERS = {"content-length", "content-encoding", "x-page-cache"}


def is_cacheable_request(request: HttpRequest) -> bool:
    """Anonymous GETs. A session cookie may mean a logged-in user, whose pages are never
    shared."""
    if request.method not in ("GET", "HEAD"):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def entry_key_of(meta: dict, all_headers: bool = False) -> str:
    """Where a page is stored, from the request's WSGI environ (``request.META``), by this
    middleware or, with ``all_headers``, by ``pagecache.wsgi`` (which answers before Django
    builds a request, so only from copies holding every middleware's headers). Everything
    the host, the scheme or the URL is read from is part of it; a host Django refuses never
    gets an entry (the page is stored only once Django served it)."""
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    where = "|".join(
        (
            meta.get("HTTP_X_FORWARDED_HOST", "") if settings.USE_X_FORWARDED_HOST else "",
            meta.get("HTTP_HOST", ""),
            meta.get("SERVER_NAME", ""),
            str(meta.get("SERVER_PORT", "")),
            meta.get("wsgi.url_scheme", ""),
            meta.get(proxy_header[0], "") if proxy_header else "",
            meta.get("SCRIPT_NAME", ""),
            meta.get("PATH_INFO", ""),
            meta.get("QUERY_STRING", ""),
        )
    )
    digest = hashlib.blake2s(where.encode("utf-8", "surrogateescape"), digest_size=16)
    kind = "page-all-headers" if all_headers else "page"
    return f"pagecache:{kind}:{digest.hexdigest()}"


def _entry_keys(request: HttpRequest, all_headers: bool = False) -> tuple[str, str, str]:
    return entry_key_of(request.META, all_headers), SITE_KEY, path_key(request.path)


def cached_page(request: HttpRequest) -> tuple[Chunks, list] | None:
    """The stored page's content (with fresh per-reader values) and headers, if the site's
    and the path's versions are still those it was stored under."""
    if not app_setting("FULL_PAGE") or not is_cacheable_request(request):
        return None
    return stored_page(entry_key_of(request.META), request.path, request)


def stored_page(page_key: str, path: str, request: HttpRequest | None = None):
    """The page stored under ``page_key`` for ``path``, refreshed, if still current."""
    path_version_key = path_key(path)
    found = read_versions([SITE_KEY, path_version_key], request, create=False)
    if len(found) < 2:  # never stored (or the cache is unreachable)
        return None
    entry = get_versioned(f"{page_key}:{found[SITE_KEY]}:{found[path_version_key]}")
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


def page_to_store(
    request: HttpRequest, response: HttpResponse, all_headers: bool = False
) -> tuple[str, int, str] | None:
    """Where to keep a page the page itself marked shareable (its key, with the versions
    read while it was built, its id and path), unless something personal was added on the
    way out (a cookie: a session or a CSRF token)."""
    page_id = getattr(response, "page_cache_page_id", None)
    chunks = getattr(response, "page_cache_chunks", None)
    if page_id is None or chunks is None or response.status_code != 200 or response.cookies:
        return None
    if not app_setting("FULL_PAGE") or not is_cacheable_request(request):
        return None
    page_key, site_key, path_version_key = _entry_keys(request, all_headers)
    versions = read_versions([site_key, path_version_key], request)
    if getattr(request, "_pagecache_unversioned", False):  # the cache is unreachable
        return None
    return f"{page_key}:{versions[site_key]}:{versions[path_version_key]}", page_id, request.path


def keep_page(where: tuple[str, int, str], chunks: Chunks, headers: list) -> None:
    """Stores the page's content and its headers (those sent with every copy)."""
    key, page_id, path = where
    headers = [(name, value) for name, value in headers if name.lower() not in UNSTORED_HEADERS]
    set_versioned(key, (chunks, headers))
    note_page_path(page_id, path)


def store_page(request: HttpRequest, response: HttpResponse) -> None:
    where = page_to_store(request, response)
    if where is not None:
        keep_page(where, response.page_cache_chunks, list(response.items()))
        response["X-Page-Cache"] = "miss"
