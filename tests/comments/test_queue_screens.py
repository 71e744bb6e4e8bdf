"""What the queue and a comment's screen put on the page for moderators (the browser tests in
tests/browser/ check how it looks and works)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import CommentStatus
from comments.moderation import ACTIONS, apply_action
from comments.queue_shortcuts import QUEUE_SHORTCUTS
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/comments/"


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_status_tabs_mark_the_current_one_for_assistive_technology(
    commented_page, moderator_client
):
    make_comment(commented_page, status=CommentStatus.PENDING)
    soup = soup_of(moderator_client.get(LIST_URL, {"status": "pending"}))
    nav = soup.find("nav", attrs={"aria-label": "Comment status"})
    current = nav.select("a[aria-current=page]")
    assert [a.get_text(" ", strip=True) for a in current] == ["Pending (1)"]
    assert all("w-tabs__tab" in a["class"] for a in nav.find_all("a"))


def test_the_table_sits_in_a_focusable_labelled_region(commented_page, moderator_client):
    make_comment(commented_page)
    region = soup_of(moderator_client.get(LIST_URL)).find(id="comment-queue")
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-label"]
    assert region.find("table")


def test_row_actions_are_one_toolbar_named_for_the_comment_with_their_shortcuts(
    commented_page, moderator_client
):
    make_comment(commented_page, status=CommentStatus.PENDING, name="Tina Toolbar")
    row = soup_of(moderator_client.get(LIST_URL)).select_one("#listing-results tbody tr")
    toolbar = row.find(attrs={"role": "toolbar"})
    assert toolbar["aria-label"] == "Actions for the comment by Tina Toolbar"
    keys = {
        control.get("data-comment-action") or control.get("data-comment-link"): control.get(
            "aria-keyshortcuts"
        )
        for control in toolbar.find_all(["button", "a"])
    }
    assert keys == {
        "approve": "a",
        "spam": "s",
        "trash": "d",
        "reply": "r",
        "edit": "e",
        "history": None,
        "commenter": None,
    }
    # Only the checkbox, the toolbar and the page's links are Tab stops (the email and website
    # are text here; the comment's own screen links them).
    assert not row.select("a[href^=mailto]")


def test_the_queue_names_comments_in_the_bulk_bar_and_gives_its_script_the_shortcuts(
    commented_page, moderator_client
):
    make_comment(commented_page)
    soup = soup_of(moderator_client.get(LIST_URL))
    assert soup.select_one("[data-bulk-action-footer]")["data-bulk-action-footer"] == "COMMENT"
    config = json.loads(soup.find(id="comment-queue-config").string)
    assert config["bulkStrings"]["ALL"] == "All %(objects)s comments on this screen selected"
    assert [s["key"] for s in config["shortcuts"]] == [s.key for s in QUEUE_SHORTCUTS]
    assert config["bulkUrls"]["comments-approve"] == reverse(
        "wagtail_bulk_action", args=["comments", "comment", "comments-approve"]
    )
    assert "snippets" not in soup.select_one("[data-bulk-action-footer]").get_text()


def test_wagtails_shortcuts_dialog_lists_the_queue_keys_for_moderators_only(
    commented_page, moderator_client, client, django_user_model
):
    dialog = soup_of(moderator_client.get("/admin/")).find(id="keyboard-shortcuts-dialog")
    group = dialog.find(id="keyboard-shortut-group-comments-queue")
    rows = {
        # Strings inside Wagtail's <template> are left out of get_text().
        tr.find("th").string.strip(): tr.find("kbd").string
        for tr in group.select("tr")
        if tr.find("kbd")
    }
    assert rows["Next comment"] == "j" and rows["Approve the selected comments"] == "Shift + a"
    assert dialog.find(string="Show keyboard shortcuts")  # Wagtail's own are still there
    editor = django_user_model.objects.create_user("ed", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    editor_dialog = soup_of(client.get("/admin/")).find(id="keyboard-shortcuts-dialog")
    assert editor_dialog.find(id="keyboard-shortut-group-comments-queue") is None


def test_a_comments_screen_is_titled_by_author_and_article_with_its_context_and_history(
    commented_page, moderator_client, moderator
):
    parent = make_comment(commented_page, name="Pat Parent", body="First <b>words</b>")
    reply = make_comment(
        commented_page,
        name="Maria Keller",
        parent=parent,
        status=CommentStatus.PENDING,
        ip_address="198.51.100.9",
        user_agent="AgentSmith/2",
        website="https://maria.example",
    )
    apply_action(ACTIONS["approve"], [reply.pk], moderator)
    soup = soup_of(moderator_client.get(reverse("reader_comments:edit", args=[reply.pk])))
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == [
        f"Maria Keller on “{commented_page.title}”"
    ]
    assert f"Maria Keller on “{commented_page.title}”" in soup.title.get_text()
    details = soup.find("div", class_="comment-edit-layout__context")
    text = details.get_text(" ", strip=True)
    for expected in [
        "Approved",
        "198.51.100.9",
        "AgentSmith/2",
        "https://maria.example",
        "First words",
    ]:
        assert expected in text
    assert details.find("a", href=reverse("reader_comments:edit", args=[parent.pk]))
    assert details.find("a", href=f"{commented_page.url}#comment-{reply.pk}")
    history = details.find("section", class_="comment-history")
    assert "Approve: Pending → Approved" in history.get_text(" ", strip=True)
    assert "Mo Derator" in history.get_text(" ", strip=True)


def test_bulk_delete_confirmation_names_comments_by_article_in_a_fixed_number_of_queries(
    commented_page, moderator_client
):
    def queries_to_confirm(count: int) -> int:
        ids = [make_comment(commented_page, status=CommentStatus.SPAM).pk for _ in range(count)]
        url = "/admin/bulk/comments/comment/delete/?" + "&".join(f"id={pk}" for pk in ids)
        moderator_client.get(url)  # session and caches warmed up
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(url)
        assert response.content.decode().count(f"on “{commented_page.title}”") >= count
        return len(queries)

    assert queries_to_confirm(6) == queries_to_confirm(1)


def test_the_queues_own_screens_have_a_title_of_their_own(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.SPAM, name="Sam Spam")
    titles = {
        reverse("reader_comments:reply", args=[comment.pk]): None,  # spam: sent back to restore
        reverse("reader_comments:moderate", args=[comment.pk, "not_spam"]): (
            "Not spam: comment by Sam Spam"
        ),
        reverse("reader_comments:empty", args=["spam"]): "Empty Spam",
        reverse("reader_comments:privacy"): "Export or erase a commenter's data",
    }
    for url, title in titles.items():
        response = moderator_client.get(url)
        if title is None:
            assert response.status_code == 302
            continue
        soup = soup_of(response)
        assert [h.get_text(" ", strip=True) for h in soup.find_all("h1")] == [title], url
        assert title in soup.title.get_text(), url
