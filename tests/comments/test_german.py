"""A German site (``LANGUAGE_CODE = "de"``): what readers, moderators and e-mail recipients
see of the comments app is German, with no English sentence left.

"English" is judged against the catalogue's own English messages (every msgid whose German
differs), plus English function words that no German sentence uses, for text no msgid covers
(a template that was never marked). Everything the test types itself (names, bodies, the page
title) is German, so any English found came from the app.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from bs4 import Comment as HtmlComment
from django.utils import translation
from wagtail.models import Site

import comments
from comments import messages
from comments.addresses import send_confirmation_request
from comments.models import CommentStatus, DiscussionSettings
from comments.moderation import ACTIONS, apply_action
from comments.section import threads_heading
from tests.factories import confirmed_address, make_comment
from tests.support.i18n import BUTTON_INPUT_TYPES, PLACEHOLDER, VISIBLE_ATTRIBUTES, read_po
from tests.testapp.models import DiscussionPage

pytestmark = pytest.mark.django_db

GERMAN_CATALOGUE = Path(comments.__file__).parent / "locale/de/LC_MESSAGES/django.po"
TITLE = "Rückenschmerzen im Büro"
READER = {"name": "Jürgen Weiß", "email": "juergen@example.com"}
BODY = "Vielen Dank für den hilfreichen Artikel über Übungen."
# Words of English sentences that German never uses (nor do the names and bodies above).
ENGLISH_WORDS = frozenset(
    {"the", "your", "you", "to", "of", "and", "is", "are", "this", "by", "for", "with",
     "please", "been", "has", "not", "at", "on", "or"}
)  # fmt: skip
URLS_AND_ADDRESSES = re.compile(r"\S+://\S+|\S+@\S+")
# The reply title's words, which comments.js writes into the page (see form.html).
SHOWN_BY_SCRIPT = frozenset({"data-leave-a-reply", "data-reply-to", "data-cancel-reply"})


@cache
def english_messages() -> list[tuple[str, re.Pattern]]:
    """Each English message of the catalogue whose German differs, as a pattern matching it
    with any values in its placeholders."""
    found = []
    for entry in read_po(GERMAN_CATALOGUE):
        if not entry.msgid or not entry.translated:
            continue
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for source, german in zip(sources, entry.msgstr, strict=False):
            literal_parts = PLACEHOLDER.split(source)
            if source == german or not any(re.search(r"[^\W\d_]", p) for p in literal_parts):
                continue
            pattern = ".+?".join(re.escape(part) for part in literal_parts)
            pattern = (r"(?<!\w)" if source[0].isalnum() else "") + pattern
            pattern += r"(?!\w)" if source[-1].isalnum() else ""
            found.append((source, re.compile(pattern)))
    return found


def catalogue_english_in(segments: list[str]) -> list[str]:
    """Each English message of the catalogue found in these texts, as "message ← text"."""
    return [
        f"{source!r} ← {segment!r}"
        for segment in segments
        for source, pattern in english_messages()
        if pattern.search(URLS_AND_ADDRESSES.sub(" ", segment))
    ]


def english_words_in(segments: list[str]) -> list[str]:
    """English function words in these texts (links and addresses aside), as "word ← text"."""
    found = []
    for segment in segments:
        words = set(re.findall(r"[^\W\d_]+", URLS_AND_ADDRESSES.sub(" ", segment)))
        found += [f"{word!r} ← {segment!r}" for word in sorted(words & ENGLISH_WORDS)]
    return found


def english_in(segments: list[str]) -> list[str]:
    return catalogue_english_in(segments) + english_words_in(segments)


def shown_texts(element) -> list[str]:
    """What a person reads or hears of an HTML element: its text and the attributes read out
    or that comments.js shows."""
    texts = [
        " ".join(text.split())
        for text in element.find_all(string=True)
        if not isinstance(text, HtmlComment) and text.parent.name not in ("script", "style")
    ]
    for tag in [element, *element.find_all(True)]:
        for name, value in tag.attrs.items():
            button_label = name == "value" and tag.get("type") in BUTTON_INPUT_TYPES
            if name in VISIBLE_ATTRIBUTES or name in SHOWN_BY_SCRIPT or button_label:
                texts.append(" ".join(value) if isinstance(value, list) else value)
    return [text for text in texts if text.strip()]


def section_of(response) -> BeautifulSoup:
    section = BeautifulSoup(response.content, "html.parser").select_one("section#comments")
    assert section is not None, "the page shows no comment section"
    return section


@pytest.fixture
def german_site(settings):
    settings.LANGUAGE_CODE = "de"
    with translation.override("de"):
        yield


@pytest.fixture
def article(db, german_site):
    page = DiscussionPage(title=TITLE, slug="rueckenschmerzen")
    return Site.objects.get(is_default_site=True).root_page.add_child(instance=page)


def german(message) -> str:
    return str(message)  # lazy messages, translated in the active language ("de" here)


def test_the_form_is_german(client, article):
    section = section_of(client.get(article.url))
    texts = shown_texts(section)
    assert german(messages.LEAVE_A_REPLY) in texts
    assert german(messages.NOTIFY_REPLIES) in " ".join(texts)
    assert english_in(texts) == []


def test_the_errors_are_german(article, post_comment):
    response = post_comment(article, name="", email="keine-adresse", body="")
    assert response.status_code == 400
    texts = shown_texts(section_of(response))
    joined = " ".join(texts)
    for error in (messages.ERROR_SUMMARY_TITLE, messages.NAME_REQUIRED, messages.EMAIL_INVALID):
        assert german(error) in joined
    assert english_in(texts) == []


def test_a_refusal_is_german(article, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0  # refused as a duplicate, not as a flood
    post_comment(article, **READER, body=BODY)
    response = post_comment(article, **READER, body=BODY)  # the same words again
    assert response.status_code == 409
    texts = shown_texts(section_of(response))
    assert german(messages.DUPLICATE) in " ".join(texts)
    assert english_in(texts) == []


def test_the_refusal_page_is_german(client, german_site, db):
    """A POST for a page that does not exist has no article to show the form on."""
    response = client.post("/comments/post/999999/", {"body": BODY})
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    title = page.title.get_text().split(" | ")[0]  # " | Clinic Blog" is the blog's
    texts = [title, *shown_texts(page.select_one("main"))]
    assert german(messages.PAGE_NOT_FOUND) in texts
    assert english_in(texts) == []


@pytest.mark.parametrize("count", [1, 2])
def test_the_thread_heading_and_comments_are_german(client, article, count):
    # One top-level comment a page: two comments show the pagination too.
    DiscussionSettings.objects.update_or_create(site=article.get_site(), defaults={"per_page": 1})
    for _ in range(count):
        make_comment(article, **READER, body=BODY)
    section = section_of(client.get(article.url))
    heading = section.select_one("#comments-title").get_text(" ", strip=True)
    assert heading == threads_heading(count, TITLE)
    with translation.override("en"):
        assert heading != threads_heading(count, TITLE)  # the catalogue has this plural
    assert english_in(shown_texts(section)) == []


def test_the_moderation_queue_is_german(client, moderator, article):
    make_comment(article, **READER, body=BODY, status=CommentStatus.PENDING)
    make_comment(article, name="Anna Schmidt", body=BODY)
    client.force_login(moderator)
    page = BeautifulSoup(client.get("/admin/comments/").content, "html.parser")
    main = page.select_one("main")
    texts = shown_texts(main)
    assert german(ACTIONS["approve"].label) in texts
    assert german(messages.FIELD_COMMENT) in texts  # the column heading
    # The catalogue's messages anywhere in the queue; English words only in what the app
    # draws (Wagtail's own chrome is Wagtail's catalogue's business).
    assert catalogue_english_in(texts) == []
    own = [*main.select(".comment-status-tabs"), *main.select("table.listing")]
    assert own, "the queue shows no status tabs or table"
    assert english_in([text for element in own for text in shown_texts(element)]) == []


def test_the_moderation_email_is_german(
    article, moderator, post_comment, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article, **READER, body=BODY)
    (email,) = [mail for mail in mailoutbox if moderator.email in mail.to]
    assert email.subject == german(messages.EMAIL_MODERATE_SUBJECT) % {"title": TITLE}
    lines = [email.subject, *email.body.splitlines()]
    assert german(messages.EMAIL_LABEL_APPROVE) in email.body
    assert english_in(lines) == []


def test_the_approval_email_to_a_reader_is_german(
    article, mailoutbox, confirmed, django_capture_on_commit_callbacks
):
    confirmed(READER["email"])
    comment = make_comment(
        article, **READER, body=BODY, status=CommentStatus.PENDING, notify_replies=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_action(ACTIONS["approve"], [comment.pk], None)
    (email,) = [mail for mail in mailoutbox if READER["email"] in mail.to]
    assert german(messages.EMAIL_UNSUBSCRIBE) in email.body
    assert english_in([email.subject, *email.body.splitlines()]) == []


def test_the_confirmation_email_and_its_pages_are_german(article, mailoutbox, client):
    comment = make_comment(article, **READER, body=BODY, notify_replies=True)
    confirmed_address(READER["email"], confirmed_at=None)  # asked, not yet confirmed
    send_confirmation_request.call(comment.pk)
    (email,) = mailoutbox
    assert german(messages.EMAIL_CONFIRM_WHAT) in email.body
    assert english_in([email.subject, *email.body.splitlines()]) == []
    path = re.search(r"https?://[^/\s]+(/comments/confirm/\S+/)", email.body).group(1)
    asked, done = client.get(path), client.post(path)
    assert german(messages.CONFIRM_BUTTON) in asked.content.decode()
    assert german(messages.CONFIRMED) in done.content.decode()
    for response in [asked, done]:
        page = BeautifulSoup(response.content, "html.parser")
        texts = shown_texts(page.find("h1").parent)
        assert english_in(texts) == [], texts


def test_the_report_page_and_its_errors_are_german(client, article):
    comment = make_comment(article, **READER, body=BODY)
    for response, expected in (
        (client.get(f"/comments/{comment.pk}/report/"), messages.REPORT_BUTTON),
        (
            client.post(f"/comments/{comment.pk}/report/", {"reason": ""}),
            messages.REPORT_REASON_REQUIRED,
        ),
        (
            client.post(f"/comments/{comment.pk}/report/", {"reason": "illegal"}),
            messages.REPORT_THANKS,
        ),
    ):
        page = BeautifulSoup(response.content, "html.parser")
        texts = [page.title.get_text().split(" | ")[0], *shown_texts(page.select_one("main"))]
        assert german(expected) in " ".join(texts)
        # The comment quoted on the form is the reader's German.
        assert english_in(texts) == []


def test_the_decision_on_an_illegal_content_report_is_german(
    article, client, mailoutbox, django_capture_on_commit_callbacks
):
    comment = make_comment(article, **READER, body=BODY)
    client.post(
        f"/comments/{comment.pk}/report/", {"reason": "illegal", "email": "melder@example.com"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_action(ACTIONS["trash"], [comment.pk], None, {"reason": "illegal"})
    assert sorted(mail.to[0] for mail in mailoutbox) == [READER["email"], "melder@example.com"]
    for email in mailoutbox:
        assert german(messages.DECISION_REMOVED) in email.body
        assert english_in([email.subject, *email.body.splitlines()]) == []
