"""The JSON API fuzzed against its own OpenAPI document with schemathesis.

Every operation of ``comments/openapi.json`` gets generated requests, valid and not: no answer
may be a 5xx, and every answer (status, headers, body) must be one the document describes, so
a headless front end written from the document never meets a surprise. The requests go through
Django's WSGI handler in this process, so they see the test's database. The number of examples
is bounded to keep the suite's time; hypothesis's database is off so a run is reproducible.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from comments.api import SCHEMA_PATH
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_path(SCHEMA_PATH)
schema.app = get_wsgi_application()

# The site compresses what the client accepts; the in-process client does not inflate.
PLAIN = {"Accept-Encoding": "identity"}

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """Django's WSGI handler closes a connection found inside a transaction when a request
    starts and ends, which would drop the test's; its test client disconnects the same two."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def threads(commented_page):
    """A page with a thread, a reply and a second page of threads to find."""
    first = make_comment(commented_page, name="Ana", body="First")
    make_comment(commented_page, parent=first, name="Ben", body="A reply")
    make_comment(commented_page, name="Cy", body="Second")
    return commented_page


@schema.parametrize()
@FUZZ
def test_every_operation_answers_as_its_schema_says(case, threads, settings):
    # Robots' requests are what the fuzzer sends: the per-IP limits must not turn the run
    # into a list of 429s (which are documented and checked in test_api_post.py).
    settings.COMMENTS_RATE_LIMIT = 10_000
    settings.COMMENTS_FLOOD_SECONDS = 0
    case.call_and_validate(headers=PLAIN)


@pytest.mark.parametrize(
    ("path", "query"), [("/api/comments/", "page"), ("/api/comments/counts/", "pages")]
)
def test_real_pages_answer_as_the_schema_says(threads, path, query):
    """The fuzzer mostly asks about pages that do not exist; these ask about one that does."""
    operation = schema[path]["GET"]
    case = operation.Case(query={query: str(threads.pk)})
    response = case.call_and_validate(headers=PLAIN)
    assert response.status_code == 200
    assert "Ana" in response.text or str(threads.pk) in response.text
