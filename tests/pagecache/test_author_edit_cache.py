"""The author's edit and delete reach a cached page at once, and nothing personal is cached."""

import pytest

from comments.models import Comment
from comments.tokens import POSTED_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    return request.param


def test_edit_and_delete_show_at_once_through_the_cache(
    back_pain_article, client, post_comment, cached_view
):
    post_comment(back_pain_article, body="First words")
    comment = Comment.objects.get()
    assert b"First words" in cached_view(back_pain_article.url).content
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Second words"})
    page = client.get(back_pain_article.url).content
    assert b"Second words" in page and b"First words" not in page
    client.post(f"/comments/{comment.pk}/delete/")
    assert b"Second words" not in client.get(back_pain_article.url).content


def test_cached_page_holds_no_edit_links_or_author_cookie(
    back_pain_article, client, post_comment, cached_view
):
    post_comment(back_pain_article, body="Mine")
    comment = Comment.objects.get()
    html = cached_view(back_pain_article.url).content.decode()
    assert f"/comments/{comment.pk}/edit/" not in html
    response = client.get(back_pain_article.url)
    assert POSTED_COOKIE not in response.cookies
