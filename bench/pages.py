"""The article page checked: in-process (queries, an uncached render) and over HTTP through
gunicorn (uncompressed and as a browser asks), and the floor's static files written.

Needs Django set up (the driver process does it).
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from . import browser, data
from .options import ACCEPT_ENCODING
from .settings import cache_settings

HOST = "127.0.0.1"
FLOOR_PATH = "bench/floor.html"  # under STATIC_ROOT, so served at /static/bench/floor.html
WARM_UP_GETS = 4


def count_queries(path: str, mode: str) -> tuple[int, bytes]:
    """SQL queries of one anonymous GET in a cache mode (Accept-Encoding as a browser's), after
    one warm-up GET (so process-level memoisation is as warm as in a running worker); also
    returns the HTML, decoded."""
    with override_settings(**cache_settings(mode, os.environ.get("REDIS_URL") or None)):
        cache.clear()
        client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} ({mode}) answered {response.status_code}")
    html, _ = browser.decode(response.content, response.get("Content-Encoding", "").lower())
    return len(captured.captured_queries), html


def render_uncached(path: str) -> bytes:
    """The page rendered in this process with every cache lookup missing (DummyCache), the
    shared cache left as it is: what the served page must show."""
    with override_settings(CACHES=cache_settings("cold", None)["CACHES"]):
        response = Client(HTTP_HOST=HOST).get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} (uncached) answered {response.status_code}")
    return response.content


def comments_shown(html: bytes) -> int:
    return html.count(b'<article id="comment-')


def inspect_page(url: str, expected_shown: int) -> dict:
    """Two GETs through gunicorn, uncompressed then as a browser asks (gzip): status, size
    and transfer size, how many comments each shows (against an in-process render of the
    same data: a stale cache would differ), hidden ones leaked."""
    plain, packed, figures = _plain_and_packed(url)
    return {
        **figures,
        "comments_shown": comments_shown(plain.body),
        "comments_shown_compressed": comments_shown(packed.body),
        "expected_shown": expected_shown,
        "hidden_leaked": data.HIDDEN_MARKER.encode() in plain.body + packed.body,
    }


def inspect_floor(url: str) -> dict:
    """The floor, uncompressed and as a browser asks: whitenoise must answer floor.html.gz."""
    plain, packed, figures = _plain_and_packed(url)
    return {**figures, "same_body": plain.body == packed.body}


def _plain_and_packed(url: str) -> tuple:
    """Two GETs, uncompressed then as a browser asks, and the figures both inspections
    report."""
    plain = browser.get(url, accept_encoding=None)
    packed = browser.get(url)
    return (
        plain,
        packed,
        {
            "status": plain.status if plain.status != 200 else packed.status,
            "bytes": len(plain.body),
            "transfer_bytes": packed.transfer_bytes,
            "content_encoding": packed.encoding,
            "gzip_members": packed.gzip_members,
            "decode_error": packed.error or plain.error,
        },
    )


def write_floor(html: bytes) -> None:
    """The page's final HTML as a static file, and next to it its gzip (level 9), which
    whitenoise answers to a client accepting gzip, as collectstatic's compressed files."""
    floor_file = Path(settings.STATIC_ROOT) / FLOOR_PATH
    floor_file.parent.mkdir(parents=True, exist_ok=True)
    floor_file.write_bytes(html)
    compressed = floor_file.with_name(floor_file.name + ".gz")
    compressed.write_bytes(gzip.compress(html, compresslevel=9, mtime=0))


def warm_up(url: str) -> None:
    """A few GETs two at a time, so both workers have served the page before measuring."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(browser.get, [url] * WARM_UP_GETS))
