"""ALTCHA in a real browser: the widget (from our static files, under the site's CSP) solves
the challenge and the comment posts; keyboard and screen reader reach it (axe); without
JavaScript the reader is told what is needed and keeps their comment."""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect
from wagtail.models import Site

from comments.models import Comment, DiscussionSettings

from .accessibility import assert_accessible
from .helpers import fill_comment, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "Proof of work, done by my own browser."


@pytest.fixture
def altcha_chosen(seeded_site, comment_settings):
    comment_settings.COMMENTS_ALTCHA_MAX_NUMBER = 200  # a quick puzzle for a busy CI machine
    site = Site.objects.get(is_default_site=True)
    DiscussionSettings.objects.update_or_create(site=site, defaults={"captcha": "altcha"})
    assert not django_settings.DEBUG  # static files come from the live server's handler


def test_widget_solves_the_challenge_and_the_comment_posts(altcha_chosen, page, article_url, shot):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(article_url)
    fill_comment(page, body=BODY, name="Pat Worker", email="pat@example.com")
    widget = page.locator("altcha-widget")
    checkbox = widget.locator("input[type=checkbox]")
    expect(checkbox).to_have_accessible_name("I'm not a robot")  # its own <label for>
    shot(page, "widget", target=widget)
    assert_accessible(page, "#respond")

    checkbox.focus()  # by keyboard: Space ticks it, as a screen reader user would
    page.keyboard.press("Space")
    expect(widget.locator("[data-state]")).to_have_attribute(
        "data-state", "verified", timeout=30_000
    )
    expect(checkbox).to_have_accessible_name("Verified")
    shot(page, "verified", target=widget)
    payload = page.locator("input[name='captcha']").input_value()
    assert payload
    assert_accessible(page, "#respond")

    submit(page)
    comment = wait_for_pending(page)
    assert comment.body == BODY
    assert not [problem for problem in problems if "Content Security Policy" in problem], problems
    assert not problems, problems


def test_without_javascript_the_reader_is_told_what_is_needed(
    altcha_chosen, new_context, article, article_url, shot
):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(article_url)
    note = page.locator(".altcha-noscript")
    expect(note).to_be_visible()
    expect(note).to_contain_text("please turn on JavaScript")
    fill_comment(page, body=BODY, name="Pat Plain", email="plain@example.com")
    submit(page)
    error = page.locator(".comment-form-captcha .field-error")
    expect(error).to_contain_text("It needs JavaScript")
    shot(page, "refused", target=error)
    expect(page.locator("#id_body")).to_have_value(BODY)
    assert page.url.endswith(f"/comments/post/{article.pk}/")
    assert not Comment.objects.exists()
