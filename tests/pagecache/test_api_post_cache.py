"""A comment posted through the JSON API reaches a cached article at its next anonymous GET
(when published), and a held one is seen only through its author's preview link."""

import json
import time
from urllib.parse import urlsplit

import pytest

from comments.tokens import make_form_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    return request.param


def post_to_api(client, page, body):
    data = {
        "page": page.pk,
        "name": "Api Reader",
        "email": "api@example.com",
        "body": body,
        "stamp": make_form_stamp(page.pk, now=time.time() - 10),
    }
    response = client.post("/api/comments/", json.dumps(data), content_type="application/json")
    assert response.status_code == 201
    return response.json()


def test_api_posted_approved_comment_shows_at_the_next_get(
    back_pain_article, client, cached_view, settings
):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    assert b"Posted from a front end" not in cached_view(back_pain_article.url).content
    posted = post_to_api(client, back_pain_article, "Posted from a front end")
    assert posted["state"] == "approved"
    page = client.get(back_pain_article.url).content.decode()
    assert "Posted from a front end" in page and f'id="comment-{posted["id"]}"' in page
    # Cached again with the comment: the next view is served without SQL.
    assert b"Posted from a front end" in cached_view(back_pain_article.url).content


def test_api_posted_pending_comment_stays_out_of_the_cached_page(
    back_pain_article, client, cached_view
):
    cached_view(back_pain_article.url)
    posted = post_to_api(client, back_pain_article, "Waiting for a moderator")
    assert posted["state"] == "pending"
    assert b"Waiting for a moderator" not in client.get(back_pain_article.url).content
    url = urlsplit(posted["url"])
    preview = client.get(f"{url.path}?{url.query}").content
    assert b"Waiting for a moderator" in preview
    assert b"Waiting for a moderator" not in client.get(back_pain_article.url).content
