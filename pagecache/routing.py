"""Wagtail's page routing, remembered between publishes.

To find the page for a URL, Wagtail looks up the site, walks the page tree from the site's
root (a query or two per path segment) and then reads the view restrictions of the page and
its ancestors: about eight queries before the page starts rendering. The answer only changes
when a page is published, unpublished, moved or deleted, a view restriction or a site is
edited, and each of those changes the site version (see ``signal_handlers.py``), which the
remembered answer is checked against. Only plain pages without view restrictions are
remembered; routable sub-views and private pages take Wagtail's own path every time.

Used by ``pagecache.urls`` in place of Wagtail's ``serve`` view; everything after routing
(hooks, ``before_serve_page``, the page's ``serve()``) is Wagtail's own.
"""

from __future__ import annotations

import copy
import hashlib
import pickle

from django.http import HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from .conf import app_setting
from .memo import get_versioned, set_versioned, worker_memo
from .versions import site_version


def _route_key(request: HttpRequest, path: str) -> str:
    where = f"{request._get_raw_host()}|{request.get_port()}|{path}"
    return "pagecache:route:" + hashlib.blake2s(where.encode(), digest_size=16).hexdigest()


def _no_view_restrictions() -> tuple:
    return ()


def _without_view_restrictions(page: Page) -> Page:
    """Wagtail's restriction hook asks every request; this page was checked to have none
    when it was remembered, and any new restriction changes the site version."""
    page.get_view_restrictions = _no_view_restrictions
    return page


def _remembered_route(request: HttpRequest, key: str) -> bool:
    """Hands Wagtail the site and page found for this URL before, if nothing changed since.
    Each request gets its own copies (of the objects this worker unpickled once). The
    page's own cache version is read in the same round-trip as the site's (this worker
    notes which page the URL led to)."""
    hint_key = f"{key}:page"
    hint = worker_memo.get(hint_key)
    versioned_key = f"{key}:{site_version(request, page_id=hint)}"
    found = worker_memo.get(f"{versioned_key}:objects")
    if found is None:
        pickled = get_versioned(versioned_key)
        if pickled is None:
            return False
        found = pickle.loads(pickled)  # noqa: S301 - written by this site, in its own cache
        worker_memo.set(f"{versioned_key}:objects", found, app_setting("SECONDS"))
    site, page = (copy.copy(remembered) for remembered in found)
    if hint != page.pk:
        worker_memo.set(hint_key, page.pk, app_setting("SECONDS"))
    request._wagtail_site = site
    request._wagtail_route_for_request = RouteResult(_without_view_restrictions(page))
    return True


def _remember_route(request: HttpRequest, path: str, key: str) -> None:
    version = site_version(request)  # read before routing: a publish meanwhile makes it stale
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page, args, kwargs = result
    if args or kwargs or page.get_view_restrictions().exists():
        return
    pickled = pickle.dumps((request._wagtail_site, page), pickle.HIGHEST_PROTOCOL)
    set_versioned(f"{key}:{version}", pickled, request)
    worker_memo.set(f"{key}:page", page.pk, app_setting("SECONDS"))
    _without_view_restrictions(page)  # just checked: Wagtail's hook needn't ask again


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's ``serve`` view, with the routing of GET and HEAD requests remembered."""
    if request.method in ("GET", "HEAD"):
        key = _route_key(request, path)
        if not _remembered_route(request, key):
            _remember_route(request, path, key)
    return wagtail_views.serve(request, path)
