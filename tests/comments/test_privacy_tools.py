"""Exporting and erasing one commenter's data, by email address, from the admin or a command."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from comments.models import Comment, CommentStatus
from comments.privacy import erase_comments, export_comments
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

EXPORTED_FIELDS = {
    "id",
    "page",
    "in_reply_to",
    "name",
    "email",
    "website",
    "body",
    "status",
    "created",
    "ip_address",
    "user_agent",
    "notify_replies",
}


@pytest.fixture
def pats_comments(commented_page, other_commented_page) -> list[Comment]:
    """Pat's two comments (one pending, one a reply to Sam), Sam's comment and reply to Pat."""
    sam = make_comment(commented_page, name="Sam", email="sam@example.com")
    pat_reply = make_comment(
        commented_page,
        parent=sam,
        name="Pat",
        email="Pat@Example.com",
        website="https://pat.example",
        body="I agree with Sam.",
        ip_address="198.51.100.7",
        user_agent="Firefox",
        notify_replies=True,
    )
    pat_pending = make_comment(
        other_commented_page,
        name="Pat",
        email="pat@example.com",
        status=CommentStatus.PENDING,
        body="My knee too.",
    )
    make_comment(commented_page, parent=pat_reply, name="Sam", email="sam@example.com")
    return [pat_reply, pat_pending]


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_export_lists_every_comment_of_the_address_whatever_its_case(
    pats_comments, commented_page, other_commented_page
):
    exported = export_comments("PAT@example.COM")
    assert [item["id"] for item in exported] == [comment.pk for comment in pats_comments]
    first, second = exported
    assert set(first) == EXPORTED_FIELDS
    assert first["page"] == {
        "title": commented_page.title,
        "url": commented_page.get_full_url(),
    }
    assert second["page"]["title"] == other_commented_page.title
    assert first["name"] == "Pat" and first["email"] == "Pat@Example.com"
    assert first["website"] == "https://pat.example" and first["body"] == "I agree with Sam."
    assert first["ip_address"] == "198.51.100.7" and first["user_agent"] == "Firefox"
    assert first["status"] == "approved" and second["status"] == "pending"
    assert first["created"] == pats_comments[0].created.isoformat()
    json.dumps(exported)  # ready for a JSON download as it is


def test_export_command_prints_json(pats_comments):
    printed = json.loads(run("export_comment_data", "pat@example.com"))
    assert printed["email"] == "pat@example.com"
    assert [item["body"] for item in printed["comments"]] == ["I agree with Sam.", "My knee too."]


def test_export_of_an_unknown_address_is_empty(pats_comments):
    assert export_comments("nobody@example.com") == []
    assert json.loads(run("export_comment_data", "nobody@example.com"))["comments"] == []


def test_erase_anonymises_and_keeps_the_words_and_the_thread(pats_comments, commented_page):
    user = User.objects.create_user("pat", email="pat@example.com")
    Comment.objects.filter(pk=pats_comments[0].pk).update(user=user)

    assert erase_comments("PAT@EXAMPLE.COM", delete=False) == 2

    reply = Comment.objects.get(pk=pats_comments[0].pk)
    assert (reply.name, reply.email, reply.website) == ("Anonymous", "", "")
    assert (reply.ip_address, reply.user_agent, reply.notify_replies) == (None, "", False)
    assert reply.user is None
    assert reply.body == "I agree with Sam." and reply.parent.name == "Sam"
    assert reply.replies.get().name == "Sam"
    assert Comment.objects.get(pk=pats_comments[1].pk).status == CommentStatus.PENDING
    assert not Comment.objects.filter(email__iexact="pat@example.com").exists()
    assert Comment.objects.filter(email="sam@example.com").count() == 2


def test_erase_command_anonymises_by_default(pats_comments):
    assert run("erase_comment_data", "pat@example.com").strip() == "Anonymised 2 comments."
    assert Comment.objects.filter(name="Anonymous").count() == 2
    assert Comment.objects.count() == 4


def test_erase_with_delete_removes_the_comments_and_replies_move_up(pats_comments):
    assert run("erase_comment_data", "Pat@example.com", "--delete").strip() == (
        "Deleted 2 comments."
    )
    assert not Comment.objects.filter(pk__in=[c.pk for c in pats_comments]).exists()
    sams = Comment.objects.filter(email="sam@example.com").order_by("created")
    assert sams.count() == 2
    assert all(comment.parent_id is None for comment in sams)


def test_erase_function_deletes_and_counts(pats_comments):
    assert erase_comments("pat@example.com", delete=True) == 2
    assert Comment.objects.count() == 2


def test_a_blank_address_matches_nothing_not_the_anonymised_comments(commented_page):
    make_comment(commented_page, name="Anonymous", email="")
    assert export_comments("") == [] and export_comments("  ") == []
    assert erase_comments(" ", delete=True) == 0
    assert Comment.objects.count() == 1
    with pytest.raises(CommandError):
        run("erase_comment_data", " ", "--delete")
