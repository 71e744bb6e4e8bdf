"""Fixtures for the end-to-end tests: Debian's Chromium driven by Playwright against live_server.

Every browser test gets a fresh browser context, the seed content, comment settings that let a
robot post at once, and a ``shot`` helper that saves a screenshot of each step into
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 5_000
# A page load may wait behind the other test process on a 2-core CI machine (a first Wagtail
# admin page compiles its templates): navigations get longer than expectations do.
NAVIGATION_TIMEOUT_MS = 20_000
ARTICLE_SLUG = "physical-therapist-for-back-pain"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "chromium package. Run `make chromium` (or `sudo apt-get install chromium`, or set "
            "CHROMIUM_PATH); never `playwright install`."
        )
        if os.environ.get("CI") == "true":  # CI must run them: a missing browser fails
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Once Playwright marks its asyncio loop as running in this thread, Django's
    # thread-critical connection handler hands this thread new connection wrappers (to the
    # same shared in-memory database). The migration data serialized at database creation
    # lives on the old wrappers: carry it over, or serialized rollback restores nothing and
    # the second browser test finds no Wagtail root page.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps an asyncio loop marked as running in this thread, and
        # Django then refuses ORM calls here (SynchronousOnlyOperation). The tests use the ORM
        # between browser steps, which is safe: Django's documented escape hatch for tests,
        # set only while the browser runs so other tests keep the check.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def comment_settings(settings):
    """No minimum fill time, no flood interval, and room for every post the tests make."""
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 100
    return settings


@pytest.fixture(scope="session")
def seed_snapshot(browser) -> Iterator[dict]:
    """The database as the first browser test left it just after seeding, serialized.

    Building the page tree costs seconds per test; once it has been built, each later test's
    serialized rollback restores this snapshot (migration data and seed content) instead of
    the bare migration data, and ``load_seed_content`` then finds everything in place. The
    migration data is put back when the session ends.
    """
    from django.db import connections

    snapshot: dict = {}
    yield snapshot
    for alias, original in snapshot.get("migration_data", {}).items():
        connections[alias]._test_serialized_contents = original


@pytest.fixture
def seeded_site(browser, seed_snapshot, transactional_db, live_server, comment_settings):
    from django.db import connections
    from wagtail.models import Page

    assert Page.get_first_root_node() is not None, (
        "Wagtail's root page is missing: serialized rollback did not restore migration data"
    )
    call_command("load_seed_content", stdout=io.StringIO())
    if "migration_data" not in seed_snapshot:
        seed_snapshot["migration_data"] = {}
        for alias in connections:
            connection = connections[alias]
            if hasattr(connection, "_test_serialized_contents"):
                seed_snapshot["migration_data"][alias] = connection._test_serialized_contents
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return live_server


@pytest.fixture
def article(seeded_site):
    from blog.models import ArticlePage

    return ArticlePage.objects.get(slug=ARTICLE_SLUG)


@pytest.fixture
def article_url(seeded_site, article) -> str:
    return f"{seeded_site.url}{article.url}"


@pytest.fixture
def new_context(browser, seeded_site) -> Iterator[Callable]:
    """Opens browser contexts (cookies and localStorage of their own); all closed afterwards."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=seeded_site.url, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def shot(request) -> Callable:
    """``shot(page, "step")`` saves a numbered screenshot of the viewport, named after the test;
    ``target`` (a locator) is scrolled into view first. Viewport shots keep the suite fast."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    counter = iter(range(1, 100))

    def take(page, step: str, target=None) -> Path:
        if target is not None:
            target.scroll_into_view_if_needed()
        path = SCREENSHOTS / f"{test_name}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path))
        return path

    return take
