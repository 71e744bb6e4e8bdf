"""A comment the spam service clears, or sends to Spam, changes a cached page at once."""

import pytest

from comments.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_FLOOD_SECONDS = 0
    return request.param


def test_a_comment_published_after_the_check_shows_on_the_cached_page(
    back_pain_article, client, post_comment, cached_view, akismet_api,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    assert b"Cleared by Akismet" not in cached_view(back_pain_article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(back_pain_article, body="Cleared by Akismet")
    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert akismet_api.endpoints() == ["comment-check"]
    assert b"Cleared by Akismet" in client.get(back_pain_article.url).content


def test_a_comment_held_for_the_check_is_not_on_the_cached_page(
    back_pain_article, client, post_comment, cached_view, akismet_api
):
    cached_view(back_pain_article.url)
    post_comment(back_pain_article, body="Not checked yet")  # the check waits for the commit
    assert Comment.objects.get().status == CommentStatus.PENDING
    assert b"Not checked yet" not in client.get(back_pain_article.url).content
