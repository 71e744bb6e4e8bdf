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


def test_a_chunk_refers_back_into_the_shared_chunk_before_it_never_into_a_stamp():
    article = b"<p>" + b"".join(b"sentence %d about lower back pain. " % i for i in range(900))
    repeated = article.replace(b"<p>", b"<div>")  # nearly the same bytes again
    apart = gzip_chunks((article, Fresh("hole", b"stamp"), repeated), 6)
    together = gzip_chunks((article, repeated, Fresh("hole", b"stamp")), 6)
    assert gzip.decompress(apart) == article + b"stamp" + repeated
    assert gzip.decompress(together) == article + repeated + b"stamp"
    # Primed with the chunk before it, the second chunk costs next to nothing...
    assert len(together) < len(apart) * 0.7
    # ...but never with a per-reader value: what follows a stamp is deflated on its own.
    alone = gzip_chunks((Fresh("hole", b"x" * 40), repeated), 6)
    other = gzip_chunks((Fresh("hole", b"y" * 40), repeated), 6)
    header = len(b"\x1f\x8b\x08\x08") + 6  # before the random padding
    assert len(alone) - alone.index(b"\x00", header) == len(other) - other.index(b"\x00", header)


def test_approving_one_reply_deflates_its_group_of_threads_not_the_page(
    back_pain_article, client, settings, monkeypatch
):
    from comments.moderation import ACTIONS, apply_action
    from pagecache import compression

    roots = [make_comment(back_pain_article, body=f"Thread {n} on sciatica.") for n in range(48)]
    for root in roots:
        for reply in range(3):
            make_comment(back_pain_article, parent=root, body=f"Reply {reply} to {root.pk}.")
    pending = make_comment(back_pain_article, parent=roots[20], status="pending", body="Late.")
    settings.COMMENTS_PER_PAGE = 50
    plain = len(client.get(back_pain_article.url).content)
    client.get(back_pain_article.url, headers=GZIP)
    deflated: list[int] = []
    original = compression._deflated

    def counting(chunk, level, previous=None):
        deflated.append(len(chunk))
        return original(chunk, level, previous)

    monkeypatch.setattr(compression, "_deflated", counting)
    apply_action(ACTIONS["approve"], [pending.pk], None)
    after = client.get(back_pain_article.url, headers=GZIP)
    assert b"Late." in gzip.decompress(after.content)
    # The JSON-LD count, the heading's group, the next, the reply's group and the next:
    # four of the six groups of eight threads, not the whole page again.
    assert 0 < sum(deflated) < plain * 0.75
