"""Following an article's comments from the form below the comment form, with JavaScript
and without it: the confirmation e-mail's link, its button, then the e-mails."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .accessibility import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ASKED = "If this address can receive our emails, we sent it a link"


def follow_from_the_article(page, article_url: str, email: str, mode_label: str) -> None:
    page.goto(article_url)
    form = page.locator("#followform")
    expect(
        page.get_by_role("heading", name="Notify me of new comments on this article")
    ).to_be_visible()
    form.locator("#id_follow-email").fill(email)
    form.get_by_label(mode_label).check()
    form.get_by_role("button", name="Notify me").click()
    expect(page.locator(".follow-message")).to_contain_text(ASKED)


def confirm_from_the_mail(page, live_url: str, email: str) -> None:
    [message] = [m for m in mail.outbox if email in m.to]
    path = re.search(r"http://[^/\s]+(/comments/follow/confirm/[^/\s]+/)", message.body)[1]
    page.goto(live_url + path)
    page.get_by_role("button", name="Yes, follow the comments").click()
    expect(page.locator(".address-message")).to_contain_text("you now follow the comments")


def test_follow_without_javascript(new_context, seeded_site, article, article_url, shot):
    from comments.models import PageFollow

    page = new_context(java_script_enabled=False).new_page()
    follow_from_the_article(page, article_url, "nojs@example.com", "A daily digest")
    shot(page, "asked")
    follow = PageFollow.objects.get(email="nojs@example.com")
    assert follow.page_id == article.pk and follow.mode == "daily" and not follow.is_confirmed

    confirm_from_the_mail(page, seeded_site.url, "nojs@example.com")
    shot(page, "confirmed")
    follow.refresh_from_db()
    assert follow.is_confirmed


def test_follow_with_javascript_and_a_mistyped_address(
    context, seeded_site, article, article_url, shot
):
    from comments.models import Comment, CommentStatus, PageFollow
    from comments.moderation import ACTIONS, apply_action

    page = context.new_page()
    page.goto(article_url)
    assert_accessible(page, "#follow")
    # The browser's own check would stop the typo first; the server's answer is what is tested.
    page.evaluate("document.getElementById('followform').setAttribute('novalidate', '')")
    page.locator("#id_follow-email").fill("js-at-example.com")
    page.locator("#followform").get_by_role("button", name="Notify me").click()
    error = page.locator("#id_follow-email-error")
    expect(error).to_contain_text("Please enter a valid email address")
    expect(page.locator("#id_follow-email")).to_have_value("js-at-example.com")
    shot(page, "error-beside-the-field", error)
    assert_accessible(page)
    assert not PageFollow.objects.exists()

    follow_from_the_article(page, article_url, "js@example.com", "An email for each new comment")
    confirm_from_the_mail(page, seeded_site.url, "js@example.com")
    mail.outbox.clear()

    comment = Comment.objects.create(
        page=article,
        name="Ann",
        email="ann@example.com",
        body="Ice first, then heat.",
        body_html="<p>Ice first, then heat.</p>",
        status=CommentStatus.PENDING,
    )
    apply_action(ACTIONS["approve"], [comment.pk], None)
    [notice] = [m for m in mail.outbox if "js@example.com" in m.to]
    assert "Ice first, then heat." in notice.body
    unfollow = re.sub(r"^<http://[^/]+|>$", "", notice.extra_headers["List-Unsubscribe"])
    page.goto(seeded_site.url + unfollow)
    page.get_by_role("button", name="Stop following").click()
    expect(page.locator(".address-message")).to_contain_text("no longer follow")
    assert not PageFollow.objects.filter(email="js@example.com").exists()
