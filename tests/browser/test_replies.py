"""Posting, moderation and threaded replies, as a reader sees them (with and without JS)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_comment

from .helpers import (
    AWAITING_MODERATION,
    active_element_id,
    approve,
    fill_comment,
    submit,
    wait_for_pending,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST_BODY = "Walking every day eased my lower back within a month."
REPLY_BODY = "Glad it worked; did you also try the cat-camel stretch?"


def previous_sibling_id(page, element_id: str) -> str | None:
    return page.evaluate(
        "id => { const el = document.getElementById(id).previousElementSibling;"
        " return el ? el.id : null; }",
        element_id,
    )


def assert_form_back_in_place(page) -> None:
    """Cancelling puts #respond back where the page had it: at the end of #comments, just
    before the hidden placeholder comments.js left there."""
    where = page.evaluate(
        "() => { const r = document.getElementById('respond');"
        " return [r.parentElement.id, r.nextElementSibling && r.nextElementSibling.id]; }"
    )
    assert where == ["comments", "respond-placeholder"]


def post_top_level_comment(page, article_url: str) -> Comment:
    page.goto(article_url)
    fill_comment(page, body=FIRST_BODY, name="Jane Reader", email="jane@example.com")
    submit(page)
    return wait_for_pending(page)


def test_posted_comment_awaits_moderation_and_only_its_author_sees_it(
    page, new_context, article, article_url, shot
):
    page.goto(article_url)
    fill_comment(page, body=FIRST_BODY, name="Jane Reader", email="jane@example.com")
    shot(page, "filled", page.locator("#respond"))
    submit(page)

    comment = wait_for_pending(page)
    shot(page, "awaiting-moderation")
    assert (comment.page_id, comment.parent_id, comment.status) == (article.pk, None, "pending")
    assert (comment.name, comment.email, comment.body) == (
        "Jane Reader",
        "jane@example.com",
        FIRST_BODY,
    )
    shown = page.locator(f"article#comment-{comment.pk}")
    expect(shown).to_contain_text(FIRST_BODY)
    expect(shown.locator(".comment-awaiting-moderation")).to_have_text(AWAITING_MODERATION)
    expect(shown.locator(".comment-reply-link")).to_have_count(0)
    landed = urlsplit(page.url)
    assert landed.path == article.url
    assert "moderation" in parse_qs(landed.query)
    assert landed.fragment == f"comment-{comment.pk}"

    stranger = new_context().new_page()
    stranger.goto(article_url)
    expect(stranger.locator("#commentform")).to_be_visible()
    shot(stranger, "another-reader")
    expect(stranger.locator(f"#comment-{comment.pk}")).to_have_count(0)
    assert FIRST_BODY not in stranger.content()


def test_approved_comment_is_public_and_takes_a_threaded_reply_with_javascript(
    page, new_context, article_url, shot
):
    parent = post_top_level_comment(page, article_url)
    approve(parent)
    page.reload()
    article = page.locator(f"article#comment-{parent.pk}")
    expect(article).to_contain_text(FIRST_BODY)
    expect(article).not_to_have_class(re.compile(r"\bcomment-pending\b"))
    expect(page.locator(".comment-awaiting-moderation")).to_have_count(0)
    shot(page, "approved", article)

    stranger = new_context().new_page()
    stranger.goto(article_url)
    expect(stranger.locator(f"article#comment-{parent.pk}")).to_contain_text(FIRST_BODY)
    shot(stranger, "approved-seen-by-anyone", stranger.locator(f"#comment-{parent.pk}"))

    url_before = page.url
    article.locator(".comment-reply-link").click()
    assert previous_sibling_id(page, "respond") == f"comment-{parent.pk}"
    assert page.url == url_before, "the Reply link must not navigate when JavaScript runs"
    expect(page.locator("#comment_parent")).to_have_value(str(parent.pk))
    title = page.locator("#reply-title")
    expect(title).to_contain_text("Reply to Jane Reader")
    expect(title.locator(".reply-to-name")).to_have_text("Jane Reader")
    expect(title.locator("#cancel-comment-reply-link")).to_have_text("Cancel reply")
    expect(page.locator("#id_body")).to_be_focused()
    shot(page, "reply-form-moved", page.locator("#respond"))

    fill_comment(page, body=REPLY_BODY, name="Rob Replier", email="rob@example.com")
    submit(page)
    reply = wait_for_pending(page)
    shot(page, "reply-awaiting-moderation")
    assert reply.parent_id == parent.pk
    assert reply.body == REPLY_BODY

    approve(reply)
    page.goto(article_url)
    nested = page.locator(f"#li-comment-{parent.pk} > ol.children > #li-comment-{reply.pk}")
    expect(nested).to_have_count(1)
    expect(nested.locator(f"article#comment-{reply.pk}")).to_contain_text(REPLY_BODY)
    expect(page.locator("#comments-title")).to_contain_text("2 Replies")
    shot(page, "reply-nested", nested)

    page.locator(f"#comment-{parent.pk} .comment-reply-link").click()
    assert previous_sibling_id(page, "respond") == f"comment-{parent.pk}"
    page.locator("#cancel-comment-reply-link").click()
    assert_form_back_in_place(page)
    expect(page.locator("#comment_parent")).to_have_value("")
    expect(page.locator("#reply-title")).to_have_text("Leave a Reply")
    assert active_element_id(page) == "id_body"
    shot(page, "reply-cancelled", page.locator("#respond"))


def test_reply_without_javascript_uses_the_replyto_link(new_context, article, article_url, shot):
    parent = make_comment(article, name="Jane Reader", body="Does walking help?")
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article_url)
    shot(page, "article", page.locator(f"#comment-{parent.pk}"))

    page.locator(f"#comment-{parent.pk} .comment-reply-link").click()
    page.wait_for_url(f"**?replyto={parent.pk}#respond")
    landed = urlsplit(page.url)
    assert landed.path == article.url and landed.fragment == "respond"
    title = page.locator("#reply-title")
    expect(title).to_contain_text("Reply to Jane Reader")
    expect(title.get_by_role("link", name="Cancel reply")).to_be_visible()
    expect(page.locator("#comment_parent")).to_have_value(str(parent.pk))
    shot(page, "reply-form", page.locator("#respond"))

    fill_comment(page, body=REPLY_BODY, name="Rob Replier", email="rob@example.com")
    submit(page)
    reply = wait_for_pending(page)
    shot(page, "reply-awaiting-moderation")
    assert reply.parent_id == parent.pk
    expect(
        page.locator(f"#li-comment-{parent.pk} > ol.children > #li-comment-{reply.pk}")
    ).to_have_count(1)
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply")
    expect(page.get_by_role("link", name="Cancel reply")).to_be_hidden()

    page.goto(f"{article_url}?replyto={parent.pk}#respond")
    title.get_by_role("link", name="Cancel reply").click()
    page.wait_for_url(f"{article_url}#respond")
    expect(title).to_contain_text("Leave a Reply")
    expect(title.get_by_role("link", name="Cancel reply")).to_be_hidden()
    expect(page.locator("#comment_parent")).to_have_value("")
    shot(page, "reply-cancelled", page.locator("#respond"))


def test_replyto_link_opened_with_javascript_moves_the_form_under_the_comment(
    page, article, article_url, shot
):
    parent = make_comment(article, name="Jane Reader", body="Does walking help?")
    page.goto(f"{article_url}?replyto={parent.pk}#respond")
    expect(page.locator("#comment_parent")).to_have_value(str(parent.pk))
    assert previous_sibling_id(page, "respond") == f"comment-{parent.pk}"
    expect(page.locator("#reply-title")).to_contain_text("Reply to Jane Reader")
    shot(page, "reply-form-under-comment", page.locator("#respond"))

    page.locator("#cancel-comment-reply-link").click()
    assert_form_back_in_place(page)
    expect(page.locator("#comment_parent")).to_have_value("")
    expect(page.locator("#reply-title")).to_have_text("Leave a Reply")
    assert urlsplit(page.url).path == article.url
    shot(page, "reply-cancelled", page.locator("#respond"))


def test_reply_link_still_works_after_a_refused_post_without_javascript(new_context, article, shot):
    parent = make_comment(article, name="Jane Reader", body="Does walking help?")
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article.url)
    # Spaces satisfy the browser's `required` but not the server: the post is refused.
    fill_comment(page, body="A comment from a blank name.", name="   ", email="blank@example.com")
    submit(page)
    expect(page.locator("#comment-error-summary")).to_contain_text("Please enter your name.")
    assert urlsplit(page.url).path == f"/comments/post/{article.pk}/"
    shot(page, "refused")

    with page.expect_response(lambda response: "replyto=" in response.url) as answer:
        page.locator(f"#comment-{parent.pk} .comment-reply-link").click()
    response = answer.value
    shot(page, "after-reply-link")
    assert urlsplit(response.url).path == article.url, f"{response.url} answered {response.status}"
    assert response.status == 200
    expect(page.locator("#comment_parent")).to_have_value(str(parent.pk))


def test_reply_heading_sentences_come_from_the_page(new_context, article, article_url):
    """comments.js writes no sentence of its own: a translated page stays translated."""
    parent = make_comment(article, name="Jane Reader", body="Does walking help?")
    page = new_context().new_page()
    page.goto(article_url)
    title = page.locator("#reply-title")
    expect(title).to_have_attribute("data-reply-to", "Reply to")
    page.evaluate(
        """() => {
          const title = document.getElementById("reply-title");
          title.dataset.replyTo = "Antwort an";
          title.dataset.cancelReply = "Abbrechen";
          title.dataset.leaveAReply = "Schreibe einen Kommentar";
        }"""
    )
    page.locator(f"#comment-{parent.pk} .comment-reply-link").click()
    expect(title).to_contain_text("Antwort an Jane Reader")
    title.get_by_role("link", name="Abbrechen").click()
    expect(title).to_have_text("Schreibe einen Kommentar")
