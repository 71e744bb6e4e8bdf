"""The author's links after posting a published comment never reach the shared cached page."""

import pytest
from django.test import Client

from comments.author_links import LINKS_COOKIE
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    return request.param


def test_the_author_private_page_is_not_stored_and_the_shared_one_has_no_links(
    back_pain_article, client, post_comment, cached_view
):
    location = post_comment(back_pain_article, body="Published now")["Location"]
    comment = Comment.objects.get()
    own = client.get(location)
    again = client.get(location)
    assert "X-Page-Cache" not in again and "no-store" in again["Cache-Control"]
    assert f"/comments/{comment.pk}/edit/" in own.content.decode()

    # The author's browser, cookie and all, gets the shared copy: comments.js adds the links.
    assert LINKS_COOKIE in client.cookies
    shared = cached_view(back_pain_article.url).content.decode()
    assert "Published now" in shared and f"/comments/{comment.pk}/edit/" not in shared
    other = cached_view(Client(), back_pain_article.url).content.decode()
    assert "Published now" in other and "comment-author-links" not in other
