"""E-mails about comments: moderators hear of held ones, owners, authors and followers of
published ones; readers can always stop them in one click; nothing a reader types becomes a
header."""

import email
import email.policy
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail, signing
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from comments.models import Comment, CommentStatus, DiscussionSettings
from comments.notifications import (
    admin_url,
    comment_posted,
    comments_approved,
    make_unsubscribe_token,
)
from comments.tokens import make_preview_token
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _admin_stub(request, *args, **kwargs):
    return HttpResponse()


# Used as ROOT_URLCONF by the ``admin_links`` fixture: the admin's moderation URLs, whatever
# the admin app currently registers, so link tests do not depend on it.
urlpatterns = [
    path(
        "admin/reader-comments/",
        include(
            (
                [
                    path("<int:pk>/<str:action>/", _admin_stub, name="moderate"),
                    path("<int:pk>/edit/", _admin_stub, name="edit"),
                ],
                "reader_comments",
            )
        ),
    ),
    path("", include("config.urls")),
]


@pytest.fixture
def admin_links(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def owner(commented_page) -> User:
    user = User.objects.create_user("author", email="owner@example.com", password="x")
    Page.objects.filter(pk=commented_page.pk).update(owner=user)
    return user


def discussion_settings(**fields) -> DiscussionSettings:
    return DiscussionSettings.objects.create(site=Site.objects.get(is_default_site=True), **fields)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.recipients())


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


# Held comments: the moderators -------------------------------------------------------------


def test_held_comment_emails_moderators_with_an_address_and_the_extra_addresses(
    commented_page, post_comment, django_capture_on_commit_callbacks
):
    moderators = Group.objects.get(name="Comment moderators")
    User.objects.create_user("mod1", email="mod1@example.com").groups.add(moderators)
    User.objects.create_user("mod2", email="").groups.add(moderators)
    User.objects.create_user("gone", email="gone@example.com", is_active=False).groups.add(
        moderators
    )
    User.objects.create_user("editor", email="editor@example.com")  # not a moderator
    discussion_settings(notify_addresses="desk@example.com\nMOD1@example.com\nnot-an-address")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page)

    assert Comment.objects.get().status == CommentStatus.PENDING
    assert recipients() == ["desk@example.com", "mod1@example.com"]
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)


def test_moderation_email_says_who_where_what_and_links_to_approve_spam_and_admin(
    commented_page, post_comment, moderator, admin_links, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(
            commented_page,
            name="Jane & Co",
            website="https://jane.example/",
            body="My back <b>hurts</b> less after the exercises.",
            remote_addr="203.0.113.9",
        )

    comment = Comment.objects.get()
    [message] = mail.outbox
    assert message.to == ["mod@example.com"]
    assert commented_page.title in message.subject
    for expected in [
        "Jane & Co",  # plain text: nothing HTML-escaped
        "jane@example.com",
        "https://jane.example/",
        "203.0.113.9",
        commented_page.title,
        commented_page.get_full_url(),
        "My back <b>hurts</b> less after the exercises.",
        f"http://testserver/admin/reader-comments/{comment.pk}/approve/",
        f"http://testserver/admin/reader-comments/{comment.pk}/spam/",
        f"http://testserver/admin/reader-comments/{comment.pk}/edit/",
    ]:
        assert expected in message.body, expected
    assert "List-Unsubscribe" not in message.extra_headers  # staff, not a reader


def test_moderation_email_quotes_an_excerpt_of_a_long_comment(
    commented_page, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(
        commented_page, status=CommentStatus.PENDING, body="start " + "word " * 400 + "END"
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment_posted(comment)
    [message] = mail.outbox
    assert "start word" in message.body and "END" not in message.body


def test_moderators_off_leaves_only_the_extra_addresses(
    commented_page, post_comment, moderator, django_capture_on_commit_callbacks
):
    discussion_settings(notify_moderators=False, notify_addresses="desk@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page)
    assert recipients() == ["desk@example.com"]


def test_nothing_is_sent_before_the_comment_is_committed(
    commented_page, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_posted(comment)
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert recipients() == ["mod@example.com"]


def test_comment_moderated_before_the_task_runs_is_not_sent_to_moderators(
    commented_page, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_posted(comment)
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.SPAM)
    callbacks[0]()
    assert mail.outbox == []


def test_spam_sends_nothing(
    commented_page, post_comment, moderator, owner, django_capture_on_commit_callbacks
):
    discussion_settings(disallowed_keywords="casino")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page, body="Best casino bonus")
    assert Comment.objects.get().status == CommentStatus.SPAM
    assert mail.outbox == []


# The queue: production's backend, where a worker sends the e-mails -----------------------------


@pytest.fixture
def queue(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[tuple[str, list]]:
    return [
        (result.task_path.rsplit(".", 1)[-1], result.args_kwargs["args"])
        for result in DBTaskResult.objects.order_by("enqueued_at")
    ]


def test_a_post_queues_the_moderators_email_instead_of_sending_it(
    commented_page, post_comment, moderator, queue
):
    response = post_comment(commented_page)
    assert response.status_code == 303
    assert mail.outbox == []
    comment = Comment.objects.get()
    assert queued() == [("send_moderation_request", [comment.pk])]
    assert DBTaskResult.objects.get().status == "READY"


def test_a_comment_published_at_once_queues_the_notices(commented_page, post_comment, owner, queue):
    discussion_settings(approval_policy="approve")
    post_comment(commented_page)
    comment = Comment.objects.get(status=CommentStatus.APPROVED)
    assert queued() == [("send_approval_notices", [[comment.pk], False])]
    assert mail.outbox == []


def test_a_rolled_back_comment_leaves_nothing_in_the_queue(commented_page, moderator, queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        comment_posted(make_comment(commented_page, status=CommentStatus.PENDING))
        raise RuntimeError("the request failed after the comment was saved")
    assert queued() == [] and mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_what_posts_queued(commented_page, post_comment, moderator, queue):
    post_comment(commented_page)
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert recipients() == ["mod@example.com"]
    assert commented_page.title in mail.outbox[0].subject
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# Published comments: the page owner, the author, the thread ---------------------------------


def test_approval_tells_owner_author_and_each_earlier_follower_of_the_thread_once(
    commented_page, other_commented_page, owner, confirmed, django_capture_on_commit_callbacks
):
    confirmed(
        "root@example.com", "reply@example.com", "quiet@example.com", "held@example.com",
        "other-thread@example.com", "other-page@example.com", "new@example.com",
        "later@example.com",
    )  # fmt: skip
    root = make_comment(commented_page, email="root@example.com", notify_replies=True)
    reply = make_comment(
        commented_page, parent=root, email="reply@example.com", notify_replies=True
    )
    make_comment(commented_page, parent=reply, email="ROOT@example.com", notify_replies=True)
    make_comment(commented_page, parent=root, email="quiet@example.com")
    make_comment(
        commented_page,
        parent=root,
        email="held@example.com",
        notify_replies=True,
        status=CommentStatus.PENDING,
    )
    make_comment(commented_page, email="other-thread@example.com", notify_replies=True)
    make_comment(other_commented_page, email="other-page@example.com", notify_replies=True)
    make_comment(commented_page, parent=root, email="new@example.com", notify_replies=True)
    new = make_comment(
        commented_page,
        parent=reply,
        name="Newcomer",
        email="New@Example.com",
        notify_replies=True,
        status=CommentStatus.PENDING,
        body="Same here, thanks!",
    )
    make_comment(commented_page, parent=root, email="later@example.com", notify_replies=True)
    Comment.objects.filter(pk=new.pk).update(status=CommentStatus.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([new.pk])

    assert recipients() == [
        "New@Example.com",
        "owner@example.com",
        "reply@example.com",
        "root@example.com",
    ]
    [to_owner] = sent_to("owner@example.com")
    assert to_owner.subject == f"New comment on your page “{commented_page.title}”"
    assert "Newcomer" in to_owner.body and "Same here, thanks!" in to_owner.body
    assert f"{commented_page.get_full_url()}#comment-{new.pk}" in to_owner.body
    [to_author] = sent_to("New@Example.com")
    assert to_author.subject == f"Your comment on “{commented_page.title}” was approved"
    [to_follower] = sent_to("root@example.com")
    assert to_follower.subject == (
        f"New reply in a discussion you follow: “{commented_page.title}”"
    )
    assert "Same here, thanks!" in to_follower.body
    assert "New@Example.com" not in to_follower.body  # a reader's address is never passed on


def test_comment_published_at_once_tells_owner_and_thread_but_not_its_author(
    commented_page, post_comment, owner, moderator, confirmed, django_capture_on_commit_callbacks
):
    confirmed("root@example.com", "jane@example.com")
    discussion_settings(approval_policy="approve")
    root = make_comment(commented_page, email="root@example.com", notify_replies=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page, parent=str(root.pk), notify_replies="yes")
    assert Comment.objects.get(email="jane@example.com").status == CommentStatus.APPROVED
    assert recipients() == ["owner@example.com", "root@example.com"]


def test_owner_is_not_told_of_their_own_comment(
    commented_page, owner, django_capture_on_commit_callbacks
):
    by_account = make_comment(commented_page, user=owner, email="elsewhere@example.com")
    by_address = make_comment(commented_page, email="OWNER@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([by_account.pk, by_address.pk])
    assert mail.outbox == []


def test_owner_is_not_emailed_when_the_site_turned_it_off(
    commented_page, owner, django_capture_on_commit_callbacks
):
    discussion_settings(notify_page_owner=False)
    comment = make_comment(commented_page)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk])
    assert mail.outbox == []


def test_owner_following_the_thread_gets_one_email(
    commented_page, owner, django_capture_on_commit_callbacks
):
    root = make_comment(commented_page, email="owner@example.com", notify_replies=True)
    reply = make_comment(commented_page, parent=root)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([reply.pk])
    [message] = mail.outbox
    assert message.to == ["owner@example.com"] and "your page" in message.subject


def test_author_who_did_not_ask_is_not_told_of_approval(
    commented_page, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, notify_replies=False)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk])
    assert mail.outbox == []


def test_comment_no_longer_approved_when_the_task_runs_sends_nothing(
    commented_page, owner, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, notify_replies=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comments_approved([comment.pk])
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.TRASH)
    callbacks[0]()
    assert mail.outbox == []


# Unsubscribing ------------------------------------------------------------------------------


def headers_of(message) -> email.message.Message:
    """The message as a mail client parses it (folded headers unfolded)."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def unsubscribe_url_in(message) -> str:
    return re.search(r"http://localhost(/comments/unsubscribe/[^/\s]+/)", message.body).group(1)


def test_reader_emails_carry_a_one_click_unsubscribe_link_and_headers(
    commented_page, confirmed, django_capture_on_commit_callbacks
):
    confirmed("reader@example.com")
    comment = make_comment(commented_page, email="Reader@Example.com", notify_replies=True)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk])
    [message] = mail.outbox
    path = unsubscribe_url_in(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost{path}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = path.split("/")[-2]
    assert signing.loads(token, salt="comments.unsubscribe") == "reader@example.com"
    # Folded as a long header may be; a mail client reads the same value.
    assert headers_of(message)["List-Unsubscribe"].strip() == f"<http://localhost{path}>"


def test_unsubscribe_get_only_asks(commented_page, client):
    comment = make_comment(commented_page, email="reader@example.com", notify_replies=True)
    response = client.get(f"/comments/unsubscribe/{make_unsubscribe_token(comment.email)}/")
    assert response.status_code == 200
    assert b'method="post"' in response.content and b"Stop emails" in response.content
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    comment.refresh_from_db()
    assert comment.notify_replies is True


def test_unsubscribe_post_stops_every_comment_of_the_address_without_csrf_token(
    commented_page, other_commented_page
):
    mine = [
        make_comment(commented_page, email="Reader@Example.com", notify_replies=True),
        make_comment(other_commented_page, email="reader@example.com", notify_replies=True),
    ]
    theirs = make_comment(commented_page, email="other@example.com", notify_replies=True)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(f"/comments/unsubscribe/{make_unsubscribe_token(mine[0].email)}/")
    assert response.status_code == 200
    assert b"You will no longer receive emails about replies." in response.content
    assert not Comment.objects.filter(pk__in=[c.pk for c in mine], notify_replies=True).exists()
    theirs.refresh_from_db()
    assert theirs.notify_replies is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_unsubscribe_with_a_forged_expired_or_foreign_token_is_a_clear_400(
    commented_page, client, monkeypatch, method
):
    comment = make_comment(commented_page, email="reader@example.com", notify_replies=True)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 2 * 365 * 24 * 60 * 60)
    expired = make_unsubscribe_token(comment.email)
    monkeypatch.undo()
    valid = make_unsubscribe_token(comment.email)
    for token in [
        "not-a-token",
        valid[:-2] + "xx",
        expired,
        make_preview_token(comment.pk),  # signed, but for something else
        signing.dumps(["a list"], salt="comments.unsubscribe"),
    ]:
        response = getattr(client, method)(f"/comments/unsubscribe/{token}/")
        assert response.status_code == 400, token
        assert b"This unsubscribe link is invalid or has expired." in response.content
    comment.refresh_from_db()
    assert comment.notify_replies is True


# Header injection ---------------------------------------------------------------------------


def test_line_breaks_typed_by_a_reader_never_make_a_header(
    commented_page, moderator, owner, confirmed, django_capture_on_commit_callbacks
):
    confirmed("root@example.com", "eve@example.com")
    evil = "Eve\r\nBcc: victim@example.com"
    Page.objects.filter(pk=commented_page.pk).update(title="Back pain\r\nCc: victim@example.com")
    held = make_comment(
        commented_page, name=evil, status=CommentStatus.PENDING, website="https://e.example"
    )
    root = make_comment(commented_page, email="root@example.com", notify_replies=True)
    make_comment(
        commented_page,
        parent=root,
        email="x@example.com\r\nBcc: victim@example.com",
        notify_replies=True,
    )
    published = make_comment(
        commented_page, parent=root, name=evil, email="eve@example.com", notify_replies=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment_posted(held)
        comments_approved([published.pk])

    assert recipients() == [
        "eve@example.com",
        "mod@example.com",
        "owner@example.com",
        "root@example.com",
    ]
    for message in mail.outbox:
        parsed = headers_of(message)
        assert parsed["Bcc"] is None and parsed["Cc"] is None
        assert "victim@example.com" not in message.recipients()
        assert "\n" not in message.subject and "\r" not in message.subject
    assert "Eve Bcc: victim@example.com" in sent_to("mod@example.com")[0].body


def test_admin_links_fall_back_to_the_comment_listing_without_the_admin_views():
    assert admin_url("reader_comments:no-such-view", 1) == "http://testserver/admin/comments/"
