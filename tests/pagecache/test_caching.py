"""Anonymous article pages are cached, and every change a reader could see invalidates them.

Every test runs twice: with the full-page cache, and without it (the page rendered per
request from its remembered route, its shell and its cached comment section)."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Site

from comments import messages
from comments.models import Comment, CommentStatus, DiscussionSettings
from tests.factories import add_threaded_comments, make_comment
from tests.support import frontend_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    return request.param


def test_anonymous_page_is_cached_with_public_headers(
    back_pain_article, client, site_queries, full_page_cache
):
    first = client.get(back_pain_article.url)
    assert first.get("X-Page-Cache") == ("miss" if full_page_cache else None)
    cache_control = first["Cache-Control"]
    assert (
        "public" in cache_control and "max-age=0" in cache_control and "s-maxage=" in cache_control
    )
    with site_queries() as queries:
        second = client.get(back_pain_article.url)
    assert queries.sql == []
    assert second.get("X-Page-Cache") == ("hit" if full_page_cache else None)
    assert second["Cache-Control"] == cache_control
    # The same page, but for the form's stamp: every reader gets their own.
    stamp = re.compile(rb'name="stamp" value="[^"]+"')
    assert stamp.findall(second.content) != stamp.findall(first.content)
    assert stamp.sub(b"", second.content) == stamp.sub(b"", first.content)


def test_cached_html_holds_nothing_personal(back_pain_article, client, cached_view):
    html = cached_view(back_pain_article.url).content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'name="name" value=' not in html
    assert "awaiting moderation" not in html


def test_logged_in_users_always_get_fresh_private_pages(back_pain_article, admin_client):
    admin_client.get(back_pain_article.url)
    response = admin_client.get(back_pain_article.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_pending_preview_is_never_cached(back_pain_article, post_comment, client):
    location = post_comment(back_pain_article, body="only mine")["Location"]
    first = client.get(location)
    second = client.get(location)
    assert "X-Page-Cache" not in second and "no-store" in second["Cache-Control"]
    assert b"only mine" in first.content and b"only mine" in second.content
    assert b"only mine" not in client.get(back_pain_article.url).content


@pytest.mark.parametrize(
    ("action", "start", "visible_after"),
    [
        ("approve", CommentStatus.PENDING, True),
        ("unapprove", CommentStatus.APPROVED, False),
        ("spam", CommentStatus.APPROVED, False),
        ("trash", CommentStatus.APPROVED, False),
    ],
)
def test_moderation_row_actions_invalidate(
    back_pain_article, client, moderator_client, action, start, visible_after, cached_view
):
    comment = make_comment(back_pain_article, status=start, body="Watch this comment")
    before = cached_view(back_pain_article.url)
    assert (b"Watch this comment" in before.content) is (start == CommentStatus.APPROVED)
    moderator_client.post(reverse("reader_comments:moderate", args=[comment.pk, action]))
    after = client.get(back_pain_article.url)
    assert (b"Watch this comment" in after.content) is visible_after


def test_bulk_action_invalidates(back_pain_article, client, moderator_client, cached_view):
    comments = [
        make_comment(back_pain_article, status=CommentStatus.PENDING, body=f"bulk {n}")
        for n in range(2)
    ]
    cached_view(back_pain_article.url)
    ids = "&".join(f"id={c.pk}" for c in comments)
    moderator_client.post(f"/admin/bulk/comments/comment/comments-approve/?{ids}")
    assert b"bulk 1" in client.get(back_pain_article.url).content


def test_admin_edit_invalidates(back_pain_article, client, moderator_client, cached_view):
    comment = make_comment(back_pain_article, body="typo heer")
    cached_view(back_pain_article.url)
    moderator_client.post(
        reverse("reader_comments:edit", args=[comment.pk]),
        {
            "name": comment.name,
            "email": comment.email,
            "website": "",
            "body": "typo here",
            "status": "approved",
        },
    )
    assert b"typo here" in client.get(back_pain_article.url).content


def test_delete_invalidates(back_pain_article, client, cached_view):
    comment = make_comment(back_pain_article, body="soon gone")
    assert b"soon gone" in cached_view(back_pain_article.url).content
    comment.delete()
    assert b"soon gone" not in client.get(back_pain_article.url).content


def test_queryset_update_and_delete_invalidate(back_pain_article, client, cached_view):
    make_comment(back_pain_article, status=CommentStatus.PENDING, body="via update")
    cached_view(back_pain_article.url)
    Comment.objects.filter(body="via update").update(status=CommentStatus.APPROVED)
    assert b"via update" in cached_view(back_pain_article.url).content
    Comment.objects.filter(body="via update").delete()
    assert b"via update" not in client.get(back_pain_article.url).content


def test_save_and_bulk_create_invalidate(back_pain_article, client, cached_view):
    cached_view(back_pain_article.url)
    Comment.objects.bulk_create(
        [
            Comment(
                page=back_pain_article,
                name="B",
                email="b@example.com",
                body="x",
                body_html="<p>bulk made</p>",
                status="approved",
            )
        ]
    )
    assert b"bulk made" in cached_view(back_pain_article.url).content
    comment = Comment.objects.get()
    comment.body_html = "<p>saved again</p>"
    comment.save()
    assert b"saved again" in client.get(back_pain_article.url).content


def test_publishing_and_unpublishing_the_page_invalidate(
    back_pain_article, knee_pain_article, client, cached_view
):
    cached_view(back_pain_article.url)
    cached_view(knee_pain_article.url)
    back_pain_article.title = "A fresh title"
    back_pain_article.save_revision().publish()
    assert b"A fresh title" in client.get(back_pain_article.url).content
    # The knee article lists it as related: its cached copy is refreshed as well.
    assert b"A fresh title" in client.get(knee_pain_article.url).content
    back_pain_article.unpublish()
    assert client.get(back_pain_article.url).status_code == 404


def test_saving_discussion_settings_invalidates(back_pain_article, client, cached_view):
    make_comment(back_pain_article, body="first")
    make_comment(back_pain_article, body="second")
    # The comment's HTML in the list (its text is in the page's JSON-LD on every page).
    assert b"<p>second</p>" in cached_view(back_pain_article.url).content
    DiscussionSettings.objects.create(site=Site.objects.get(is_default_site=True), per_page=1)
    assert b"<p>second</p>" not in client.get(back_pain_article.url).content


def test_choosing_altcha_shows_its_widget_on_cached_pages(back_pain_article, client, cached_view):
    site = Site.objects.get(is_default_site=True)
    DiscussionSettings.objects.create(site=site, captcha="none")
    assert b"<altcha-widget" not in cached_view(back_pain_article.url).content
    settings_row = DiscussionSettings.objects.get(site=site)
    settings_row.captcha = "altcha"
    settings_row.save()
    assert b"<altcha-widget" in client.get(back_pain_article.url).content
    # Each reader fetches their own challenge: the cached copy holds none.
    assert b'challenge="/comments/altcha/challenge/"' in client.get(back_pain_article.url).content


def test_comment_section_fragment_is_cached_without_full_page_cache(
    back_pain_article, client, settings, django_assert_max_num_queries
):
    settings.PAGECACHE_FULL_PAGE = False
    make_comment(back_pain_article, body="fragment")
    client.get(back_pain_article.url)
    with django_assert_max_num_queries(100) as warm:
        response = client.get(back_pain_article.url)
    assert "X-Page-Cache" not in response
    assert not any("comments_comment" in query["sql"] for query in warm.captured_queries)
    Comment.objects.update(body_html="<p>changed fragment</p>")
    assert b"changed fragment" in client.get(back_pain_article.url).content


def test_frontend_cache_is_purged_on_moderation(back_pain_article, moderator_client, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "recorder": {"BACKEND": "tests.support.frontend_cache.RecordingBackend"}
    }
    frontend_cache.PURGED.clear()
    comment = make_comment(back_pain_article, status=CommentStatus.PENDING)
    frontend_cache.PURGED.clear()
    moderator_client.post(reverse("reader_comments:moderate", args=[comment.pk, "approve"]))
    assert any(
        url.endswith("/blog/physical-therapist-for-back-pain/") for url in frontend_cache.PURGED
    )


def test_cached_views_run_no_sql_however_many_comments(back_pain_article, client, cached_view):
    """From the page cache before routing, or rendered from the remembered route, the page's
    shell and its cached comment section: no SQL either way (but the versions' one read
    when they live in the database)."""
    cached_view(back_pain_article.url)
    add_threaded_comments(back_pain_article, 2000)
    response = cached_view(back_pain_article.url)
    assert "2000 Replies" in response.content.decode()


def test_a_cached_page_gives_every_reader_a_fresh_stamp(
    back_pain_article, client, post_comment, full_page_cache
):
    stamp = re.compile(r'name="stamp" value="([^"]+)"')
    client.get(back_pain_article.url)
    cached = client.get(back_pain_article.url)
    assert cached.get("X-Page-Cache") == ("hit" if full_page_cache else None)
    # Posted at once, the cached page's stamp is as new as the view: too fast.
    response = post_comment(
        back_pain_article, stamp=stamp.search(cached.content.decode()).group(1), body="Bot."
    )
    assert response.status_code == 400
    assert str(messages.FORM_TOO_FAST) in response.content.decode()
    assert not Comment.objects.filter(body="Bot.").exists()
