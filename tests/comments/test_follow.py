"""Following an article's comments without commenting ("Notify me of new comments on this
article"): the form, the double opt-in, the e-mails for each new comment and the daily
digest, and the links that stop them."""

import datetime
import re
import time
from html import unescape
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import messages
from comments.addresses import VERIFIED_COOKIE
from comments.follows import (
    make_follow_token,
    make_unfollow_token,
    new_comments_published,
    send_digests,
)
from comments.models import (
    Comment,
    CommentEmailAddress,
    CommentStatus,
    FollowMode,
    PageFollow,
)
from comments.moderation import ACTIONS, apply_action
from comments.privacy import erase_comments, export_commenter
from tests.factories import confirmed_address, make_comment

pytestmark = pytest.mark.django_db

FAN = "fan@example.com"
FOLLOW_CONFIRM_SUBJECT = "Please confirm that you want to follow “Ask the physio”"
NEW_COMMENT_SUBJECT = "New comment on “Ask the physio”"


def follow_url(page) -> str:
    return reverse("comments:follow", args=[page.pk])


@pytest.fixture
def follow(client, django_capture_on_commit_callbacks):
    """POSTs the follow form (its e-mails sent after commit, by the immediate backend)."""

    def send(page, email=FAN, mode="immediate", remote_addr="127.0.0.1", using=None):
        with django_capture_on_commit_callbacks(execute=True):
            return (using or client).post(
                follow_url(page),
                {"follow-email": email, "follow-mode": mode},
                REMOTE_ADDR=remote_addr,
            )

    return send


@pytest.fixture
def approve(django_capture_on_commit_callbacks, moderator):
    def run(*comments: Comment) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            apply_action(ACTIONS["approve"], [comment.pk for comment in comments], moderator)

    return run


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def follow_confirmations() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Please confirm that you want to")]


def confirm_path_in(message) -> str:
    return re.search(r"http://localhost(/comments/follow/confirm/[^/\s]+/)", message.body)[1]


def confirmed_follow(page, email=FAN, mode=FollowMode.IMMEDIATE, **fields) -> PageFollow:
    confirmed_address(email)
    fields.setdefault("confirmed_at", timezone.now())
    return PageFollow.objects.create(page=page, email=email, mode=mode, **fields)


# The form ---------------------------------------------------------------------------------


def test_article_shows_the_follow_form_below_the_comment_form(commented_page, client):
    html = client.get(commented_page.url).content.decode()
    assert str(messages.FOLLOW_TITLE) in html
    assert f'action="{follow_url(commented_page)}"' in html
    assert html.index('id="commentform"') < html.index('id="followform"')
    assert 'name="follow-email"' in html and 'value="daily"' in html
    # The two forms' fields keep their own ids.
    assert html.count('id="id_email"') == 1 and 'id="id_follow-email"' in html


def test_follow_page_works_on_its_own_and_only_for_pages_taking_comments(
    commented_page, page_without_comments, client
):
    response = client.get(follow_url(commented_page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Follow the comments on “Ask the physio”" in html
    assert 'id="followform"' in html
    assert re.search(r'<input type="radio" name="follow-mode" value="immediate"[^>]* checked', html)
    assert client.get(follow_url(page_without_comments)).status_code == 404
    assert client.post(follow_url(page_without_comments), {"follow-email": FAN}).status_code == 404


def test_invalid_address_is_refused_beside_the_field_and_kept(commented_page, follow):
    response = follow(commented_page, email="not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_follow-email-error"' in html
    assert str(messages.EMAIL_INVALID) in html
    assert 'value="not-an-address"' in html  # the reader's input is not lost
    assert str(messages.FOLLOW_ERROR_SUMMARY) in html
    assert not PageFollow.objects.exists() and mail.outbox == []


def test_unknown_mode_is_refused_with_a_message(commented_page, follow):
    response = follow(commented_page, mode="hourly")
    assert response.status_code == 400
    assert 'id="follow-mode-error"' in response.content.decode()
    assert not PageFollow.objects.exists()


# Double opt-in ----------------------------------------------------------------------------


def test_follow_is_stored_unconfirmed_and_one_confirmation_is_mailed(commented_page, follow):
    response = follow(commented_page, email=" Fan@Example.com ", mode="daily")
    assert response.status_code == 200
    assert str(messages.FOLLOW_ASKED) in response.content.decode()
    stored = PageFollow.objects.get()
    assert (stored.email, stored.mode, stored.confirmed_at) == (FAN, "daily", None)
    [message] = follow_confirmations()
    assert message.to == [FAN] and message.subject == FOLLOW_CONFIRM_SUBJECT
    assert "A daily digest" in message.body
    assert re.search(r"http://localhost/comments/never-email/\S+/", message.body)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Asking again (or again and again) sends nothing more: one per address a day.
    for _ in range(3):
        again = follow(commented_page, email=FAN)
        assert str(messages.FOLLOW_ASKED) in again.content.decode()
    assert len(follow_confirmations()) == 1
    assert PageFollow.objects.count() == 1


def test_confirmations_are_limited_per_ip_address(commented_page, follow, settings):
    settings.COMMENTS_CONFIRM_RATE_LIMIT = 2
    for number in range(4):
        follow(commented_page, email=f"person{number}@example.com", remote_addr="203.0.113.7")
    assert len(follow_confirmations()) == 2
    follow(commented_page, email="elsewhere@example.com", remote_addr="198.51.100.1")
    assert len(follow_confirmations()) == 3


def test_nothing_is_mailed_to_an_unconfirmed_follower(commented_page, follow, approve):
    follow(commented_page)
    mail.outbox.clear()
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    call_command("comments_send_digests", stdout=StringIO())
    assert sent_to(FAN) == []


def test_confirm_link_get_only_asks_and_post_confirms(commented_page, follow, client):
    follow(commented_page, mode="daily")
    path = confirm_path_in(follow_confirmations()[0])

    asked = client.get(path)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Send new comments on “Ask the physio” to fan@example.com?" in html
    assert str(messages.FOLLOW_CONFIRM_BUTTON) in html
    assert PageFollow.objects.get().confirmed_at is None  # a link scanner confirms nothing

    done = Client(enforce_csrf_checks=False).post(path)
    assert done.status_code == 200
    assert "you now follow the comments on “Ask the physio”" in done.content.decode()
    stored = PageFollow.objects.get()
    assert stored.confirmed_at is not None and stored.mode == "daily"
    assert CommentEmailAddress.objects.get(email=FAN).is_confirmed
    assert VERIFIED_COOKIE in done.cookies


def test_forged_and_expired_follow_links_are_refused_with_a_message(
    commented_page, client, monkeypatch
):
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 8 * 24 * 60 * 60)
    expired = make_follow_token(commented_page.pk, FAN, "immediate")
    monkeypatch.undo()
    valid = make_follow_token(commented_page.pk, FAN, "immediate")
    forged = [
        "not-a-token",
        valid[:-2] + ("xx" if not valid.endswith("xx") else "yy"),
        make_unfollow_token(commented_page.pk, FAN),  # signed, but for something else
        signing.TimestampSigner(salt="comments.follow-confirm").sign_object(["a list"]),
        make_follow_token(commented_page.pk, FAN, "hourly"),
    ]
    for token in forged:
        for method in (client.get, client.post):
            response = method(reverse("comments:confirm_follow", args=[token]))
            assert response.status_code == 400
            assert str(messages.FOLLOW_LINK_INVALID) in response.content.decode()
    response = client.post(reverse("comments:confirm_follow", args=[expired]))
    assert response.status_code == 400
    assert str(messages.FOLLOW_LINK_EXPIRED) in unescape(response.content.decode())
    assert not PageFollow.objects.filter(confirmed_at__isnull=False).exists()


def test_a_browser_that_proved_the_address_follows_at_once(
    commented_page, other_commented_page, follow, client
):
    follow(commented_page)
    client.post(confirm_path_in(follow_confirmations()[0]))  # sets the verified cookie
    mail.outbox.clear()

    response = follow(other_commented_page, mode="daily")
    assert str(messages.FOLLOW_STARTED) in response.content.decode()
    assert PageFollow.objects.get(page=other_commented_page).is_confirmed
    assert mail.outbox == []

    # Another browser typing the same confirmed address proves nothing: it is asked again.
    CommentEmailAddress.objects.update(confirmation_sent_at=None)
    stranger = Client()
    PageFollow.objects.filter(page=other_commented_page).delete()
    response = follow(other_commented_page, using=stranger)
    assert str(messages.FOLLOW_ASKED) in response.content.decode()
    assert not PageFollow.objects.get(page=other_commented_page).is_confirmed
    assert len(follow_confirmations()) == 1


# Each new comment -------------------------------------------------------------------------


def test_confirmed_follower_gets_one_mail_per_published_comment_only(commented_page, approve):
    confirmed_follow(commented_page)
    pending = make_comment(
        commented_page, status=CommentStatus.PENDING, name="Ann", body="Try ice on it."
    )
    assert sent_to(FAN) == []  # held comments are not news

    approve(pending)
    [message] = sent_to(FAN)
    assert message.subject == NEW_COMMENT_SUBJECT
    assert "Ann" in message.body and "Try ice on it." in message.body
    assert f"#comment-{pending.pk}" in message.body
    unfollow = re.search(r"http://localhost(/comments/unfollow/[^/\s]+/)", message.body)[1]
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost{unfollow}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/comments/never-email/" in message.body


def test_follower_is_not_told_of_their_own_comment(commented_page, approve):
    confirmed_follow(commented_page)
    own = make_comment(commented_page, status=CommentStatus.PENDING, email="FAN@example.com")
    approve(own)
    assert sent_to(FAN) == []


def test_a_follower_replied_to_in_their_thread_gets_one_mail_not_two(commented_page, approve):
    """Following the article and the replies to their own comment: the "new reply" e-mail
    says it all, the article's "new comment" one is not sent as well."""
    confirmed_follow(commented_page)
    own = make_comment(commented_page, email=FAN, notify_replies=True, body="Mine.")
    reply = make_comment(
        commented_page, parent=own, status=CommentStatus.PENDING, name="Ann", body="Ice it."
    )
    elsewhere = make_comment(
        commented_page, status=CommentStatus.PENDING, name="Bo", body="Heat works too."
    )
    approve(reply, elsewhere)
    subjects = sorted(message.subject for message in sent_to(FAN))
    assert len(subjects) == 2  # one for the reply, one for the other new comment
    assert subjects.count(NEW_COMMENT_SUBJECT) == 1
    [follow_mail] = [m for m in sent_to(FAN) if m.subject == NEW_COMMENT_SUBJECT]
    assert "Heat works too." in follow_mail.body and "Ice it." not in follow_mail.body


def test_followers_of_other_articles_and_daily_followers_get_no_immediate_mail(
    commented_page, other_commented_page, approve
):
    confirmed_follow(other_commented_page, email="other@example.com")
    confirmed_follow(commented_page, email="daily@example.com", mode=FollowMode.DAILY)
    confirmed_follow(commented_page)
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    assert len(sent_to(FAN)) == 1  # the article's immediate follower is told
    assert sent_to("other@example.com") == [] and sent_to("daily@example.com") == []


def test_an_instantly_published_comment_reaches_followers(
    commented_page, post_comment, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_FLOOD_SECONDS = 0
    confirmed_follow(commented_page)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page, body="Published straight away.")
    assert Comment.objects.get().status == CommentStatus.APPROVED
    [message] = sent_to(FAN)
    assert "Published straight away." in message.body


def test_approving_on_an_unfollowed_page_costs_one_query_more_at_most(
    commented_page, django_assert_max_num_queries
):
    comment = make_comment(commented_page)
    with django_assert_max_num_queries(1):
        new_comments_published(Comment, comment_ids=[comment.pk])


# Daily digests ----------------------------------------------------------------------------


def test_digest_lists_the_new_comments_once(commented_page, approve):
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    follow = confirmed_follow(commented_page, mode=FollowMode.DAILY, confirmed_at=two_days_ago)
    old = make_comment(commented_page, body="Written before following.")
    Comment.objects.filter(pk=old.pk).update(
        created=two_days_ago - datetime.timedelta(days=1),
        updated=two_days_ago - datetime.timedelta(days=1),
    )
    make_comment(commented_page, body="First new one.")
    held = make_comment(commented_page, body="Second new one.", status=CommentStatus.PENDING)
    approve(held)
    make_comment(commented_page, body="Still held.", status=CommentStatus.PENDING)
    make_comment(commented_page, body="My own.", email=FAN)
    assert sent_to(FAN) == []  # a daily follower hears nothing at once

    call_command("comments_send_digests", stdout=StringIO())
    [digest] = sent_to(FAN)
    assert digest.subject == "2 new comments on “Ask the physio”"
    assert "First new one." in digest.body and "Second new one." in digest.body
    for absent in ("Written before following.", "Still held.", "My own."):
        assert absent not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/comments/unfollow/" in digest.extra_headers["List-Unsubscribe"]
    follow.refresh_from_db()
    assert follow.last_digest_at is not None

    call_command("comments_send_digests", stdout=StringIO())
    assert len(sent_to(FAN)) == 1  # a second run sends nothing twice


def test_digest_sends_nothing_without_news_and_the_next_day_only_whats_new(commented_page):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    follow = confirmed_follow(commented_page, mode=FollowMode.DAILY, confirmed_at=yesterday)
    assert send_digests.call() == 0
    follow.refresh_from_db()
    assert follow.last_digest_at is not None  # its turn is recorded

    make_comment(commented_page, body="Arrived later.")
    assert send_digests.call() == 0  # not a day yet since the last one
    PageFollow.objects.update(last_digest_at=follow.last_digest_at - datetime.timedelta(days=1))
    Comment.objects.update(updated=follow.last_digest_at - datetime.timedelta(hours=1))
    make_comment(commented_page, body="Newest.")
    assert send_digests.call() == 1
    [digest] = sent_to(FAN)
    assert "Newest." in digest.body and "Arrived later." in digest.body
    assert digest.subject == "2 new comments on “Ask the physio”"


def test_digest_task_can_be_queued(commented_page, django_capture_on_commit_callbacks):
    confirmed_follow(
        commented_page,
        mode=FollowMode.DAILY,
        confirmed_at=timezone.now() - datetime.timedelta(days=1),
    )
    make_comment(commented_page, body="Queued news.")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("comments_send_digests", "--enqueue", stdout=StringIO())
    assert "Queued news." in sent_to(FAN)[0].body


# Stopping ---------------------------------------------------------------------------------


def test_one_click_unfollow_stops_the_mails(commented_page, approve):
    confirmed_follow(commented_page)
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    [message] = sent_to(FAN)
    url = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")
    browser = Client(enforce_csrf_checks=True)

    asked = browser.get(url)
    assert asked.status_code == 200
    assert "Stop emails about new comments on “Ask the physio” to fan@example.com?" in (
        asked.content.decode()
    )
    assert PageFollow.objects.exists()  # a GET only asks

    done = browser.post(url, {"List-Unsubscribe": "One-Click"})  # a mail client, no CSRF token
    assert done.status_code == 200
    assert str(messages.UNFOLLOWED) in done.content.decode()
    assert not PageFollow.objects.exists()
    mail.outbox.clear()
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    assert sent_to(FAN) == []

    forged = browser.post(reverse("comments:unfollow", args=["forged"]))
    assert forged.status_code == 400
    assert str(messages.FOLLOW_LINK_INVALID) in forged.content.decode()


def test_an_opted_out_address_is_never_mailed(commented_page, follow, approve, client):
    CommentEmailAddress.objects.create(email=FAN, opted_out_at=timezone.now())
    response = follow(commented_page)
    assert response.status_code == 200
    assert str(messages.FOLLOW_ASKED) in response.content.decode()  # nothing revealed
    assert mail.outbox == [] and not PageFollow.objects.exists()


def test_never_email_me_stops_a_confirmed_follow_too(commented_page, approve, client):
    confirmed_follow(commented_page)
    daily = confirmed_follow(
        commented_page,
        email="daily@example.com",
        mode=FollowMode.DAILY,
        confirmed_at=timezone.now() - datetime.timedelta(days=1),
    )
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    [message] = sent_to(FAN)
    never = re.search(r"http://localhost(/comments/never-email/[^/\s]+/)", message.body)[1]
    assert client.post(never).status_code == 200
    CommentEmailAddress.objects.filter(email=daily.email).update(opted_out_at=timezone.now())
    mail.outbox.clear()
    approve(make_comment(commented_page, status=CommentStatus.PENDING))
    assert send_digests.call() == 0
    assert mail.outbox == []


# Personal data ----------------------------------------------------------------------------


def test_follows_are_exported_erased_and_forgotten_when_never_confirmed(commented_page):
    confirmed_follow(commented_page)
    stale = PageFollow.objects.create(
        page=commented_page,
        email="nobody@example.com",
        created=timezone.now() - datetime.timedelta(days=8),
    )
    recent = PageFollow.objects.create(page=commented_page, email="soon@example.com")

    [exported] = export_commenter("FAN@example.com")["follows"]
    assert exported["page"]["title"] == "Ask the physio" and exported["mode"] == "immediate"
    assert exported["confirmed"] is not None

    out = StringIO()
    call_command("comments_housekeeping", stdout=out)
    assert "Deleted 1 follows nobody confirmed in time." in out.getvalue()
    assert not PageFollow.objects.filter(pk=stale.pk).exists()
    assert PageFollow.objects.filter(pk=recent.pk).exists()

    erase_comments(FAN)
    assert not PageFollow.objects.filter(email=FAN).exists()
    assert export_commenter(FAN)["follows"] == []
