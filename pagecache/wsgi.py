"""Full-page cache hits answered before Django: a WSGI application around the site's.

``PageCacheMiddleware`` answers a hit after Django has built the request and run the
middlewares before it; for a page already stored, all of that only repeats what the stored
headers say. Wrapping the site's application answers the same hits with the same checks
(an anonymous GET or HEAD, the site's and the path's versions still those the page was
stored under), the same fresh form stamps and the same headers, all of them: the page is
stored here, once every middleware has added its own. Everything else (misses, other URLs,
logged-in users, any other method) goes to Django untouched.

In ``config/wsgi.py``::

    application = PageCacheApplication(get_wsgi_application())
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.http import parse_cookie

from .compression import encoded
from .conf import app_setting
from .fullpage import STORED_BY_WSGI, entry_key_of, keep_page, stored_page
from .versions import uses_database

logger = logging.getLogger(__name__)
ANSWERED_METHODS = ("GET", "HEAD")


def request_path(environ: dict) -> str:
    """``request.path``, computed as Django's WSGIRequest does."""
    path_info = get_path_info(environ) or "/"
    script_name = get_script_name(environ)
    return "{}/{}".format(script_name.rstrip("/"), path_info.replace("/", "", 1))


def _is_anonymous_read(environ: dict) -> bool:
    if environ.get("REQUEST_METHOD") not in ANSWERED_METHODS:
        return False
    cookies = environ.get("HTTP_COOKIE")
    return not cookies or settings.SESSION_COOKIE_NAME not in parse_cookie(cookies)


def _static_prefixes() -> tuple[str, ...]:
    return tuple(url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url != "/")


def _answers(environ: dict) -> bool:
    """Only while versions live in the cache: with the database as their store, the
    middleware answers, inside Django's request cycle (which looks after connections).
    Static and media files are never pages."""
    return (
        app_setting("FULL_PAGE")
        and not uses_database()
        and _is_anonymous_read(environ)
        and not environ.get("PATH_INFO", "").startswith(_static_prefixes())
    )


class PageCacheApplication:
    def __init__(self, application: Callable) -> None:
        self.application = application
        self.installed = apps.is_installed("pagecache")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self.installed or not _answers(environ):
            return self.application(environ, start_response)
        try:
            found = stored_page(entry_key_of(environ, all_headers=True), request_path(environ))
        except Exception:  # never worse than no cache: Django answers
            logger.exception("Page cache: looking up %s failed", environ.get("PATH_INFO"))
            found = None
        if found is not None:
            chunks, headers = found
            body, encoding = encoded(chunks, environ.get("HTTP_ACCEPT_ENCODING", ""))
            headers = [*headers, ("X-Page-Cache", "hit"), ("Content-Length", str(len(body)))]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            start_response("200 OK", headers)
            return [b"" if environ["REQUEST_METHOD"] == "HEAD" else body]
        return self._served_and_kept(environ, start_response)

    def _served_and_kept(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        environ[STORED_BY_WSGI] = True
        sent: list = []

        def remember_headers(status, headers, exc_info=None):
            sent.append(headers)
            return start_response(status, headers, exc_info)

        response = self.application(environ, remember_headers)
        where = getattr(response, "page_cache_store", None)
        if where is not None and sent:
            headers = sent[-1]
            if not any(name.lower() == "set-cookie" for name, _ in headers):
                keep_page(where, response.page_cache_chunks, headers)
        return response
