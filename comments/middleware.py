"""Serves cached anonymous article pages before sessions, routing or any SQL.

Placed right after WhiteNoise: the middlewares before it (security headers) still shape
every response; the headers the inner ones added (X-Frame-Options...) are stored with the page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .cache import cached_page_response, is_cacheable_request, store_page_response


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cached = cached_page_response(request)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if is_cacheable_request(request):
            store_page_response(request, response)
        return response
