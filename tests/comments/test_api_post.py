"""POST /api/comments/: the HTML form's checks and messages as JSON, the stamp endpoint, CORS.

The table ``BAD_INPUTS`` is shared: every input the HTML form refuses is posted to the form
and to the API, and both must give the reader the same sentence.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.error import URLError
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup
from django import forms
from django.core import mail, signing
from django.test import Client
from django_recaptcha.client import RecaptchaResponse

from comments import messages
from comments.models import Comment, CommentStatus
from comments.tokens import FORM_STAMP_SALT, form_stamp_digest, make_form_stamp
from tests.comments.test_read_api import SCHEMA, _to_jsonschema
from tests.factories import make_comment
from tests.testapp.spam_checks import NO_SHOUTING

pytestmark = pytest.mark.django_db

API = "/api/comments/"
STAMP_API = "/api/comments/stamp/"
FRONT_END = "https://front.example"


# Posting, and checking every answer against the OpenAPI document -----------------------------


def check_schema(path: str, method: str, response) -> Any:
    """The answer is one the OpenAPI document describes for this path, method and status."""
    described = SCHEMA["paths"][path][method]["responses"]
    assert str(response.status_code) in described, response.content
    if response.status_code == 204:
        return None
    content = described[str(response.status_code)]["content"]["application/json"]
    data = json.loads(response.content)
    jsonschema.validate(data, _to_jsonschema({**content["schema"], **SCHEMA}))
    return data


def valid_fields(page_id: int, **overrides: Any) -> dict[str, Any]:
    """What a reader sends: a form stamp made 10 s ago, the fields filled in."""
    fields = {
        "name": "Jane Reader",
        "email": "jane@example.com",
        "website": "",
        "body": "Thank you, this helped my back.",
        "stamp": make_form_stamp(page_id, now=time.time() - 10),
        "parent": "",
        "honeypot": "",
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.fixture
def post_json(client):
    """POSTs a comment as JSON to the API; ``raw`` sends a body as it is."""

    def post(page_id=None, raw=None, viewer=None, remote_addr="127.0.0.1", headers=None, **fields):
        if raw is None:
            data = valid_fields(page_id, **fields)
            data["page"] = page_id
            # The API's name for the reCAPTCHA answer (the v2 widget's is the HTML form's).
            if "g-recaptcha-response" in data:
                data["captcha"] = data.pop("g-recaptcha-response")
            raw = json.dumps(data)
        response = (viewer or client).post(
            API,
            raw,
            content_type="application/json",
            headers=headers or {},
            REMOTE_ADDR=remote_addr,
        )
        check_schema(API, "post", response)
        return response

    return post


def html_messages(response) -> list[str]:
    """The sentences a refused HTML post shows: the refusal page's, the error summary's and
    those beside the fields."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select(".refusal-message, #comment-error-summary li, .field-error")
    return [" ".join(element.get_text(" ", strip=True).split()) for element in found]


# The shared table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    """An input the HTML form refuses: its fields (or a ``setup`` returning them, given the
    page and pytest's ``settings`` and ``monkeypatch``), the message both must show, where
    the API puts it, and each one's status."""

    id: str
    message: Callable[[], str]
    api_field: str
    html_status: int
    api_status: int
    fields: dict[str, Any] = field(default_factory=dict)
    setup: Callable[..., dict[str, Any]] | None = None
    page: str = "commented_page"


def _closed(page, settings, monkeypatch):
    page.allow_comments = False
    page.save_revision().publish()
    return {}


def _duplicate(page, settings, monkeypatch):
    settings.COMMENTS_FLOOD_SECONDS = 0
    make_comment(page, email="JANE@example.com", body="Thank you, this helped my back.")
    return {}


def _flood(page, settings, monkeypatch):
    make_comment(page, email="jane@example.com", body="An earlier comment.")
    return {}


def _rate_limit(page, settings, monkeypatch):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 2
    for number in range(2):
        make_comment(page, ip_address="127.0.0.1", body=f"Earlier {number}")
    return {}


def _stamp_already_used(page, settings, monkeypatch):
    stamp = make_form_stamp(page.pk, now=time.time() - 10)
    make_comment(page, email="other@example.com", form_stamp=form_stamp_digest(stamp))
    return {"stamp": stamp}


def _expired(page, settings, monkeypatch):
    settings.COMMENTS_FORM_MAX_AGE = 60
    return {"stamp": make_form_stamp(page.pk, now=time.time() - 120)}


def _stamp_of_another_page(page, settings, monkeypatch):
    return {"stamp": make_form_stamp(page.pk + 1000, now=time.time() - 10)}


def _too_deep(page, settings, monkeypatch):
    settings.COMMENTS_THREAD_DEPTH = 1
    return {"parent": make_comment(page).pk}


def _too_large(page, settings, monkeypatch):
    settings.COMMENTS_MAX_POST_BYTES = 500
    return {"body": "Long words " * 60}


def _shouting(page, settings, monkeypatch):
    settings.COMMENTS_SPAM_CHECKS = ["tests.testapp.spam_checks.refuse_shouting"]
    return {"body": "THIS IS THE BEST ARTICLE I HAVE EVER READ"}


def _captcha_answer(answer):
    def setup(page, settings, monkeypatch):
        settings.RECAPTCHA_PUBLIC_KEY = "site-key-for-tests"
        settings.RECAPTCHA_PRIVATE_KEY = "secret-key-for-tests"

        def submit(**kwargs):
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr("django_recaptcha.fields.client.submit", submit)
        return {"g-recaptcha-response": "the reader's answer"}

    return setup


BAD_INPUTS = [
    BadInput("body-blank", lambda: messages.BODY_REQUIRED, "body", 400, 400, {"body": "  "}),
    BadInput(
        "body-too-long",
        lambda: messages.BODY_TOO_LONG % {"limit_value": 8000, "show_value": 8001},
        "body",
        400,
        400,
        {"body": "b" * 8001},
    ),
    BadInput("name-missing", lambda: messages.NAME_REQUIRED, "name", 400, 400, {"name": ""}),
    BadInput(
        "name-too-long",
        lambda: messages.NAME_TOO_LONG % {"limit_value": 100, "show_value": 101},
        "name",
        400,
        400,
        {"name": "n" * 101},
    ),
    BadInput("email-invalid", lambda: messages.EMAIL_INVALID, "email", 400, 400, {"email": "jane"}),
    BadInput(
        "website-userinfo",
        lambda: messages.WEBSITE_USERINFO,
        "website",
        400,
        400,
        {"website": "https://user:pw@example.com/"},
    ),
    BadInput(
        "website-javascript",
        lambda: messages.WEBSITE_INVALID,
        "website",
        400,
        400,
        {"website": "javascript:alert(1)"},
    ),
    BadInput(
        "honeypot", lambda: messages.SPAM_TRAP, "honeypot", 400, 400, {"honeypot": "http://x.io"}
    ),
    BadInput(
        "parent-unknown",
        lambda: messages.PARENT_NOT_FOUND,
        "parent",
        400,
        400,
        {"parent": 999999},
    ),
    BadInput(
        "parent-too-deep", lambda: messages.PARENT_TOO_DEEP, "parent", 400, 400, setup=_too_deep
    ),
    BadInput(
        "stamp-missing",
        lambda: forms.Field.default_error_messages["required"],
        "stamp",
        400,
        403,
        {"stamp": ""},
    ),
    BadInput(
        "stamp-forged", lambda: messages.FORM_TAMPERED, "stamp", 400, 403, {"stamp": "not-a-stamp"}
    ),
    BadInput(
        "stamp-of-another-page",
        lambda: messages.FORM_TAMPERED,
        "stamp",
        400,
        403,
        setup=_stamp_of_another_page,
    ),
    BadInput("stamp-expired", lambda: messages.FORM_EXPIRED, "stamp", 400, 403, setup=_expired),
    BadInput(
        "stamp-too-fast",
        lambda: messages.FORM_TOO_FAST,
        "stamp",
        400,
        403,
        setup=lambda page, settings, monkeypatch: {"stamp": make_form_stamp(page.pk)},
    ),
    BadInput(
        "captcha-failed",
        lambda: messages.RECAPTCHA_FAILED,
        "captcha",
        400,
        403,
        setup=_captcha_answer(RecaptchaResponse(is_valid=False, error_codes=["invalid"])),
    ),
    BadInput(
        "captcha-unreachable",
        lambda: messages.RECAPTCHA_UNREACHABLE,
        "captcha",
        400,
        403,
        setup=_captcha_answer(URLError("no network")),
    ),
    BadInput(
        "stamp-already-used",
        lambda: messages.FORM_ALREADY_USED,
        "__all__",
        409,
        409,
        setup=_stamp_already_used,
    ),
    BadInput("duplicate", lambda: messages.DUPLICATE, "__all__", 409, 409, setup=_duplicate),
    BadInput("flood", lambda: messages.FLOOD, "__all__", 429, 429, setup=_flood),
    BadInput("rate-limit", lambda: messages.RATE_LIMITED, "__all__", 429, 429, setup=_rate_limit),
    BadInput("site-spam-check", lambda: NO_SHOUTING, "__all__", 400, 400, setup=_shouting),
    BadInput(
        "policy-refuses",
        lambda: messages.COMMENT_NOT_ACCEPTED,
        "__all__",
        403,
        403,
        {"body": "Knees are great."},  # a question page takes questions only
        page="question_page",
    ),
    BadInput("closed", lambda: messages.COMMENTS_CLOSED, "__all__", 403, 403, setup=_closed),
    BadInput(
        "page-takes-no-comments",
        lambda: messages.PAGE_NOT_FOUND,
        "__all__",
        404,
        404,
        page="page_without_comments",
    ),
    BadInput("too-large", lambda: messages.POST_TOO_LARGE, "__all__", 413, 413, setup=_too_large),
]


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[bad.id for bad in BAD_INPUTS])
def test_html_form_and_api_refuse_alike(
    bad, request, settings, monkeypatch, post_comment, post_json
):
    page = request.getfixturevalue(bad.page)
    fields = {**bad.fields, **(bad.setup(page, settings, monkeypatch) if bad.setup else {})}
    stored = Comment.objects.count()
    expected = str(bad.message())

    html = post_comment(page, **fields)
    assert html.status_code == bad.html_status
    assert expected in html_messages(html)

    api = post_json(page.pk, **fields)
    assert api.status_code == bad.api_status
    data = api.json()
    assert expected in data["errors"][bad.api_field]
    assert data["error"] in sum(data["errors"].values(), [])
    assert "no-store" in api["Cache-Control"]

    if bad.api_status == 429:  # both say when to try again
        for response in (html, api):
            assert 1 <= int(response["Retry-After"]) <= 60
    assert Comment.objects.count() == stored


def test_field_errors_all_reported_at_once(commented_page, post_json):
    response = post_json(commented_page.pk, name="", email="jane", body="")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "body": [str(messages.BODY_REQUIRED)],
        "name": [str(messages.NAME_REQUIRED)],
        "email": [str(messages.EMAIL_INVALID)],
    }


def test_flood_retry_after_counts_down_from_the_last_comment(commented_page, post_json, settings):
    settings.COMMENTS_FLOOD_SECONDS = 30
    earlier = make_comment(commented_page, email="jane@example.com")
    Comment.objects.filter(pk=earlier.pk).update(created=earlier.created.replace(microsecond=0))
    response = post_json(commented_page.pk)
    assert response.status_code == 429 and 25 <= int(response["Retry-After"]) <= 30


# Accepted -------------------------------------------------------------------------------------


def test_approved_comment_is_201_and_listed(commented_page, post_json, settings, client):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    response = post_json(commented_page.pk, website="https://jane.example")
    assert response.status_code == 201
    data = response.json()
    comment = Comment.objects.get()
    assert data["id"] == comment.pk and data["state"] == "approved" and data["parent"] is None
    assert "preview_token" not in data
    assert data["url"] == f"http://localhost{commented_page.url}#comment-{comment.pk}"
    assert comment.status == CommentStatus.APPROVED and comment.website == "https://jane.example"
    assert comment.ip_address == "127.0.0.1"
    assert "no-store" in response["Cache-Control"] and not response.cookies
    threads = client.get(API, {"page": commented_page.pk}).json()["threads"]
    assert [thread["id"] for thread in threads] == [comment.pk]


def test_pending_comment_gets_its_preview_token_only_in_the_answer(
    commented_page, post_json, client
):
    response = post_json(commented_page.pk, body="Held for a moderator.")
    assert response.status_code == 201
    data = response.json()
    assert data["state"] == "pending" and data["preview_token"]
    assert Comment.objects.get(pk=data["id"]).status == CommentStatus.PENDING
    url = urlsplit(data["url"])
    assert parse_qs(url.query) == {"moderation": [data["preview_token"]]}
    preview = client.get(f"{url.path}?{url.query}").content.decode()
    assert "Held for a moderator." in preview and str(messages.AWAITING_MODERATION) in preview
    assert "Held for a moderator." not in client.get(url.path).content.decode()
    assert (
        "Held for a moderator." not in client.get(API, {"page": commented_page.pk}).content.decode()
    )


def test_moderators_are_mailed_about_a_pending_api_comment(
    commented_page, post_json, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(commented_page.pk, body="Please check me.")
    assert response.json()["state"] == "pending"
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "Please check me." in mail.outbox[0].body


def test_previously_approved_policy_holds_api_comments_without_the_browser_token(
    commented_page, post_json, settings
):
    """The proof that skips moderation is the HTML form's browser cookie: knowing a
    commenter's name and email through the API is not enough."""
    settings.COMMENTS_APPROVAL_POLICY = "previously_approved"
    make_comment(commented_page, email="jane@example.com", body="An approved one.")
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_json(commented_page.pk).json()["state"] == "pending"


def test_spam_services_check_an_api_comment_as_a_form_one(
    akismet_api, commented_page, post_json, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(commented_page.pk, body="Checked by the service.")
    assert response.json()["state"] == "pending"  # held while the check runs
    [(endpoint, sent)] = akismet_api.requests
    assert endpoint == "comment-check" and sent["comment_content"] == "Checked by the service."
    assert Comment.objects.get(pk=response.json()["id"]).status == CommentStatus.APPROVED


def test_reply_and_follow_up_choice_are_kept(commented_page, post_json, settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    parent = make_comment(commented_page)
    response = post_json(commented_page.pk, parent=parent.pk, notify_replies=True)
    assert response.status_code == 201 and response.json()["parent"] == parent.pk
    reply = Comment.objects.get(pk=response.json()["id"])
    assert reply.parent_id == parent.pk and reply.notify_replies is True


def test_keywords_hold_or_mark_spam_which_looks_pending(commented_page, post_json, settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MODERATION_KEYWORDS = ["miracle cure"]
    settings.COMMENTS_DISALLOWED_KEYWORDS = ["casino"]
    held = post_json(commented_page.pk, body="A Miracle Cure for knees")
    spam = post_json(commented_page.pk, body="Visit the casino", email="s@example.com")
    assert held.json()["state"] == spam.json()["state"] == "pending"
    assert Comment.objects.get(pk=held.json()["id"]).status == CommentStatus.PENDING
    assert Comment.objects.get(pk=spam.json()["id"]).status == CommentStatus.SPAM


def test_the_same_post_sent_twice_is_one_comment(commented_page, post_json):
    stamp = make_form_stamp(commented_page.pk, now=time.time() - 10)
    first = post_json(commented_page.pk, stamp=stamp)
    again = post_json(commented_page.pk, stamp=stamp)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Comment.objects.count() == 1


# Bad requests of the API's own ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["{", "[]", '"a comment"', '{"page": 1, "body": ["a", "list"]}', b"\xff\xfe"],
    ids=["broken", "list", "string", "list-value", "not-utf8"],
)
def test_body_not_a_json_object_is_400(commented_page, post_json, raw):
    response = post_json(raw=raw)
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": [str(messages.API_JSON_INVALID)]}
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "page, message",
    [
        (None, messages.API_PAGE_REQUIRED),
        ("abc", messages.API_PAGE_INVALID),
        (True, messages.API_PAGE_INVALID),
    ],
)
def test_page_missing_or_invalid_is_400(post_json, page, message):
    response = post_json(raw=json.dumps({"page": page, "body": "Hello"}))
    assert response.status_code == 400
    assert response.json()["errors"] == {"page": [str(message)]}


def test_json_is_exempt_from_csrf_and_other_bodies_are_not(commented_page, settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    browser = Client(enforce_csrf_checks=True)
    form_body = browser.post(API, valid_fields(commented_page.pk, page=commented_page.pk))
    check_schema(API, "post", form_body)
    assert form_body.status_code == 403
    assert form_body.json()["errors"] == {"__all__": [str(messages.CSRF_FAILED)]}
    plain = browser.post(API, "{}", content_type="text/plain")
    assert plain.status_code == 403
    as_json = browser.post(
        API,
        json.dumps(valid_fields(commented_page.pk, page=commented_page.pk)),
        content_type="application/json",
    )
    assert as_json.status_code == 201
    assert Comment.objects.count() == 1


def test_an_oversized_body_is_413_whatever_its_type(commented_page, settings):
    settings.COMMENTS_MAX_POST_BYTES = 100
    browser = Client(enforce_csrf_checks=True)
    for content_type in ("application/json", "multipart/form-data; boundary=x", "text/plain"):
        response = browser.post(API, "x" * 200, content_type=content_type)
        check_schema(API, "post", response)
        assert response.status_code == 413
        assert response.json()["error"] == str(messages.POST_TOO_LARGE)


def test_a_body_that_is_not_json_is_415(commented_page, client):
    response = client.post(API, valid_fields(commented_page.pk, page=commented_page.pk))
    check_schema(API, "post", response)
    assert response.status_code == 415
    assert response.json()["error"] == str(messages.API_JSON_REQUIRED)
    assert not Comment.objects.exists()


def test_other_methods_are_405(client):
    assert client.put(API, "{}", content_type="application/json").status_code == 405
    assert client.delete(API).status_code == 405


# A fresh stamp ----------------------------------------------------------------------------------


def test_stamp_is_fresh_uncacheable_and_for_the_page(commented_page, client, settings, post_json):
    first = client.get(STAMP_API, {"page": commented_page.pk})
    second = client.get(STAMP_API, {"page": commented_page.pk})
    stamp = check_schema(STAMP_API, "get", first)["stamp"]
    assert "no-store" in first["Cache-Control"] and "public" not in first["Cache-Control"]
    assert stamp != second.json()["stamp"]
    assert signing.loads(stamp, salt=FORM_STAMP_SALT)["p"] == commented_page.pk
    # The HTML form's stamp URL gives the same kind of answer (one view, views.fresh_stamp).
    html_stamp = client.get(f"/comments/stamp/{commented_page.pk}/")
    assert html_stamp["Cache-Control"] == first["Cache-Control"]
    assert html_stamp["X-Robots-Tag"] == first["X-Robots-Tag"] == "noindex"

    assert post_json(commented_page.pk, stamp=stamp).status_code == 403  # too fast
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    assert post_json(commented_page.pk, stamp=second.json()["stamp"]).status_code == 201


@pytest.mark.parametrize(
    "page, status",
    [(None, 400), ("abc", 400), ("99999", 404), ("root", 404)],
)
def test_stamp_for_a_bad_page_is_refused(client, page_without_comments, page, status):
    params = {} if page is None else {"page": page_without_comments.pk if page == "root" else page}
    response = client.get(STAMP_API, params)
    assert response.status_code == status and check_schema(STAMP_API, "get", response)["error"]


# CORS -----------------------------------------------------------------------------------------


def test_no_cors_headers_unless_origins_are_listed(commented_page, client, post_json):
    response = client.get(API, {"page": commented_page.pk}, headers={"Origin": FRONT_END})
    assert "Access-Control-Allow-Origin" not in response
    assert "Origin" not in response.get("Vary", "")
    preflight = client.options(API, headers={"Origin": FRONT_END})
    assert preflight.status_code == 204 and "Access-Control-Allow-Origin" not in preflight


@pytest.fixture
def front_end(settings):
    settings.COMMENTS_API_CORS_ORIGINS = ["https://Front.example/"]


@pytest.mark.parametrize("path", [API, STAMP_API, "/api/comments/counts/", "/api/comments/schema/"])
def test_listed_origin_may_read_every_endpoint(front_end, commented_page, client, path):
    params = {"page": commented_page.pk, "pages": commented_page.pk}
    response = client.get(path, params, headers={"Origin": FRONT_END})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "Origin" in response["Vary"]
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_other_origins_get_no_cors_headers(front_end, commented_page, client, post_json):
    for origin in ("https://evil.example", "http://front.example", "null"):
        response = client.get(API, {"page": commented_page.pk}, headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in response
        assert "Origin" in response["Vary"]  # a shared cache keeps one answer per origin
    posted = post_json(commented_page.pk, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in posted


def test_preflight_allows_the_listed_origin_to_post_json(front_end, client):
    preflight = client.options(
        API,
        headers={
            "Origin": FRONT_END,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204 and preflight.content == b""
    assert preflight["Access-Control-Allow-Origin"] == FRONT_END
    assert preflight["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Content-Type" in preflight["Access-Control-Allow-Headers"]
    assert int(preflight["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in preflight
    stamp = client.options(STAMP_API, headers={"Origin": FRONT_END})
    assert stamp["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    refused = client.options(API, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 204 and "Access-Control-Allow-Origin" not in refused
    assert "Origin" in refused["Vary"]


def test_listed_origin_posts_and_reads_the_answer(front_end, commented_page, post_json):
    response = post_json(commented_page.pk, headers={"Origin": FRONT_END})
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    refused = post_json(commented_page.pk, headers={"Origin": FRONT_END}, body="")
    assert refused.status_code == 400 and refused["Access-Control-Allow-Origin"] == FRONT_END


def test_posting_costs_no_more_queries_than_the_form_and_a_stamp_few(
    commented_page, client, post_comment, post_json, site_queries, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    client.get(commented_page.url)  # the content types and the site are known
    with site_queries() as html:
        assert post_comment(commented_page, body="From the form").status_code == 303
    with site_queries() as api:
        assert post_json(commented_page.pk, body="From the API").status_code == 201
    # The page (3), the options, the checks (2), the block list, the insert and its savepoint.
    assert len(api.sql) <= len(html.sql) and len(api.sql) <= 11
    with site_queries() as stamp:
        assert client.get(STAMP_API, {"page": commented_page.pk}).status_code == 200
    assert len(stamp.sql) <= 3  # the page's three small lookups
