"""A comment held until its address is confirmed shows on a cached page as soon as it is."""

import pytest
from django.test import Client

from comments.addresses import make_confirm_token
from comments.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_EMAIL_CONFIRMATION = "always"
    return request.param


def test_confirming_the_address_publishes_the_comment_on_the_cached_page(
    back_pain_article, post_comment, cached_view, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(back_pain_article, body="Held for my address")
    comment = Comment.objects.get()
    assert comment.awaiting_confirmation
    reader = Client()
    assert b"Held for my address" not in cached_view(reader, back_pain_article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/comments/confirm/{make_confirm_token(comment.email, comment.pk)}/")

    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert b"Held for my address" in reader.get(back_pain_article.url).content
