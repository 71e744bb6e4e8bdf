"""Fixtures every test may use: pages that take comments, a moderator and their client, a
comment POST. They need only the comments app and its test site (tests/testapp), so
tests/comments runs on that site alone (tests/testapp/settings.py, no blog) as well as
beside the blog (config.settings.test). The blog's own fixtures (the seed articles, the page
cache's query counter) are in tests/site_fixtures.py, used when the blog is installed."""

import shutil
import time
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from comments.spam_services import Akismet
from comments.tokens import make_form_stamp
from tests.factories import confirmed_address
from tests.testapp.models import DiscussionPage, QuestionPage

if apps.is_installed("blog"):
    from tests.site_fixtures import (  # noqa: F401 - fixtures, found by name
        back_pain_article,
        blog_index,
        cached_view,
        django_db_setup,
        home,
        knee_pain_article,
        seeded,
    )
else:
    # The comments app's test site alone: only its tests run (the others need the blog).
    _KEPT = {"comments", "testapp", "conftest.py", "factories.py", "__init__.py"}
    collect_ignore = [
        path.name for path in Path(__file__).parent.iterdir() if path.name not in _KEPT
    ]

if apps.is_installed("pagecache"):
    from pagecache.memo import worker_memo
else:
    worker_memo = {}


@pytest.fixture(autouse=True)
def clear_cache():
    """Cached pages live in the cache (and in this process's memory of versioned values);
    every test starts without them."""
    cache.clear()
    worker_memo.clear()
    yield
    cache.clear()
    worker_memo.clear()


def _test_site_page(model, title: str, slug: str):
    """A live page of the test app's, under the default site's root page."""
    page = model(title=title, slug=slug)
    Site.objects.get(is_default_site=True).root_page.add_child(instance=page)
    return page


@pytest.fixture
def commented_page(db) -> DiscussionPage:
    """A page whose type takes comments exactly as the app ships them."""
    return _test_site_page(DiscussionPage, "Ask the physio", "ask-the-physio")


@pytest.fixture
def other_commented_page(db) -> DiscussionPage:
    """A second page of that type, for comments that must stay on their own page."""
    return _test_site_page(DiscussionPage, "Ask the nurse", "ask-the-nurse")


@pytest.fixture
def question_page(db) -> QuestionPage:
    """The test app's page type with its own moderation policy and comment list."""
    return _test_site_page(QuestionPage, "Questions about knees", "knee-questions")


@pytest.fixture
def page_without_comments(db) -> Page:
    """The site's root page: its type does not take comments; the other pages are below it."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def confirmed(db):
    """Confirms readers' addresses (``confirmed("a@example.com", "b@example.com")``): only
    confirmed addresses are sent reply and approval e-mails."""

    def confirm(*emails: str) -> None:
        for email in emails:
            confirmed_address(email)

    return confirm


@pytest.fixture
def moderator(django_user_model):
    """A member of the Comment moderators group, with an address for moderation e-mails."""
    user = django_user_model.objects.create_user(
        "mod", email="mod@example.com", password="pw", first_name="Mo", last_name="Derator"
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


@pytest.fixture
def moderator_client(moderator) -> Client:
    """A browser of its own logged in as the moderator; ``client`` stays an anonymous reader."""
    browser = Client()
    browser.force_login(moderator)
    return browser


# The page cache's one read of its versions: from the database when the cache is each
# process's own memory (the default settings), from Redis otherwise.
VERSION_STORE_TABLE = "pagecache_cacheversion"


class SiteQueries(CaptureQueriesContext):
    """The SQL run inside the block, less the page cache's read of its versions."""

    @property
    def sql(self) -> list[str]:
        return [
            query["sql"]
            for query in self.captured_queries
            if VERSION_STORE_TABLE not in query["sql"]
        ]


@pytest.fixture
def site_queries():
    return lambda: SiteQueries(connection)


@pytest.fixture
def post_comment(client):
    """POSTs a valid comment (a form stamp made 10 s ago) with any field overridden."""

    def post(page, follow=False, headers=None, remote_addr="127.0.0.1", **overrides):
        data = {
            "name": "Jane Reader",
            "email": "jane@example.com",
            "website": "",
            "body": "Thank you, this helped my back.",
            "stamp": make_form_stamp(page.pk, now=time.time() - 10),
            "parent": "",
            "honeypot": "",
        }
        data.update(overrides)
        data = {key: value for key, value in data.items() if value is not None}
        return client.post(
            f"/comments/post/{page.pk}/",
            data,
            follow=follow,
            headers=headers or {},
            REMOTE_ADDR=remote_addr,
        )

    return post


# Akismet's REST API, answered in process: no test reaches the network -----------------------

THANKS = "Thanks for making the web a better place."  # Akismet's answer to a submission


class FakeAkismet:
    """Akismet's REST API as a mock transport: each request is kept (endpoint, form data) and
    answered with ``answers[endpoint]``: (status, text, headers), or an exception to raise."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict]] = []
        self.answers: dict[str, object] = {
            "comment-check": (200, "false", {}),
            "submit-spam": (200, THANKS, {}),
            "submit-ham": (200, THANKS, {}),
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.rsplit("/", 1)[-1]
        self.requests.append((endpoint, dict(parse_qsl(request.content.decode()))))
        answer = self.answers[endpoint]
        if isinstance(answer, Exception):
            raise answer
        status, text, headers = answer
        return httpx.Response(status, text=text, headers=headers)

    def answer(self, endpoint: str, *answer) -> None:
        self.answers[endpoint] = answer[0] if isinstance(answer[0], Exception) else answer

    def endpoints(self) -> list[str]:
        return [endpoint for endpoint, _ in self.requests]


@pytest.fixture(autouse=True)
def no_akismet_key_from_the_environment(monkeypatch):
    """A developer's PYTHON_AKISMET_API_KEY must not turn the check on in every test."""
    monkeypatch.delenv("PYTHON_AKISMET_API_KEY", raising=False)
    monkeypatch.delenv("PYTHON_AKISMET_BLOG_URL", raising=False)


@pytest.fixture
def no_network(monkeypatch) -> FakeAkismet:
    """Every Akismet call goes to the fake: none can reach the network, keyed or not."""
    fake = FakeAkismet()
    monkeypatch.setattr(
        Akismet,
        "http_client",
        lambda self: httpx.Client(transport=httpx.MockTransport(fake.handle)),
    )
    return fake


@pytest.fixture
def akismet_api(no_network, settings) -> FakeAkismet:
    settings.COMMENTS_AKISMET_API_KEY = "abc123key"
    settings.COMMENTS_AKISMET_BLOG_URL = "https://blog.example.org"
    return no_network


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    """A redis-server of the test module's own, on a free port (never the shared one on
    6379), killed afterwards; the test is skipped where redis-server is not installed."""
    from tests.support.live_site import RedisServer

    if not shutil.which("redis-server") and not Path("/usr/bin/redis-server").exists():
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("own-redis"))
    server.start()
    yield server
    server.kill()
