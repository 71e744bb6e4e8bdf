"""Who is this commenter? From any comment, moderators see what else the same e-mail address
and the same IP address sent, by status, act on it in the queue, keep a private note on the
commenter and put them on the block list."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from comments.models import BlockEntry, Comment, CommenterNote, CommentStatus
from comments.privacy import erase_comments, export_commenter, forget_network_details
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

JANE = "jane@example.com"
IP = "198.51.100.23"


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def history_url(comment):
    return reverse("reader_comments:commenter", args=[comment.pk])


def counts_in(soup, section):
    return {
        li["data-status"]: int(li.select_one(".commenter-count").get_text())
        for li in soup.select(f"#commenter-{section} li[data-status]")
    }


@pytest.fixture
def janes_comments(commented_page, other_commented_page):
    """Jane's comments in every status (her address written in several cases), one more
    from her IP address under another name, and someone else's."""
    comments = [
        make_comment(commented_page, email=JANE, ip_address=IP, status=CommentStatus.APPROVED),
        make_comment(commented_page, email="Jane@Example.com", status=CommentStatus.APPROVED),
        make_comment(other_commented_page, email="JANE@EXAMPLE.COM", status="pending"),
        make_comment(commented_page, email=JANE, ip_address=IP, status=CommentStatus.SPAM),
        make_comment(commented_page, email=JANE, status=CommentStatus.TRASH),
    ]
    make_comment(commented_page, email="sock@example.com", ip_address=IP, status="pending")
    make_comment(commented_page, email="someone@example.com", ip_address="203.0.113.1")
    return comments


def test_history_counts_the_same_address_and_the_same_ip_by_status(
    janes_comments, moderator_client, django_assert_max_num_queries
):
    # Session, user, permissions (2), profile; the comment, the note, both sections' counts
    # (one query), the block list; Wagtail's sidebar (locale, 3 permissions, pending count);
    # the moderator's sections (permissions.py, once for the request).
    with django_assert_max_num_queries(15):
        response = moderator_client.get(history_url(janes_comments[0]))
    assert response.status_code == 200
    soup = soup_of(response)
    assert counts_in(soup, "email") == {"approved": 2, "pending": 1, "spam": 1, "trash": 1}
    assert counts_in(soup, "ip") == {"approved": 1, "pending": 1, "spam": 1, "trash": 0}
    assert "198.51.100.23" in soup.select_one("#commenter-ip").get_text()


def test_the_counts_link_to_the_queue_filtered_to_the_commenter(janes_comments, moderator_client):
    soup = soup_of(moderator_client.get(history_url(janes_comments[0])))
    all_link = soup.select_one("#commenter-email [data-commenter-queue]")
    assert all_link.get_text(strip=True) == "See all 5 in the queue"
    queue = soup_of(moderator_client.get(all_link["href"]))
    rows = queue.select("#listing-results tbody tr")
    # Every status, Spam and Bin included: this is the commenter's whole history.
    listed = {int(r.find("input", attrs={"data-object-id": True})["data-object-id"]) for r in rows}
    assert listed == {c.pk for c in janes_comments}
    assert "Comments from jane@example.com" in queue.select_one("#comment-queue-commenter").text
    tabs = {a["data-status"]: a for a in queue.select(".comment-status-tabs a")}
    assert tabs["spam"].select_one(".comment-status-tabs__count").text == "(1)"
    assert "email=jane%40example.com" in tabs["spam"]["href"]
    spam_link = soup.select_one('#commenter-email li[data-status="spam"] a')["href"]
    spam_rows = soup_of(moderator_client.get(spam_link)).select("#listing-results tbody tr")
    assert len(spam_rows) == 1

    ip_link = soup.select_one("#commenter-ip [data-commenter-queue]")["href"]
    ip_rows = soup_of(moderator_client.get(ip_link)).select("#listing-results tbody tr")
    assert len(ip_rows) == 3


def test_bulk_actions_on_all_of_a_commenters_comments_leave_the_others_alone(
    janes_comments, moderator_client
):
    """ "Select all in listing" on the filtered queue sends its query along (Wagtail's bulk
    bar): only Jane's live comments go to spam."""
    url = "/admin/bulk/comments/comment/comments-spam/?email=JANE%40example.com&id=all"
    assert moderator_client.post(url).status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in janes_comments] == ["spam", "spam", "spam", "spam", "trash"]
    others = Comment.objects.exclude(pk__in=[c.pk for c in janes_comments])
    assert set(others.values_list("status", flat=True)) == {"pending", "approved"}


def test_the_ip_section_is_gone_once_ip_addresses_are_forgotten(commented_page, moderator_client):
    old = make_comment(
        commented_page,
        email=JANE,
        ip_address=IP,
        created=timezone.now() - datetime.timedelta(days=200),
    )
    soup = soup_of(moderator_client.get(history_url(old)))
    assert soup.select_one("#commenter-ip")
    forget_network_details()
    soup = soup_of(moderator_client.get(history_url(old)))
    assert not soup.select_one("#commenter-ip")
    assert soup.select_one("#commenter-ip-forgotten")
    assert IP not in soup.get_text()
    assert counts_in(soup, "email") == {"approved": 1, "pending": 0, "spam": 0, "trash": 0}


def test_every_comment_links_to_its_commenters_history(janes_comments, moderator_client):
    comment = janes_comments[2]
    row = next(
        tr
        for tr in soup_of(moderator_client.get("/admin/comments/")).select("#listing-results tr")
        if tr.find("input", attrs={"data-object-id": str(comment.pk)})
    )
    assert row.select_one('[data-comment-link="commenter"]')["href"] == history_url(comment)
    edit = soup_of(moderator_client.get(reverse("reader_comments:edit", args=[comment.pk])))
    assert edit.select_one("[data-commenter-history]")["href"] == history_url(comment)


def test_a_moderators_note_is_kept_for_the_address_whatever_its_case(
    janes_comments, moderator, moderator_client
):
    response = moderator_client.post(
        history_url(janes_comments[0]), {"note": "Asked twice to stop posting links."}
    )
    assert response.status_code == 302
    note = CommenterNote.objects.get()
    assert (note.email, note.updated_by) == (JANE, moderator)
    # The same commenter, reached from a comment with the address in capitals.
    soup = soup_of(moderator_client.get(history_url(janes_comments[1])))
    assert soup.find("textarea", attrs={"name": "note"}).get_text(strip=True) == (
        "Asked twice to stop posting links."
    )
    assert "Mo Derator" in soup.select_one("#commenter-note").get_text()


def test_an_empty_note_removes_it(janes_comments, moderator_client):
    moderator_client.post(history_url(janes_comments[0]), {"note": "Troll"})
    moderator_client.post(history_url(janes_comments[0]), {"note": "  "})
    assert not CommenterNote.objects.exists()


def test_a_note_too_long_is_refused_beside_the_field(janes_comments, moderator_client):
    response = moderator_client.post(history_url(janes_comments[0]), {"note": "x" * 4001})
    assert response.status_code == 200
    assert "at most 4000 characters" in soup_of(response).select_one("#commenter-note").text
    assert not CommenterNote.objects.exists()


def test_the_note_never_reaches_readers(janes_comments, commented_page, moderator_client, client):
    moderator_client.post(history_url(janes_comments[0]), {"note": "Secret-note-7731"})
    page = client.get(commented_page.url)
    assert page.status_code == 200 and janes_comments[0].body in page.content.decode()
    assert "Secret-note-7731" not in page.content.decode()
    api = client.get("/api/comments/", {"page": commented_page.pk})
    assert api.status_code == 200 and janes_comments[0].body in api.content.decode()
    assert "Secret-note-7731" not in api.content.decode()


def test_the_note_is_exported_and_erased_with_the_commenters_data(janes_comments, moderator_client):
    moderator_client.post(history_url(janes_comments[0]), {"note": "Known spammer"})
    assert export_commenter("JANE@example.com")["moderator_note"]["note"] == "Known spammer"
    response = moderator_client.post(
        reverse("reader_comments:privacy"), {"email": JANE, "mode": "anonymise", "export": "1"}
    )
    assert json.loads(response.content)["moderator_note"]["note"] == "Known spammer"
    erase_comments("Jane@Example.com")
    assert not CommenterNote.objects.exists()
    assert export_commenter(JANE)["moderator_note"] is None


def test_block_this_commenter_opens_the_block_list_filled_in(
    janes_comments, moderator, moderator_client
):
    soup = soup_of(moderator_client.get(history_url(janes_comments[0])))
    email_link = soup.select_one("#commenter-email [data-commenter-block]")["href"]
    ip_link = soup.select_one("#commenter-ip [data-commenter-block]")["href"]
    form = soup_of(moderator_client.get(ip_link))
    assert form.find("input", attrs={"name": "value"})["value"] == IP
    add = soup_of(moderator_client.get(email_link))
    assert add.find("input", attrs={"name": "value"})["value"] == JANE
    moderator_client.post(email_link, {"kind": "email", "value": JANE, "action": "refuse"})
    entry = BlockEntry.objects.get()
    assert (entry.kind, entry.value, entry.created_by) == ("email", JANE, moderator)
    # Back on the history screen, the entry is listed.
    soup = soup_of(moderator_client.get(history_url(janes_comments[0])))
    assert "jane@example.com" in soup.select_one("#commenter-blocked").get_text()


def test_an_anonymised_comment_has_no_email_section_and_no_note(commented_page, moderator_client):
    comment = make_comment(commented_page, email="", ip_address=IP)
    soup = soup_of(moderator_client.get(history_url(comment)))
    assert "has no email address" in soup.select_one("#commenter-email").get_text()
    assert not soup.select_one("#commenter-note")
    moderator_client.post(history_url(comment), {"note": "x"})
    assert not CommenterNote.objects.exists()


def test_editors_without_the_permission_are_refused(janes_comments, client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    url = history_url(janes_comments[0])
    xhr = {"x-requested-with": "XMLHttpRequest"}
    assert client.get(url, headers=xhr).status_code == 403
    assert client.post(url, {"note": "x"}, headers=xhr).status_code == 403
    response = client.post(url, {"note": "x"})  # a browser is sent home, told why
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not CommenterNote.objects.exists()
