"""The block list: moderators block an address, an IP network or a name pattern; a matching
comment is refused (nothing stored, a message that gives nothing away) or held, marked in
the queue."""

import datetime
import logging

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from comments.models import BlockAction, BlockEntry, BlockKind, Comment, CommentStatus
from comments.spam import Submission, check_block_list
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/comment-block-list/new/"
REFUSED_TEXT = "This site did not accept your comment, so it was not posted."


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_APPROVAL_POLICY = "approve"  # a held comment is held by the block list


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def block(kind, value, action=BlockAction.REFUSE, **fields):
    entry = BlockEntry(kind=kind, value=value, action=action, **fields)
    entry.full_clean()
    entry.save()
    return entry


def assert_refused(response):
    assert response.status_code == 403
    html = response.content.decode()
    assert REFUSED_TEXT in html
    # Nothing says why or which entry matched.
    assert "block" not in soup_of(response).find(string=lambda s: REFUSED_TEXT in s).lower()
    assert not Comment.objects.exists()


def test_a_refused_email_address_stores_nothing_and_keeps_the_readers_words(
    commented_page, post_comment
):
    block(BlockKind.EMAIL, "Spammer@Example.com")
    response = post_comment(commented_page, email="SPAMMER@example.COM", body="Buy my pills")
    assert_refused(response)
    assert "Buy my pills" in response.content.decode()  # the form comes back filled in
    assert post_comment(commented_page, email="jane@example.com").status_code == 303


def test_a_network_blocks_every_ipv4_address_in_it(commented_page, post_comment):
    block(BlockKind.IP, "203.0.113.77/24")
    assert BlockEntry.objects.get().value == "203.0.113.0/24"  # written in canonical form
    assert_refused(post_comment(commented_page, remote_addr="203.0.113.9"))
    assert post_comment(commented_page, remote_addr="198.51.100.1").status_code == 303


def test_a_network_blocks_ipv6_addresses(commented_page, post_comment):
    block(BlockKind.IP, "2001:DB8::/32")
    assert BlockEntry.objects.get().value == "2001:db8::/32"
    assert_refused(post_comment(commented_page, remote_addr="2001:db8:1234::5"))
    assert post_comment(commented_page, remote_addr="2001:db9::5").status_code == 303


def test_a_single_ip_address_is_blocked(commented_page, post_comment):
    block(BlockKind.IP, "198.51.100.7")
    assert_refused(post_comment(commented_page, remote_addr="198.51.100.7"))
    assert post_comment(commented_page, remote_addr="198.51.100.8").status_code == 303


@pytest.mark.parametrize(
    ("pattern", "blocked", "allowed"),
    [
        ("casino", "Best CASINO Deals", "Cassie Nolan"),  # a part of the name
        ("*bot", "SEO Bot", "Botanist Bob"),  # a pattern: ends in "bot"
        ("cheap ?ills", "Cheap Pills", "Cheap thrills"),
    ],
)
def test_name_patterns_match_whatever_the_case(
    commented_page, post_comment, pattern, blocked, allowed
):
    block(BlockKind.NAME, pattern)
    assert_refused(post_comment(commented_page, name=blocked))
    assert post_comment(commented_page, name=allowed).status_code == 303


def test_an_expired_entry_is_ignored(commented_page, post_comment):
    block(
        BlockKind.EMAIL,
        "jane@example.com",
        expires=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert post_comment(commented_page).status_code == 303
    assert Comment.objects.get().status == CommentStatus.APPROVED


def test_an_entry_expiring_later_still_applies(commented_page, post_comment):
    block(BlockKind.EMAIL, "jane@example.com", expires=timezone.now() + datetime.timedelta(days=1))
    assert_refused(post_comment(commented_page))


def test_hold_stores_the_comment_pending_and_the_queue_says_why(
    commented_page, post_comment, moderator_client
):
    block(BlockKind.EMAIL, "jane@example.com", action=BlockAction.HOLD, reason="Sells pills")
    response = post_comment(commented_page)
    assert response.status_code == 303
    assert "moderation=" in response["Location"]  # the reader sees it awaits moderation
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.block_mark == "Sells pills"
    row = soup_of(moderator_client.get("/admin/comments/")).select_one("#listing-results tbody tr")
    assert row.select_one("[data-comment-blocked]").get_text() == "Blocked: Sells pills"
    edit = soup_of(moderator_client.get(reverse("reader_comments:edit", args=[comment.pk])))
    assert edit.select_one("[data-comment-blocked]").get_text() == "Blocked: Sells pills"


def test_a_held_comment_without_a_reason_is_marked_with_what_matched(commented_page, post_comment):
    block(BlockKind.NAME, "jane", action=BlockAction.HOLD)
    post_comment(commented_page)
    assert Comment.objects.get().block_mark == "Name pattern: jane"


def test_comments_not_matched_carry_no_mark(commented_page, post_comment, moderator_client):
    block(BlockKind.EMAIL, "other@example.com", action=BlockAction.HOLD)
    post_comment(commented_page)
    assert Comment.objects.get().block_mark == ""
    assert not soup_of(moderator_client.get("/admin/comments/")).select("[data-comment-blocked]")


def test_entries_without_an_action_follow_the_setting(commented_page, post_comment, settings):
    block(BlockKind.EMAIL, "jane@example.com", action=BlockAction.DEFAULT)
    assert post_comment(commented_page).status_code == 303  # COMMENTS_BLOCK_ACTION: "hold"
    assert Comment.objects.get().status == CommentStatus.PENDING
    Comment.objects.all().delete()
    settings.COMMENTS_BLOCK_ACTION = "refuse"
    assert_refused(post_comment(commented_page, body="Another try"))


def test_refuse_wins_when_entries_disagree(commented_page, post_comment):
    block(BlockKind.EMAIL, "jane@example.com", action=BlockAction.HOLD)
    block(BlockKind.NAME, "jane", action=BlockAction.REFUSE)
    assert_refused(post_comment(commented_page))


def test_each_match_is_logged_without_the_commenters_details(commented_page, post_comment, caplog):
    entry = block(BlockKind.EMAIL, "jane@example.com")
    with caplog.at_level(logging.INFO, logger="comments.spam"):
        post_comment(commented_page)
    [record] = [r for r in caplog.records if r.name == "comments.spam"]
    message = record.getMessage()
    assert f"Block list entry {entry.pk} (email)" in message and "refused" in message
    assert "jane@example.com" not in message


def test_the_check_reads_the_block_list_in_one_query(commented_page, django_assert_num_queries):
    for number in range(5):
        block(BlockKind.EMAIL, f"spammer{number}@example.com")
        block(BlockKind.IP, f"10.{number}.0.0/16")
        block(BlockKind.NAME, f"*spam{number}*", action=BlockAction.HOLD)
    block(BlockKind.NAME, "Jane", action=BlockAction.HOLD, reason="Known troll")
    comment = Comment(
        page=commented_page, name="Jane Reader", email="jane@example.com", ip_address="10.9.0.1"
    )
    with django_assert_num_queries(1):
        assert check_block_list(Submission(comment, request=None)) is None
    assert comment.block_mark == "Known troll"
    with django_assert_num_queries(1):
        comment.ip_address = "10.3.4.5"
        assert check_block_list(Submission(comment, request=None)).status == 403


# The admin screens -----------------------------------------------------------------------


def test_moderators_add_an_ipv6_network_and_are_recorded_as_its_author(moderator, moderator_client):
    response = moderator_client.post(
        ADD_URL, {"kind": "ip", "value": "2001:db8:abcd::/48", "action": "hold", "reason": "x"}
    )
    assert response.status_code == 302
    entry = BlockEntry.objects.get()
    assert (entry.value, entry.action) == ("2001:db8:abcd::/48", "hold")
    assert entry.created_by == moderator
    listing = moderator_client.get("/admin/comment-block-list/").content.decode()
    assert "2001:db8:abcd::/48" in listing


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        ("ip", "203.0.113.0/33", "Enter an IP address or a network in CIDR notation"),
        ("ip", "not-an-ip", "Enter an IP address or a network in CIDR notation"),
        ("ip", "2001:db8::g/32", "Enter an IP address or a network in CIDR notation"),
        ("email", "nobody", "Enter a valid email address"),
        ("name", "*", "this pattern would match nearly every name"),
        ("name", " a* ", "this pattern would match nearly every name"),
    ],
)
def test_an_invalid_value_is_shown_beside_the_field(moderator_client, kind, value, error):
    response = moderator_client.post(ADD_URL, {"kind": kind, "value": value, "action": ""})
    assert response.status_code == 200
    field = soup_of(response).find(attrs={"data-field": True, "data-contentpath": "value"})
    assert error in field.select_one("[data-field-errors]").get_text()
    assert not BlockEntry.objects.exists()


def test_the_add_screen_is_filled_in_from_the_link(moderator_client):
    response = moderator_client.get(ADD_URL, {"kind": "email", "value": "jane@example.com"})
    soup = soup_of(response)
    assert soup.find("input", attrs={"name": "value"})["value"] == "jane@example.com"
    assert soup.find("select", attrs={"name": "kind"}).find("option", selected=True)["value"] == (
        "email"
    )


def test_moderators_find_the_block_list_in_the_settings_menu(moderator_client):
    html = moderator_client.get("/admin/").content.decode()
    assert "/admin/comment-block-list/" in html


def assert_denied(response):
    """Wagtail's admin answers PermissionDenied with a redirect home and "Sorry, you do not
    have permission" (a 403 to scripts, see below)."""
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_editors_without_the_permission_get_403(client, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    entry = block(BlockKind.EMAIL, "jane@example.com")
    urls = [
        "/admin/comment-block-list/",
        ADD_URL,
        f"/admin/comment-block-list/edit/{entry.pk}/",
        f"/admin/comment-block-list/delete/{entry.pk}/",
    ]
    for url in urls:
        assert_denied(client.get(url))
        xhr = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert xhr.status_code == 403, url
    assert_denied(client.post(ADD_URL, {"kind": "ip", "value": "10.0.0.0/8"}))
    assert_denied(client.post(f"/admin/comment-block-list/delete/{entry.pk}/"))
    assert list(BlockEntry.objects.values_list("value", flat=True)) == ["jane@example.com"]
    assert "/admin/comment-block-list/" not in client.get("/admin/").content.decode()


def test_existing_comments_are_not_touched_by_a_new_entry(commented_page, moderator_client):
    old = make_comment(commented_page, email="jane@example.com")
    moderator_client.post(ADD_URL, {"kind": "email", "value": "jane@example.com", "action": ""})
    old.refresh_from_db()
    assert old.status == CommentStatus.APPROVED and old.block_mark == ""
