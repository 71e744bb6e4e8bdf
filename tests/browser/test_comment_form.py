"""The "Leave a Reply" form in a real browser: required fields, the error summary, keyboard use."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

from .helpers import active_element_id, disable_browser_validation, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIELD_MESSAGES = {
    "id_body": "Please type your comment.",
    "id_name": "Please enter your name.",
    "id_email": "Please enter your email address.",
}


def test_without_javascript_an_empty_form_is_stopped_by_the_browser_then_by_the_server(
    new_context, article, article_url, shot
):
    """With the script, one submit lists every missing field in the page's summary
    (test_reader_experience.py); without it the fields' `required` still stops the form,
    and what `required` lets through (blanks) gets the server's summary. (No page.evaluate
    here: it never returns on a page without JavaScript.)"""
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article_url)
    shot(page, "article")

    submit(page)
    shot(page, "browser-validation")
    expect(page.locator("#commentform:invalid")).to_have_count(1)
    expect(page.locator("#id_body:invalid")).to_have_count(1)
    assert page.url == article_url
    assert not Comment.objects.exists()

    page.fill("#id_body", "\u00a0 \u200b")
    page.fill("#id_name", "   ")
    page.fill("#id_email", "blank@example.com")  # an email field trims spaces: then empty
    submit(page)
    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_visible()
    shot(page, "server-errors")
    assert page.url.endswith(f"/comments/post/{article.pk}/")
    expect(summary).to_contain_text("Your comment could not be posted.")
    for field_id in ("id_body", "id_name"):
        message = FIELD_MESSAGES[field_id]
        expect(summary).to_contain_text(message)
        expect(page.locator(f"#{field_id}-error")).to_have_text(message)
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
    assert not Comment.objects.exists()


def test_error_summary_links_lead_to_their_fields(page, article_url, shot):
    page.goto(article_url)
    disable_browser_validation(page)
    page.fill("#id_body", "Only the comment is filled in.")
    submit(page)
    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_body")).to_have_value("Only the comment is filled in.")

    summary.get_by_role("link", name="Name: Please enter your name.").click()
    expect(page.locator("#id_name")).to_be_focused()
    shot(page, "name-focused-from-summary")


def test_comment_written_and_posted_with_the_keyboard(page, article_url, shot):
    page.goto(article_url)
    page.focus("#id_body")
    page.keyboard.type("Typed without a mouse; the exercises helped.")
    page.keyboard.press("Tab")
    expect(page.locator("#id_name")).to_be_focused()
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("kim@example.com")
    shot(page, "typed")

    page.keyboard.press("Enter")
    comment = wait_for_pending(page)
    shot(page, "posted")
    assert (comment.name, comment.email, comment.status) == (
        "Kim Keys",
        "kim@example.com",
        "pending",
    )
    assert comment.body == "Typed without a mouse; the exercises helped."


def test_invalid_keyboard_submission_moves_focus_to_the_error_summary(page, article_url, shot):
    page.goto(article_url)
    disable_browser_validation(page)
    page.focus("#id_body")
    page.keyboard.type("A comment, but no name or email.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("not-an-email")
    page.keyboard.press("Enter")

    summary = page.locator("#comment-error-summary")
    expect(summary).to_be_focused()
    shot(page, "errors")
    expect(summary).to_contain_text("Please enter your name.")
    expect(summary).to_contain_text("Please enter a valid email address")
    assert active_element_id(page) == "comment-error-summary"
    assert not Comment.objects.exists()


def test_a_fresh_stamp_is_fetched_when_the_reader_starts_writing(page, article_url, shot):
    """Behind a CDN the page's stamp is the stored copy's: the form asks for its own."""
    page.goto(article_url)
    stamp = page.locator("input[name=stamp]")
    served = stamp.input_value()
    with page.expect_response(lambda response: "/comments/stamp/" in response.url) as answer:
        page.focus("#id_body")
    assert answer.value.status == 200
    expect(stamp).not_to_have_value(served)
    page.keyboard.type("Posted with the stamp fetched for me.")
    page.fill("#id_name", "Fresh Stamp")
    page.fill("#id_email", "fresh@example.com")
    submit(page)
    comment = wait_for_pending(page)
    shot(page, "posted-with-fetched-stamp")
    assert comment.body == "Posted with the stamp fetched for me."
