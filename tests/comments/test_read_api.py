"""The read-only JSON API: threads, pagination, counts, caching headers, bad input, schema."""

import json

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.api import SCHEMA_PATH
from comments.models import Comment, CommentStatus, DiscussionSettings
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(SCHEMA_PATH.read_text())
STATUS_REFS = {
    ("/api/comments/", 200): "Threads",
    ("/api/comments/", 400): "Error",
    ("/api/comments/", 404): "Error",
    ("/api/comments/counts/", 200): "Counts",
    ("/api/comments/counts/", 400): "Error",
}


def _to_jsonschema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema's type lists; refs kept."""
    if isinstance(node, dict):
        node = {key: _to_jsonschema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:  # a oneOf of types
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_to_jsonschema(item) for item in node]
    return node


def check_schema(path, response):
    """Every response the tests get is one the OpenAPI document describes."""
    assert str(response.status_code) in SCHEMA["paths"][path]["get"]["responses"]
    if response.status_code == 304:
        return
    name = STATUS_REFS[(path, response.status_code)]
    schema = _to_jsonschema({"$ref": f"#/components/schemas/{name}", **SCHEMA})
    jsonschema.validate(json.loads(response.content), schema)


def get(client, path, **params):
    response = client.get(path, params)
    check_schema(path, response)
    return response


def test_threads_nested_with_depth_and_order(commented_page, client):
    first = make_comment(commented_page, website="https://a.example.org")
    reply = make_comment(commented_page, parent=first)
    make_comment(commented_page, parent=reply)
    second = make_comment(commented_page)
    make_comment(commented_page, status=CommentStatus.PENDING, body="Not yet")
    data = get(client, "/api/comments/", page=commented_page.pk).json()
    assert data["count"] == 4 and data["page_count"] == 1
    assert [thread["id"] for thread in data["threads"]] == [first.pk, second.pk]
    top = data["threads"][0]
    assert top["author"] == {"name": first.name, "website": "https://a.example.org"}
    assert top["html"] == first.body_html and top["created"] == first.created.isoformat()
    assert top["replies"][0]["id"] == reply.pk and top["replies"][0]["depth"] == 2
    assert top["replies"][0]["replies"][0]["depth"] == 3
    assert top["replies"][0]["replies"][0]["parent"] == reply.pk
    assert "Not yet" not in json.dumps(data)


def test_no_personal_data_in_raw_json(commented_page, client):
    make_comment(
        commented_page,
        email="secret@example.com",
        ip_address="203.0.113.9",
        user_agent="SecretBrowser/1.0",
    )
    raw = get(client, "/api/comments/", page=commented_page.pk).content.decode()
    for secret in ("secret@example.com", "203.0.113.9", "SecretBrowser", "email"):
        assert secret not in raw


def test_pagination_follows_discussion_settings(commented_page, client):
    DiscussionSettings.objects.create(site_id=commented_page.get_site().pk, per_page=2)
    made = [make_comment(commented_page) for _ in range(5)]
    data = get(client, "/api/comments/", page=commented_page.pk, p=3).json()
    assert data["page_number"] == 3 and data["page_count"] == 3 and data["per_page"] == 2
    assert [thread["id"] for thread in data["threads"]] == [made[4].pk]
    response = get(client, "/api/comments/", page=commented_page.pk, p=4)
    assert response.status_code == 404 and "1 to 3" in response.json()["error"]


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({}, 400, "required"),
        ({"page": "abc"}, 400, "positive integer"),
        ({"page": "-1"}, 400, "positive integer"),
        ({"page": "99999"}, 404, "No live"),
        ({"page": "1", "p": "x"}, 400, "'p'"),
    ],
)
def test_bad_input_gets_json_error(client, commented_page, params, status, words):
    response = get(client, "/api/comments/", **params)
    assert response.status_code == status and words in response.json()["error"]


def test_draft_page_is_not_found(commented_page, client):
    commented_page.unpublish()
    response = get(client, "/api/comments/", page=commented_page.pk)
    assert response.status_code == 404


def test_etag_304_and_invalidated_by_approval(commented_page, client):
    make_comment(commented_page)
    held = make_comment(commented_page, status=CommentStatus.PENDING)
    response = get(client, "/api/comments/", page=commented_page.pk)
    assert "public" in response["Cache-Control"] and "max-age=30" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get("/api/comments/", {"page": commented_page.pk}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.APPROVED)
    fresh = client.get("/api/comments/", {"page": commented_page.pk}, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh.json()["count"] == 2


def test_counts_in_one_query(commented_page, other_commented_page, client):
    make_comment(commented_page)
    make_comment(commented_page)
    make_comment(other_commented_page, status=CommentStatus.SPAM)
    pages = f"{commented_page.pk},{other_commented_page.pk}"
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "/api/comments/counts/", pages=pages)
    comment_queries = [q for q in queries.captured_queries if "comments_comment" in q["sql"]]
    assert len(comment_queries) == 1
    assert response.json() == {
        "counts": {str(commented_page.pk): 2, str(other_commented_page.pk): 0}
    }
    etag = response["ETag"]
    cached = client.get("/api/comments/counts/", {"pages": pages}, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304


@pytest.mark.parametrize("pages", ["", "1,x", ",", "1,-2"])
def test_counts_bad_input(client, pages):
    response = get(client, "/api/comments/counts/", pages=pages)
    assert response.status_code == 400 and response.json()["error"]


def test_schema_is_served(client):
    response = client.get("/api/comments/schema/")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.0")
