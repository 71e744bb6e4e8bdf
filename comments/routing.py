"""Wagtail's page routing, remembered between publishes.

To find the page for a URL, Wagtail looks up the site, walks the page tree from the site's
root (a query or two per path segment) and then reads the view restrictions of the page and
its ancestors: about eight queries before the page starts rendering. The answer only changes
when a page is published, unpublished, moved or deleted, a view restriction or a site is
edited, and each of those changes the site version (see ``signal_handlers.py``), which the
remembered answer is checked against. Only plain pages without view restrictions are
remembered; routable sub-views and private pages take Wagtail's own path every time.

Used by the site's URLconf in place of Wagtail's ``serve`` view; everything after routing
(hooks, ``before_serve_page``, the page's ``serve()``) is Wagtail's own.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from .cache import SITE_VERSION_KEY, site_version
from .conf import app_setting


def _route_key(request: HttpRequest, path: str) -> str:
    where = f"{request._get_raw_host()}|{request.get_port()}|{path}"
    return "comments:route:" + hashlib.blake2s(where.encode(), digest_size=16).hexdigest()


def _without_view_restrictions(page: Page) -> Page:
    """Wagtail's restriction hook asks every request; this page was checked to have none
    when it was remembered, and any new restriction changes the site version."""
    page.get_view_restrictions = PageViewRestriction.objects.none
    return page


def _remembered_route(request: HttpRequest, key: str) -> bool:
    """Hands Wagtail the site and page found for this URL before, if nothing changed since."""
    found = cache.get_many([key, SITE_VERSION_KEY])
    entry = found.get(key)
    if entry is None or entry[0] != found.get(SITE_VERSION_KEY):
        return False
    _version, site, page = entry
    request._wagtail_site = site
    request._wagtail_route_for_request = RouteResult(_without_view_restrictions(page))
    return True


def _remember_route(request: HttpRequest, path: str, key: str) -> None:
    version = site_version()  # read before routing: a publish meanwhile makes this stale
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page, args, kwargs = result
    if args or kwargs or page.get_view_restrictions().exists():
        return
    site = request._wagtail_site
    cache.set(key, (version, site, page), timeout=app_setting("PAGE_CACHE_SECONDS"))
    _without_view_restrictions(page)  # just checked: Wagtail's hook needn't ask again


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's ``serve`` view, with the routing of GET and HEAD requests remembered."""
    if request.method in ("GET", "HEAD"):
        key = _route_key(request, path)
        if not _remembered_route(request, key):
            _remember_route(request, path, key)
    return wagtail_views.serve(request, path)
