"""The comments API registered with a site's own Wagtail API router (wagtail.api.v2)."""

import pytest
from django.urls import reverse

from comments.api import CommentsAPIEndpoint
from comments.models import Comment
from tests.factories import make_comment
from tests.support.wagtail_api_urls import api_router

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.wagtail_api_urls")]


def test_threads_under_the_routers_prefix_answer_as_the_api_does(commented_page, client):
    first = make_comment(commented_page, name="Ana", body="First")
    make_comment(commented_page, parent=first, name="Ben", body="A reply")
    response = client.get("/api/v2/comments/", {"page": commented_page.pk})
    assert response.status_code == 200
    data = response.json()
    assert [thread["id"] for thread in data["threads"]] == [first.pk]
    assert "email" not in response.content.decode()
    assert response["ETag"]
    again = client.get(
        "/api/v2/comments/", {"page": commented_page.pk}, HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_counts_and_the_router_knows_the_comments_listing(commented_page, client):
    make_comment(commented_page)
    counts = client.get("/api/v2/comments/counts/", {"pages": str(commented_page.pk)})
    assert counts.json() == {"counts": {str(commented_page.pk): 1}}
    assert api_router.get_model_listing_urlpath(Comment) == "/api/v2/comments/"
    assert reverse("wagtailapi:comments:listing") == "/api/v2/comments/"
    assert CommentsAPIEndpoint.get_object_detail_urlpath(Comment, 1) is None


def test_bad_input_gets_the_apis_json_error(client):
    response = client.get("/api/v2/comments/", {"page": "abc"})
    assert response.status_code == 400
    assert response.json() == {"error": "The 'page' parameter must be a positive integer."}
