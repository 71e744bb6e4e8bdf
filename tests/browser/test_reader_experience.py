"""A reader's round trip as they would try it: a quick correction is accepted, one submit
lists every missing field, and an accepted comment is announced in words, with and without
JavaScript, by keyboard alone too."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from comments import messages
from comments.models import Comment
from tests.factories import make_comment

from .accessibility import assert_accessible
from .helpers import active_element_id, fill_comment, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MIN_FILL_SECONDS = 2
FORM_TOO_FAST = str(messages.FORM_TOO_FAST)
MISSING = {
    "Comment": str(messages.BODY_REQUIRED),
    "Name": str(messages.NAME_REQUIRED),
    "Email": str(messages.EMAIL_REQUIRED),
}


@pytest.fixture
def min_fill(comment_settings):
    comment_settings.COMMENTS_MIN_FILL_SECONDS = MIN_FILL_SECONDS
    return comment_settings


def browser_page(new_context, javascript: bool):
    return new_context(java_script_enabled=javascript).new_page()


def assert_own_comment_announced(page, comment: Comment) -> None:
    """The status heading and its words are in view, and say what happens next."""
    own = page.locator(f"article#comment-{comment.pk}")
    status = own.locator("#comment-status")
    expect(status.get_by_role("heading", name=str(messages.COMMENT_SENT))).to_be_in_viewport()
    expect(status).to_contain_text(str(messages.AWAITING_MODERATION))
    expect(status).to_contain_text(str(messages.AWAITING_MODERATION_NEXT))
    expect(own.locator(".comment-body")).to_be_in_viewport()
    expect(own).to_have_accessible_name(str(messages.COMMENT_SENT))


# 1. A quick fix is never refused as too fast -----------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_mistake_corrected_at_once_is_posted_not_refused_as_too_fast(
    new_context, article, article_url, min_fill, shot, javascript
):
    page = browser_page(new_context, javascript)
    page.goto(article_url)
    fill_comment(page, body="Stretching helped my back.", name="Quick Fixer", email="quick@example")
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 300)  # the reader took their time
    submit(page)
    summary = page.locator("#comment-error-summary")
    expect(summary).to_contain_text(str(messages.EMAIL_INVALID))
    expect(summary).not_to_contain_text(FORM_TOO_FAST)
    shot(page, "mistake")

    page.fill("#id_email", "quick@example.com")  # corrected well within the fill time
    submit(page)

    comment = wait_for_pending(page)
    shot(page, "corrected-and-posted")
    assert FORM_TOO_FAST not in page.content()
    assert (comment.email, comment.body) == ("quick@example.com", "Stretching helped my back.")


def test_a_form_posted_the_instant_it_is_shown_is_still_too_fast(page, article_url, min_fill, shot):
    page.goto(article_url)
    page.evaluate(
        """() => { const form = document.getElementById('commentform');
                   form.elements.body.value = 'Instant bot.';
                   form.elements.name.value = 'Bot';
                   form.elements.email.value = 'bot@example.com';
                   HTMLFormElement.prototype.submit.call(form); }"""
    )
    expect(page.locator("#comment-error-summary")).to_contain_text(FORM_TOO_FAST)
    shot(page, "too-fast")
    assert not Comment.objects.exists()


# 2. One submit lists every missing field --------------------------------------------------


def test_an_empty_submit_lists_every_missing_field_in_the_summary(page, article, article_url, shot):
    page.goto(article_url)
    form = page.locator("#commentform")
    expect(form).to_have_attribute("novalidate", "")
    for field_id in ("id_body", "id_name", "id_email"):
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("required", "")
        expect(field).to_have_attribute("aria-required", "true")

    submit(page)

    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_focused()
    assert urlsplit(page.url).path == f"/comments/post/{article.pk}/"
    for label, message in MISSING.items():
        expect(summary.get_by_role("link", name=f"{label}: {message}")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(len(MISSING))
    shot(page, "every-missing-field")
    assert_accessible(page)
    assert not Comment.objects.exists()


def test_without_javascript_the_servers_summary_still_appears(new_context, article_url, shot):
    page = browser_page(new_context, javascript=False)
    page.goto(article_url)
    expect(page.locator("#commentform")).not_to_have_attribute("novalidate", "")
    # What a browser's `required` lets through, the server refuses with its summary.
    fill_comment(page, body="&nbsp; &#8203;", name="   ", email="blank@example.com")
    submit(page)

    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=f"Comment: {MISSING['Comment']}")).to_be_visible()
    expect(summary.get_by_role("link", name=f"Name: {MISSING['Name']}")).to_be_visible()
    shot(page, "server-summary")
    assert not Comment.objects.exists()


# 3. Success is announced --------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_accepted_comment_is_focused_and_says_what_happens_next(
    new_context, article, article_url, shot, javascript, width
):
    for number in range(6):  # enough comments above the new one to scroll the page
        make_comment(article, body=f"An earlier reader's comment, number {number}.")
    page = new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 800}
    ).new_page()
    page.goto(article_url)
    fill_comment(page, body="Heat packs eased the stiffness.", name="Sam", email="s@example.com")
    submit(page)

    comment = wait_for_pending(page)
    shot(page, "announced")
    assert_own_comment_announced(page, comment)
    # With the script, comments.js focuses it; without, the redirect's #comment-N does.
    expect(page.locator(f"article#comment-{comment.pk}")).to_be_focused()
    if javascript:  # axe runs in the page's JavaScript
        assert_accessible(page)


# The whole flow by keyboard alone ----------------------------------------------------------

MAX_TABS_TO_THE_FORM = 20


def test_the_readers_flow_by_keyboard_alone(page, article, article_url, shot):
    """Tab, typing and Enter only: from the top of the page to the posted comment, with a
    mistake on the way, in a bounded number of key presses."""
    make_comment(article, name="Jane Reader", body="Walking helped me.")
    page.goto(article_url)
    presses = 0

    def press(key: str) -> None:
        nonlocal presses
        presses += 1
        page.keyboard.press(key)

    while active_element_id(page) != "id_body":
        press("Tab")
        assert presses <= MAX_TABS_TO_THE_FORM, "the comment form is too many Tabs away"
    shot(page, "reached-the-form")
    page.keyboard.type("Typed without a mouse; the exercises helped.")
    press("Tab")
    page.keyboard.type("Kim Keys")
    press("Enter")  # the email forgotten

    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_focused()
    shot(page, "mistake")
    press("Tab")  # the summary's one link leads to the field
    expect(summary.locator("a[href='#id_email']")).to_be_focused()
    press("Enter")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("kim@example.com")
    press("Enter")

    comment = wait_for_pending(page)
    shot(page, "posted")
    assert active_element_id(page) == f"comment-{comment.pk}"
    assert_own_comment_announced(page, comment)
    assert (comment.name, comment.email) == ("Kim Keys", "kim@example.com")
    assert presses <= MAX_TABS_TO_THE_FORM + 5, presses
