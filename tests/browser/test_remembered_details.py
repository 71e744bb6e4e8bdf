"""Name, email and website remembered in this browser (localStorage) only with consent."""

import json

import pytest
from playwright.sync_api import expect

from .helpers import SAVE_DETAILS_LABEL, fill_comment, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STORE_KEY = "comment-author-details"
DETAILS = {"name": "Sam Saved", "email": "sam@example.com", "website": "https://sam.example.org"}


def stored_details(page):
    raw = page.evaluate("key => window.localStorage.getItem(key)", STORE_KEY)
    return json.loads(raw) if raw else None


def test_details_are_prefilled_on_the_next_visit_after_consent(context, article_url, shot):
    page = context.new_page()
    page.goto(article_url)
    fill_comment(page, body="Remember me, please.", **DETAILS)
    page.get_by_label(SAVE_DETAILS_LABEL).check()
    shot(page, "consent-ticked", page.locator("#respond"))
    submit(page)
    wait_for_pending(page)
    assert stored_details(page) == DETAILS

    later = context.new_page()
    later.goto(article_url)
    for field, value in DETAILS.items():
        expect(later.locator(f"#id_{field}")).to_have_value(value)
    expect(later.get_by_label(SAVE_DETAILS_LABEL)).to_be_checked()
    expect(later.locator("#id_body")).to_have_value("")
    shot(later, "prefilled-next-visit", later.locator("#respond"))
    assert DETAILS["email"] not in later.content().split("<form", 1)[0], "no personal data in HTML"

    later.get_by_label(SAVE_DETAILS_LABEL).uncheck()
    later.fill("#id_body", "Now forget me.")
    submit(later)
    wait_for_pending(later)
    assert stored_details(later) is None
    last = context.new_page()
    last.goto(article_url)
    for field in DETAILS:
        expect(last.locator(f"#id_{field}")).to_have_value("")
    shot(last, "forgotten", last.locator("#respond"))


def test_nothing_is_remembered_without_consent(context, article_url, shot):
    page = context.new_page()
    page.goto(article_url)
    fill_comment(page, body="Do not remember me.", **DETAILS)
    expect(page.get_by_label(SAVE_DETAILS_LABEL)).not_to_be_checked()
    submit(page)
    wait_for_pending(page)
    assert stored_details(page) is None

    later = context.new_page()
    later.goto(article_url)
    for field in DETAILS:
        expect(later.locator(f"#id_{field}")).to_have_value("")
    expect(later.get_by_label(SAVE_DETAILS_LABEL)).not_to_be_checked()
    shot(later, "nothing-prefilled", later.locator("#respond"))
