"""Without the full-page cache: each request renders only the comment section, around the
page's shell kept per version, and the section itself is cached with a placeholder for the
form's stamp. Values under versioned keys are kept in each worker's memory."""

import pytest
from django.db import connection

from pagecache.memo import WorkerMemo
from pagecache.versions import invalidate_pages
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    settings.PAGECACHE_FULL_PAGE = False


def stamp_in(response) -> str:
    html = response.content.decode()
    return html.split('name="stamp" value="', 1)[1].split('"', 1)[0]


def test_every_view_carries_its_own_fresh_stamp(
    back_pain_article, client, monkeypatch, post_comment, cached_view
):
    from types import SimpleNamespace

    from comments import tokens

    now = 1_900_000_000.0
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=lambda: now))
    first = stamp_in(client.get(back_pain_article.url))
    now += 3600
    second = stamp_in(cached_view(client, back_pain_article.url))
    assert first != second
    # The stamp written into the cached section is one the form accepts.
    now += 10
    response = post_comment(back_pain_article, stamp=second)
    assert response.status_code == 303


def test_reply_links_and_comment_pages_around_a_cached_shell(
    back_pain_article, client, settings, cached_view
):
    settings.COMMENTS_PER_PAGE = 1
    older = make_comment(back_pain_article, name="Older Reader", body="older words")
    make_comment(back_pain_article, body="newer words")
    cached_view(client, back_pain_article.url)
    reply = client.get(f"{back_pain_article.url}?replyto={older.pk}").content.decode()
    assert "Reply to" in reply and "Older Reader" in reply
    assert f'name="parent" id="comment_parent" value="{older.pk}"' in reply
    assert b"older words" in client.get(f"{back_pain_article.url}?cpage=1").content
    assert b"newer words" in client.get(f"{back_pain_article.url}?cpage=2").content
    # The plain page is still the shared one, without a parent.
    plain = cached_view(client, back_pain_article.url).content.decode()
    assert 'name="parent" id="comment_parent" value=""' in plain


def test_change_made_by_another_worker_is_seen(back_pain_article, client, cached_view):
    """This process keeps rendered HTML in memory; another worker's change bumps the shared
    versions only, and that is enough."""
    comment = make_comment(back_pain_article, body="before")
    assert b"before" in cached_view(client, back_pain_article.url).content
    with connection.cursor() as cursor:  # the other worker's write, behind this one's back
        cursor.execute(
            "UPDATE comments_comment SET body_html = %s WHERE id = %s", ["<p>after</p>", comment.pk]
        )
    assert b"before" in client.get(back_pain_article.url).content  # nothing told us yet
    invalidate_pages([back_pain_article.pk])  # what the other worker did after its write
    assert b"after" in client.get(back_pain_article.url).content


def test_worker_memo_keeps_recent_values_until_they_expire(monkeypatch):
    from pagecache import memo as memo_module

    memo = WorkerMemo(max_entries=2)
    clock = [100.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    memo.set("a", "A", timeout=60)
    memo.set("b", "B", timeout=60)
    assert memo.get("a") == "A"  # now the most recent
    memo.set("c", "C", timeout=60)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == ("A", None, "C")
    clock[0] += 61
    assert memo.get("a") is None


def test_redis_cache_reuses_one_client_per_pool():
    from config.cache import PooledRedisCache

    redis_cache = PooledRedisCache("redis://127.0.0.1:6379/15", {})
    client = redis_cache._cache.get_client("key")
    assert redis_cache._cache.get_client("other", write=True) is client


def test_a_new_comment_renders_the_section_again_not_the_article(
    back_pain_article, client, cached_view, site_queries
):
    cached_view(client, back_pain_article.url)
    make_comment(back_pain_article, body="fresh words")
    with site_queries() as queries:
        response = client.get(back_pain_article.url)
    assert b"fresh words" in response.content
    assert any("comments_comment" in sql for sql in queries.sql)
    # The article around the section (its body, topics, related articles) was kept.
    assert not any("blog_" in sql or "wagtailcore_pagelogentry" in sql for sql in queries.sql)
