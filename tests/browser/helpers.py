"""Small steps the browser tests share: filling the form, reading the DOM, moderating."""

from __future__ import annotations

from playwright.sync_api import Page, expect

AWAITING_MODERATION = "Your comment is awaiting moderation."
SAVE_DETAILS_LABEL = "Save my name, email, and website in this browser for the next time I comment."


def fill_comment(
    page: Page, *, body: str, name: str = "", email: str = "", website: str = ""
) -> None:
    page.fill("#id_body", body)
    if name:
        page.fill("#id_name", name)
    if email:
        page.fill("#id_email", email)
    if website:
        page.fill("#id_website", website)


def submit(page: Page) -> None:
    page.get_by_role("button", name="Post Comment").click()


def wait_for_pending(page: Page):
    """After a post: the reader's own comment shown with the moderation notice; returns it."""
    from comments.models import Comment

    notice = page.locator("article.comment-pending .comment-awaiting-moderation")
    expect(notice).to_have_text(AWAITING_MODERATION)
    article_id = page.locator("article.comment-pending").get_attribute("id")
    return Comment.objects.get(pk=int(article_id.removeprefix("comment-")))


def approve(*comments) -> None:
    from comments.models import Comment

    Comment.objects.filter(pk__in=[comment.pk for comment in comments]).update(status="approved")


def active_element_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def disable_browser_validation(page: Page) -> None:
    page.evaluate("document.getElementById('commentform').setAttribute('novalidate', '')")
