"""Serves cached anonymous article pages before Wagtail routes the request.

Placed last in MIDDLEWARE, so every other middleware still shapes the response (security
headers, X-Frame-Options); it answers without a single SQL query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .cache import cached_page_response


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cached = cached_page_response(request)
        if cached is not None:
            return cached
        return self.get_response(request)
