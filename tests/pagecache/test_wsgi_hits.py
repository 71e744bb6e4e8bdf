"""Full-page hits answered before Django (pagecache/wsgi.py), as config/wsgi.py serves them.

The application is called as gunicorn calls it, with a WSGI environ. Its versions live in
a redis-server of the test's own; with the database as their store it leaves every
request to Django (the middleware then answers hits).
"""

from __future__ import annotations

import gzip
import io
import re
import sys

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from comments.moderation import ACTIONS, apply_action
from pagecache import tracking
from pagecache.wsgi import PageCacheApplication
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

STAMP = re.compile(rb'name="stamp" value="([^"]+)"')
PER_RESPONSE = {"content-length", "x-page-cache", "content-encoding"}


@pytest.fixture
def redis_versions(own_redis, settings):
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.PooledRedisCache", "LOCATION": own_redis.url}
    }
    tracking.reset()
    from django.core.cache import cache

    cache.clear()
    yield
    tracking.reset()


class Answer:
    def __init__(self, status: str, headers: list, body: bytes, by_django: bool) -> None:
        self.status, self.body, self.by_django = status, body, by_django
        self.headers = {name.lower(): value for name, value in headers}

    @property
    def html(self) -> bytes:
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.body)
        return self.body


@pytest.fixture
def call():
    """Calls the site's application as gunicorn would; notes whether Django's handler ran.
    (Connections stay open, as Django's test client keeps them, for the test's transaction.)"""
    application = PageCacheApplication(WSGIHandler())
    handled: list[bool] = []

    def started(**kwargs):
        handled.append(True)

    def request(path: str, method: str = "GET", gzip_ok: bool = True, cookie: str = "") -> Answer:
        handled.clear()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        if gzip_ok:
            environ["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        sent: dict = {}

        def start_response(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers

        result = application(environ, start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return Answer(sent["status"], sent["headers"], body, bool(handled))

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.request_started.connect(started)
    yield request
    signals.request_started.disconnect(started)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_stored_page_is_answered_without_django_with_the_same_headers(
    redis_versions, back_pain_article, call
):
    make_comment(back_pain_article, body="Walking every day helped my back.")
    first = call(back_pain_article.url)
    assert first.by_django and first.headers["x-page-cache"] == "miss"
    hit = call(back_pain_article.url)
    assert hit.status == "200 OK" and not hit.by_django
    assert hit.headers["x-page-cache"] == "hit"
    shared = {name: value for name, value in first.headers.items() if name not in PER_RESPONSE}
    assert {n: v for n, v in hit.headers.items() if n not in PER_RESPONSE} == shared
    assert "content-security-policy" in hit.headers and "x-frame-options" in hit.headers
    assert hit.headers["content-encoding"] == "gzip"
    assert int(hit.headers["content-length"]) == len(hit.body)
    assert STAMP.sub(b"", hit.html) == STAMP.sub(b"", first.html)
    assert b"Walking every day helped my back." in hit.html
    assert STAMP.search(hit.html).group(1) != STAMP.search(first.html).group(1)


def test_a_moderated_comment_shows_on_the_next_hit(redis_versions, back_pain_article, call):
    pending = make_comment(back_pain_article, body="Swimming eased it.", status="pending")
    call(back_pain_article.url)
    assert b"Swimming eased it." not in call(back_pain_article.url).html
    apply_action(ACTIONS["approve"], [pending.pk], None)
    after = call(back_pain_article.url)
    assert b"Swimming eased it." in after.html
    assert not call(back_pain_article.url).by_django  # stored again, answered again


def test_uncompressed_and_head_hits(redis_versions, back_pain_article, call):
    call(back_pain_article.url)
    plain = call(back_pain_article.url, gzip_ok=False)
    assert not plain.by_django and "content-encoding" not in plain.headers
    assert b"</html>" in plain.body
    head = call(back_pain_article.url, method="HEAD", gzip_ok=False)
    assert not head.by_django and head.body == b""
    assert head.headers["content-length"] == str(len(plain.body))


def test_logged_in_readers_and_posts_go_to_django(redis_versions, back_pain_article, call):
    call(back_pain_article.url)
    with_session = call(back_pain_article.url, cookie="sessionid=abc")
    assert with_session.by_django and with_session.headers.get("x-page-cache") != "hit"
    assert call(back_pain_article.url, method="POST").by_django


def test_with_versions_in_the_database_django_answers_every_request(
    back_pain_article, call, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGECACHE_VERSION_STORE = "auto"  # a per-process cache: versions in the database
    call(back_pain_article.url)
    again = call(back_pain_article.url)
    assert again.by_django and again.headers["x-page-cache"] == "hit"  # the middleware's hit


def test_a_copy_stored_without_every_middlewares_headers_is_not_answered_early(
    redis_versions, back_pain_article, call, client
):
    """A copy the middleware stored for an unwrapped process (runserver, ASGI) lacks the
    headers of the middlewares before it: only Django answers from it."""
    same_host = {"SERVER_NAME": "localhost", "HTTP_HOST": "localhost"}  # as `call` sends
    client.get(back_pain_article.url, **same_host)  # Django's handler alone: it stores it
    assert client.get(back_pain_article.url, **same_host)["X-Page-Cache"] == "hit"
    # (the test client connects these again after each request)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    first = call(back_pain_article.url)
    assert first.by_django and "content-security-policy" in first.headers
    again = call(back_pain_article.url)
    assert not again.by_django and "content-security-policy" in again.headers
