"""Answers anonymous pages from the full-page cache, and sends cached pages compressed.

Placed right after WhiteNoise: the middlewares before it (security headers, GZip for every
other response) still shape every response; the headers the inner ones added
(X-Frame-Options...) are stored with the page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from .compression import accepts_gzip, encoded
from .conf import app_setting
from .fullpage import STORED_BY_WSGI, cached_page, is_cacheable_request, page_to_store, store_page
from .holes import Chunks


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Wrapped in pagecache.wsgi, which answers from (and keeps) copies with every
        # middleware's headers: a copy of this middleware's own is never used then.
        wrapped = bool(request.META.get(STORED_BY_WSGI))
        found = None if wrapped else cached_page(request)
        if found is not None:
            chunks, headers = found
            response = HttpResponse()
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return send_chunks(request, response, chunks)
        response = self.get_response(request)
        chunks = getattr(response, "page_cache_chunks", None)
        if chunks is None:
            return response
        if wrapped:
            # pagecache.wsgi stores it, with the headers every middleware added.
            response.page_cache_store = page_to_store(request, response, all_headers=True)
            if response.page_cache_store is not None:
                response["X-Page-Cache"] = "miss"
        elif is_cacheable_request(request):
            store_page(request, response)
        return send_chunks(request, response, chunks)


def send_chunks(request: HttpRequest, response: HttpResponse, chunks: Chunks) -> HttpResponse:
    """The page's content, gzipped from its kept segments when the browser accepts it."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if (app_setting("COMPRESS_LEVEL") and accepts_gzip(request)) or not response.content:
        response.content, encoding = encoded(chunks, request.headers.get("accept-encoding", ""))
        if encoding:
            response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    if request.method == "HEAD":
        response.content = b""
    return response
