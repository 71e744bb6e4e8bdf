"""A reader reports a comment: on its own page without JavaScript, inline with it."""

import re

import pytest
from playwright.sync_api import expect

from comments import messages
from comments.models import CommentReport
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "Stop your physiotherapy, my miracle cream cures every back pain."


@pytest.fixture
def reported_comment(article):
    return make_comment(article, name="Miracle Max", body=BODY)


def comment_article(page, comment):
    return page.locator(f"#comment-{comment.pk}")


def test_reporting_without_javascript_uses_the_report_page(
    new_context, article, article_url, reported_comment, shot
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article_url)
    link = comment_article(page, reported_comment).get_by_role(
        "link", name=messages.REPORT_LINK_LABEL % {"name": "Miracle Max"}
    )
    link.click()
    expect(page).to_have_url(re.compile(rf"/comments/{reported_comment.pk}/report/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(messages.REPORT_TITLE))
    # No reason chosen: the form comes back with the error beside the reasons.
    page.get_by_role("button", name=str(messages.REPORT_BUTTON)).click()
    expect(page.locator("#id_reason-error")).to_have_text(str(messages.REPORT_REASON_REQUIRED))
    shot(page, "error")
    page.get_by_label(str(messages.REPORT_REASON_HEALTH)).check()
    page.get_by_label(str(messages.REPORT_NOTE)).fill("Tells readers to stop their treatment.")
    page.get_by_role("button", name=str(messages.REPORT_BUTTON)).click()
    expect(page.locator(".report-result")).to_have_text(str(messages.REPORT_THANKS))
    shot(page, "sent")
    report = CommentReport.objects.get()
    assert (report.comment_id, report.reason, report.note) == (
        reported_comment.pk,
        "health_misinformation",
        "Tells readers to stop their treatment.",
    )
    # Back to the article, at the comment.
    page.get_by_role("link", name=messages.REPORT_BACK_TO_PAGE % {"title": article.title}).click()
    expect(page).to_have_url(f"{article_url}#comment-{reported_comment.pk}")


def test_reporting_with_javascript_opens_the_form_under_the_comment(
    page, article_url, reported_comment, shot
):
    page.goto(article_url)
    comment = comment_article(page, reported_comment)
    comment.get_by_role("link", name=messages.REPORT_LINK_LABEL % {"name": "Miracle Max"}).click()
    inline = comment.locator("[data-report-inline] form.comment-report-form")
    expect(inline).to_be_visible()
    assert page.url.startswith(article_url)  # still on the article
    inline.get_by_label(str(messages.REPORT_REASON_ABUSE)).check()
    inline.get_by_label(str(messages.REPORT_EMAIL)).fill("reader@example.com")
    shot(page, "inline-form", comment)
    inline.get_by_role("button", name=str(messages.REPORT_BUTTON)).click()
    result = comment.locator("[data-report-inline] .report-result")
    expect(result).to_have_text(str(messages.REPORT_THANKS))
    expect(result).to_be_focused()
    assert page.url.startswith(article_url)
    shot(page, "inline-sent", comment)
    report = CommentReport.objects.get()
    assert (report.reason, report.email) == ("abuse", "reader@example.com")
    # Reporting again from the same browser is thanked for, and counted once.
    page.reload()
    comment.get_by_role("link", name=messages.REPORT_LINK_LABEL % {"name": "Miracle Max"}).click()
    inline.get_by_label(str(messages.REPORT_REASON_SPAM)).check()
    inline.get_by_role("button", name=str(messages.REPORT_BUTTON)).click()
    expect(result).to_have_text(str(messages.REPORT_ALREADY_SENT))
    assert CommentReport.objects.count() == 1
