"""Readers' reports that hold a comment take it off cached pages at once."""

import pytest
from django.test import Client

from comments.models import CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    return request.param


def report(comment, ip: str):
    reader = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox")
    return reader.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})


def test_comment_held_by_reports_disappears_from_the_cached_page(
    back_pain_article, client, cached_view, django_capture_on_commit_callbacks
):
    comment = make_comment(back_pain_article, body="Rude words for the author")
    html = cached_view(back_pain_article.url).content.decode()
    assert "Rude words" in html and f"/comments/{comment.pk}/report/" in html
    for number in (1, 2):
        assert report(comment, f"203.0.113.{number}").status_code == 200
    # Below the threshold the comment stays, and the cached page is served as it was.
    assert "Rude words" in cached_view(back_pain_article.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert report(comment, "203.0.113.3").status_code == 200
    assert callbacks  # comments_changed, sent after commit
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert "Rude words" not in client.get(back_pain_article.url).content.decode()


def test_report_page_is_never_cached(back_pain_article, client):
    comment = make_comment(back_pain_article)
    first = client.get(f"/comments/{comment.pk}/report/")
    assert "no-store" in first["Cache-Control"] or "no-cache" in first["Cache-Control"]
    assert b"csrfmiddlewaretoken" in first.content
