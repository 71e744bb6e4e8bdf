"""Every public screen of the blog, as readers meet it: no axe-core violation (WCAG 2.2 A and
AA, target size included) at 1280 px and 390 px wide, and no sideways scrolling at 200% and
400% zoom (640 and 320 CSS px of a 1280 px window), with a screenshot of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from blog.models import ArticlePage, BlogIndexPage
from comments.notifications import make_unsubscribe_token
from tests.blog.factories import make_article
from tests.factories import make_comment

from .accessibility import axe_violations, describe
from .helpers import fill_comment, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KNEE_SLUG = "knee-pain-physical-therapy"


@dataclass(frozen=True)
class Screen:
    name: str
    open: Callable[[Page], None]


def visit(path: str) -> Callable[[Page], None]:
    def open_page(page: Page) -> None:
        response = page.goto(path)
        assert response is not None and response.status in (200, 404), (path, response.status)

    return open_page


def errors_shown(path: str) -> Callable[[Page], None]:
    def open_page(page: Page) -> None:
        page.goto(path)
        fill_comment(page, body="Is this normal?", email="not-an-email")
        submit(page)
        expect(page.locator("#comment-error-summary")).to_be_visible()

    return open_page


def after_a_post(path: str) -> Callable[[Page], None]:
    def open_page(page: Page) -> None:
        page.goto(path)
        fill_comment(page, body="Thank you, this helped.", name="Ada", email="ada@example.com")
        submit(page)
        wait_for_pending(page)

    return open_page


@pytest.fixture
def screens(article) -> list[Screen]:
    """One of each kind of public page, in the states a reader can bring it to."""
    first = make_comment(
        article, name="Jane Reader", website="https://jane.example.org", body="Walking helped."
    )
    make_comment(article, name="Rob Replier", parent=first, body="Did you stretch too?")
    knee = ArticlePage.objects.get(slug=KNEE_SLUG)  # open for comments, none yet
    closed = make_article(
        BlogIndexPage.objects.get(slug="blog"), "Comments closed here", allow_comments=False
    )
    token = make_unsubscribe_token("jane@example.com")
    unsubscribe = reverse("comments:unsubscribe", args=[token])
    return [
        Screen("home", visit("/")),
        Screen("blog-index", visit("/blog/")),
        Screen("topic", visit("/blog/topic/back-pain/")),
        Screen("tag", visit("/blog/tag/exercise/")),
        Screen("search-form", visit("/search/")),
        Screen("search-results", visit("/search/?q=back")),
        Screen("search-no-results", visit("/search/?q=zzzzqqq")),
        Screen("not-found", visit("/no-such-page/")),
        Screen("article-with-comments", visit(article.url)),
        Screen("article-no-comments-yet", visit(knee.url)),
        Screen("reply-form-without-js", visit(f"{article.url}?replyto={first.pk}#respond")),
        Screen("article-errors-shown", errors_shown(article.url)),
        Screen("article-after-a-post", after_a_post(article.url)),
        Screen("article-comments-closed", visit(closed.url)),
        Screen("unsubscribe", visit(unsubscribe)),
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_public_screen_has_no_axe_violations(new_context, screens, shot, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    found = {}
    for screen in screens:
        screen.open(page)
        shot(page, screen.name)
        violations = axe_violations(page)
        if violations:
            found[screen.name] = describe(violations)
    assert not found, "\n\n".join(f"{name}:\n{text}" for name, text in found.items())


SCROLLS_SIDEWAYS = (
    "() => { const el = document.scrollingElement;"
    " return el.scrollWidth > el.clientWidth ? [el.scrollWidth, el.clientWidth] : null; }"
)


@pytest.mark.parametrize(("zoom", "width"), [("400%", 320), ("200%", 640)])
def test_no_public_screen_scrolls_sideways_when_zoomed(new_context, screens, shot, zoom, width):
    """A 1280 px window zoomed to 200% or 400% lays pages out in 640 or 320 CSS px."""
    page = new_context(viewport={"width": width, "height": 720}).new_page()
    sideways = {}
    for screen in screens:
        screen.open(page)
        shot(page, f"{screen.name}-{zoom.rstrip('%')}")
        overflow = page.evaluate(SCROLLS_SIDEWAYS)
        if overflow:
            sideways[screen.name] = overflow
    assert not sideways, f"scrolling sideways at {zoom} (scrollWidth, clientWidth): {sideways}"
