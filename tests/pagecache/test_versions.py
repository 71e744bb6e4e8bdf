"""Where versions live: where every process sees them, or the site refuses to start; and
a cache that cannot be reached is a miss, never an error."""

import io
import logging
import socket

import pytest
from django.core import checks
from django.core.cache import caches

from comments.models import Comment, CommentStatus
from pagecache import versions
from pagecache.checks import check_versions_are_shared
from pagecache.models import CacheVersion
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def test_with_a_per_process_cache_versions_live_in_the_database(
    back_pain_article, client, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.get(back_pain_article.url)
    keys = set(CacheVersion.objects.values_list("key", flat=True))
    assert {versions.SITE_KEY, versions.page_key(back_pain_article.pk)} <= keys


def test_a_version_changed_by_another_process_is_seen_at_the_next_view(
    back_pain_article, client, settings
):
    """This process keeps the page in memory; another process (here: a write to the version
    table behind this one's back, as a management command does) moved the page on."""
    settings.PAGECACHE_FULL_PAGE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    comment = make_comment(back_pain_article, body="before the erasure", status="approved")
    client.get(back_pain_article.url)
    assert b"before the erasure" in client.get(back_pain_article.url).content
    Comment.objects.filter(pk=comment.pk).values_list("pk")  # nothing told this process
    # The other process's write: the row and the version, with no signal in this process.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM comments_comment WHERE id = %s", [comment.pk])
    assert b"before the erasure" in client.get(back_pain_article.url).content
    CacheVersion.objects.filter(key=versions.page_key(back_pain_article.pk)).update(value="other")
    CacheVersion.objects.filter(key=versions.SITE_KEY).update(value="other")
    assert b"before the erasure" not in client.get(back_pain_article.url).content


def test_versions_in_a_per_process_cache_are_refused_at_start_up(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGECACHE_VERSION_STORE = "cache"
    errors = check_versions_are_shared(None)
    assert [error.id for error in errors] == ["pagecache.E002"]
    assert errors[0].level == checks.ERROR and "REDIS_URL" in errors[0].hint
    settings.PAGECACHE_VERSION_STORE = "auto"
    assert check_versions_are_shared(None) == []


def test_a_shared_cache_keeps_the_versions_itself(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    settings.PAGECACHE_CACHE = "shared"
    assert not versions.uses_database()
    settings.PAGECACHE_CACHE = "default"
    assert versions.uses_database()


@pytest.fixture
def unreachable_redis(settings):
    """The production cache backend, pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.PooledRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    yield caches["default"]


def test_an_unreachable_cache_is_a_miss_not_an_error(
    back_pain_article, client, post_comment, admin_client, unreachable_redis, caplog, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    caplog.set_level(logging.WARNING)
    pending = make_comment(back_pain_article, status=CommentStatus.PENDING, body="held one")
    for _ in range(3):
        response = client.get(back_pain_article.url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert post_comment(back_pain_article, body="Posted in an outage.").status_code == 303
    assert Comment.objects.filter(body="Posted in an outage.").exists()
    assert admin_client.get("/admin/comments/").status_code == 200
    admin_client.post(f"/admin/comments/moderate/{pending.pk}/approve/")
    assert b"held one" in client.get(back_pain_article.url).content
    # Logged once, not once per request.
    records = caplog.get_records("setup") + caplog.records
    assert len([r for r in records if "unreachable" in r.getMessage()]) == 1


def test_an_invalidation_the_cache_lost_renews_every_page_when_it_answers(
    back_pain_article, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGECACHE_VERSION_STORE = "cache"
    site_before = versions.site_version()
    settings.CACHES = {"default": {"BACKEND": "tests.support.unreachable_cache.UnreachableCache"}}
    assert versions.invalidate_site() is False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].set(versions.SITE_KEY, site_before, timeout=None)  # as the cache kept it
    versions.site_version()  # the first answer after the outage
    assert versions.site_version() != site_before


def test_clear_page_cache_renews_every_page(back_pain_article, client, cached_view):
    from django.core.management import call_command

    cached_view(back_pain_article.url)
    before = versions.site_version()
    call_command("clear_page_cache", stdout=io.StringIO())
    assert versions.site_version() != before
    assert client.get(back_pain_article.url).get("X-Page-Cache") != "hit"
