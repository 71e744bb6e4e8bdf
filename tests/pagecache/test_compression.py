"""Pages are sent compressed when the browser accepts it; cached pages from segments kept
compressed, with each reader's stamp stored apart from them."""

import gzip
import re

import pytest

from pagecache.compression import gzip_chunks
from pagecache.holes import Fresh
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
STAMP = re.compile(rb'name="stamp" value="[^"]+"')


def test_segments_and_fresh_values_make_one_gzip_stream():
    shared = b"<p>" + b"words that repeat " * 5000 + b"</p>"
    big_value = b"v" * 70_000  # more than one stored block
    chunks = (shared, Fresh("hole", b"stamp-1"), b"<footer/>", Fresh("hole", big_value), b"end")
    body = gzip_chunks(chunks, 6)
    assert gzip.decompress(body) == shared + b"stamp-1<footer/>" + big_value + b"end"
    assert len(body) < len(big_value) + len(shared) / 20  # stored values are not compressed
    # Random padding in the header: two responses differ in length (BREACH).
    lengths = {len(gzip_chunks(chunks, 6)) for _ in range(10)}
    assert len(lengths) > 1


@pytest.mark.parametrize("full_page", [True, False], ids=["full-page", "rendered"])
def test_article_is_sent_gzipped_from_the_cache(back_pain_article, client, settings, full_page):
    settings.PAGECACHE_FULL_PAGE = full_page
    for number in range(30):
        make_comment(back_pain_article, body=f"Comment number {number} about my back.")
    plain = client.get(back_pain_article.url)
    assert "Content-Encoding" not in plain
    client.get(back_pain_article.url, headers=GZIP)
    zipped = client.get(back_pain_article.url, headers=GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert int(zipped["Content-Length"]) == len(zipped.content)
    html = gzip.decompress(zipped.content)
    assert STAMP.sub(b"", html) == STAMP.sub(b"", plain.content)
    assert STAMP.search(html).group(0) != STAMP.search(plain.content).group(0)
    assert len(zipped.content) < len(plain.content) / 3


def test_other_pages_are_gzipped_too(blog_index, client):
    response = client.get(blog_index.url, headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)


def test_head_request_of_a_cached_page_has_no_body(back_pain_article, client):
    client.get(back_pain_article.url)
    response = client.head(back_pain_article.url, headers=GZIP)
    assert response.status_code == 200 and response.content == b""
