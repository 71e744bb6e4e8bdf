"""No mail to an address nobody confirmed, and trust that typing an address cannot earn:
the confirmation e-mail and its links, its rate limits, "never e-mail me again", and the
approval policies of verified commenters."""

import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from comments.addresses import VERIFIED_COOKIE, make_confirm_token, make_never_email_token
from comments.models import (
    Comment,
    CommentEmailAddress,
    CommentStatus,
    DiscussionSettings,
    SpamVerdict,
)
from comments.moderation import ACTIONS, apply_action
from comments.notifications import comments_approved
from comments.privacy import erase_comments, forget_network_details
from comments.signals import comments_changed
from comments.spam_verdicts import check_for_spam
from comments.tokens import make_form_stamp
from tests.factories import confirmed_address, make_comment

pytestmark = pytest.mark.django_db

CONFIRM_SUBJECT = "Please confirm your email address for comments on “Ask the physio”"


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def discussion(**fields) -> DiscussionSettings:
    site = Site.objects.get(is_default_site=True)
    row, _ = DiscussionSettings.objects.update_or_create(site=site, defaults=fields)
    return row


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def confirmations() -> list:
    return [message for message in mail.outbox if message.subject.startswith("Please confirm")]


def confirm_path_in(message) -> str:
    return re.search(r"http://localhost(/comments/confirm/[^/\s]+/)", message.body).group(1)


def never_path_in(message) -> str:
    return re.search(r"http://localhost(/comments/never-email/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def post(post_comment, django_capture_on_commit_callbacks):
    """A comment POST whose e-mails are sent (the immediate task backend, after commit)."""

    def send(page, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return post_comment(page, **fields)

    return send


# Point 4: nothing but the confirmation reaches an unconfirmed address ------------------------


def test_unconfirmed_address_gets_only_the_confirmation_mail_not_notifications(
    commented_page, post, moderator, django_capture_on_commit_callbacks
):
    root = make_comment(commented_page, email="victim@example.com", notify_replies=True)
    post(commented_page, email="victim@example.com", notify_replies="yes", parent=str(root.pk))
    comment = Comment.objects.get(parent=root)
    assert [m.subject for m in sent_to("victim@example.com")] == [CONFIRM_SUBJECT]

    mail.outbox.clear()
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    reply = make_comment(commented_page, parent=comment, email="someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk, reply.pk])
    # Neither "your comment was approved" nor "new reply" to the address nobody confirmed.
    assert sent_to("victim@example.com") == []


def test_confirmation_mail_says_who_asked_where_and_when_but_never_the_ip(
    commented_page, post, settings
):
    settings.TIME_ZONE = "UTC"
    post(
        commented_page,
        name="Jane & Co",
        notify_replies="yes",
        remote_addr="203.0.113.9",
    )
    comment = Comment.objects.get()
    [message] = confirmations()
    assert message.to == ["jane@example.com"]
    assert message.subject == CONFIRM_SUBJECT
    assert "Jane & Co" in message.body and "Ask the physio" in message.body
    assert comment.created.strftime("%Y-%m-%d %H:%M") in message.body
    assert "203.0.113.9" not in message.body and "203.0.113.9" not in str(message.message())
    assert "Confirming lets this site send you the emails you asked for" in message.body
    never = never_path_in(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://localhost{never}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_confirm_link_get_only_asks_and_post_confirms_then_mails_flow(
    commented_page, post, client, django_capture_on_commit_callbacks
):
    post(commented_page, notify_replies="yes")
    comment = Comment.objects.get()
    path = confirm_path_in(confirmations()[0])

    asked = client.get(path)  # what a mail scanner's prefetch does
    assert asked.status_code == 200
    assert b'method="post"' in asked.content and b"Confirm my address" in asked.content
    assert "jane@example.com" in asked.content.decode()
    assert not CommentEmailAddress.objects.filter(confirmed_at__isnull=False).exists()

    done = client.post(path)
    assert done.status_code == 200
    assert "Thank you: your email address is confirmed." in done.content.decode()
    assert VERIFIED_COOKIE in done.cookies
    assert CommentEmailAddress.objects.get(email="jane@example.com").is_confirmed
    comment.refresh_from_db()
    assert comment.address_verified is True

    mail.outbox.clear()
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk])
    [approved] = sent_to("jane@example.com")
    assert approved.subject == "Your comment on “Ask the physio” was approved"


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_and_expired_confirm_links_are_refused_with_a_message(
    commented_page, client, monkeypatch, method
):
    comment = make_comment(commented_page, email="jane@example.com", notify_replies=True)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 8 * 24 * 60 * 60)
    expired = make_confirm_token(comment.email, comment.pk)
    monkeypatch.undo()
    valid = make_confirm_token(comment.email, comment.pk)
    forged = [
        "not-a-token",
        valid[:-2] + ("xx" if not valid.endswith("xx") else "yy"),
        make_never_email_token(comment.email),  # signed, but for something else
        signing.TimestampSigner(salt="comments.confirm-address").sign_object(["a list"]),
    ]
    for token in forged:
        response = getattr(client, method)(f"/comments/confirm/{token}/")
        assert response.status_code == 400, token
        assert "This confirmation link is invalid." in response.content.decode()
    response = getattr(client, method)(f"/comments/confirm/{expired}/")
    assert response.status_code == 400
    assert "This confirmation link has expired." in response.content.decode()
    assert not CommentEmailAddress.objects.filter(confirmed_at__isnull=False).exists()


# Never e-mail me again -------------------------------------------------------------------------


def test_never_email_link_opts_out_in_one_click_and_nothing_is_mailed_again(
    commented_page, post, client, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_CONFIRM_RESEND_SECONDS = 0
    post(commented_page, notify_replies="yes")
    path = never_path_in(confirmations()[0])
    assert client.get(path).status_code == 200  # only asks
    assert not CommentEmailAddress.objects.get(email="jane@example.com").opted_out

    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: the mail client POSTs
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "will not receive any more emails" in response.content.decode()
    assert CommentEmailAddress.objects.get(email="jane@example.com").opted_out

    mail.outbox.clear()
    post(commented_page, notify_replies="yes", body="Again, please mail me.")
    assert sent_to("jane@example.com") == []  # no second confirmation
    comment = Comment.objects.get(body="Again, please mail me.")
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([comment.pk])
    assert sent_to("jane@example.com") == []


def test_opted_out_confirmed_address_gets_no_notifications(
    commented_page, django_capture_on_commit_callbacks
):
    confirmed_address("follower@example.com")
    root = make_comment(commented_page, email="follower@example.com", notify_replies=True)
    Client().post(f"/comments/never-email/{make_never_email_token('Follower@Example.com')}/")
    reply = make_comment(commented_page, parent=root)
    with django_capture_on_commit_callbacks(execute=True):
        comments_approved([reply.pk])
    assert sent_to("follower@example.com") == []


def test_forged_never_email_link_is_a_clear_400(client):
    response = client.post("/comments/never-email/forged/")
    assert response.status_code == 400
    assert "This link is invalid or has expired." in response.content.decode()


# Rate limits -----------------------------------------------------------------------------------


def test_one_confirmation_mail_per_address_until_the_resend_delay_passed(commented_page, post):
    post(commented_page, notify_replies="yes", body="One.")
    post(commented_page, notify_replies="yes", body="Two.", email="JANE@example.com")
    assert len(confirmations()) == 1

    CommentEmailAddress.objects.update(confirmation_sent_at="2020-01-01T00:00:00Z")
    post(commented_page, notify_replies="yes", body="Three.")
    assert len(confirmations()) == 2


def test_confirmation_mails_per_ip_are_limited(commented_page, post, settings):
    settings.COMMENTS_CONFIRM_RATE_LIMIT = 2
    settings.COMMENTS_RATE_LIMIT = 100
    for number in range(3):
        post(
            commented_page,
            notify_replies="yes",
            email=f"person{number}@example.com",
            body=f"Comment {number}.",
            remote_addr="198.51.100.7",
        )
    assert sorted(m.to[0] for m in confirmations()) == [
        "person0@example.com",
        "person1@example.com",
    ]
    assert Comment.objects.count() == 3  # the comments themselves are taken
    post(commented_page, notify_replies="yes", email="other@example.com", remote_addr="192.0.2.1")
    assert confirmations()[-1].to == ["other@example.com"]


def test_no_mail_at_all_when_nobody_asked_for_one(commented_page, post):
    post(commented_page)
    assert confirmations() == []
    assert not CommentEmailAddress.objects.exists()


def test_spam_never_triggers_a_confirmation_mail(commented_page, post):
    discussion(disallowed_keywords="casino", email_confirmation="always")
    post(commented_page, notify_replies="yes", body="Best casino bonus")
    assert Comment.objects.get().status == CommentStatus.SPAM
    assert mail.outbox == []


# Point 3: verified commenters and the policies that trust them -------------------------------


def confirm_in(browser: Client, comment: Comment) -> None:
    """The comment's author opens the mailed link in this browser and confirms."""
    response = browser.post(f"/comments/confirm/{make_confirm_token(comment.email, comment.pk)}/")
    assert response.status_code == 200


def test_publish_verified_commenters_at_once(commented_page, post_comment, client):
    discussion(approval_policy="verified")
    post_comment(commented_page, body="Before confirming.")
    first = Comment.objects.get()
    assert first.status == CommentStatus.PENDING and not first.address_verified

    confirm_in(client, first)
    post_comment(commented_page, body="Confirmed now.")
    assert Comment.objects.get(body="Confirmed now.").status == CommentStatus.APPROVED


def test_a_browser_that_posted_the_confirmed_comment_is_verified_without_the_cookie(
    commented_page, post_comment, client
):
    discussion(approval_policy="verified")
    post_comment(commented_page, body="From the laptop.")
    confirm_in(Client(), Comment.objects.get())  # confirmed on the phone
    assert VERIFIED_COOKIE not in client.cookies
    response = post_comment(commented_page, body="Laptop again.")
    assert Comment.objects.get(body="Laptop again.").status == CommentStatus.APPROVED
    assert response.cookies[VERIFIED_COOKIE]["path"] == "/comments/"  # kept from now on


def test_same_email_typed_in_another_browser_gets_no_trust(commented_page, post_comment, client):
    discussion(approval_policy="verified")
    post_comment(commented_page, body="The real Jane.")
    confirm_in(client, Comment.objects.get())
    assert CommentEmailAddress.objects.get(email="jane@example.com").is_confirmed

    impostor = Client()
    impostor.post(
        f"/comments/post/{commented_page.pk}/",
        {
            "name": "Jane Reader",
            "email": "jane@example.com",
            "body": "Buy my pills.",
            "stamp": make_form_stamp(commented_page.pk, now=time.time() - 10),
        },
        REMOTE_ADDR="192.0.2.66",
    )
    impostor_comment = Comment.objects.get(body="Buy my pills.")
    assert impostor_comment.status == CommentStatus.PENDING
    assert impostor_comment.address_verified is False


def test_hold_until_n_approved_comments_from_a_verified_address(
    commented_page, post_comment, client
):
    discussion(approval_policy="verified_approved", trusted_after_approved=2)
    # Approved comments typed with the address but never proved count for nothing.
    make_comment(commented_page, email="jane@example.com")
    make_comment(commented_page, email="jane@example.com")
    post_comment(commented_page, body="One.")
    confirm_in(client, Comment.objects.get(body="One."))
    post_comment(commented_page, body="Two.")
    assert Comment.objects.get(body="Two.").status == CommentStatus.PENDING
    Comment.objects.filter(body__in=["One.", "Two."]).update(status=CommentStatus.APPROVED)
    post_comment(commented_page, body="Three.")
    assert Comment.objects.get(body="Three.").status == CommentStatus.APPROVED


def test_hold_until_n_approved_is_held_after_only_one_verified_approval(
    commented_page, post_comment, client
):
    discussion(approval_policy="verified_approved", trusted_after_approved=1)
    post_comment(commented_page, body="One.")
    confirm_in(client, Comment.objects.get(body="One."))
    post_comment(commented_page, body="Held: One. is not approved yet.")
    assert Comment.objects.get(body__startswith="Held").status == CommentStatus.PENDING
    Comment.objects.filter(body="One.").update(status=CommentStatus.APPROVED)
    post_comment(commented_page, body="Trusted.")
    assert Comment.objects.get(body="Trusted.").status == CommentStatus.APPROVED


def test_links_and_moderation_keywords_still_hold_a_verified_commenter(
    commented_page, post_comment, client
):
    discussion(approval_policy="verified", max_links=1, moderation_keywords="pills")
    post_comment(commented_page, body="First.")
    confirm_in(client, Comment.objects.get())
    links = 'See <a href="https://a.example/">a</a> and <a href="https://b.example/">b</a>.'
    post_comment(commented_page, body=links)
    post_comment(commented_page, body="Cheap pills here.")
    post_comment(commented_page, body="Plain words.")
    assert Comment.objects.get(body=links).status == CommentStatus.PENDING
    assert Comment.objects.get(body="Cheap pills here.").status == CommentStatus.PENDING
    assert Comment.objects.get(body="Plain words.").status == CommentStatus.APPROVED


# email_confirmation: first comment only, and always -------------------------------------------


def test_first_comment_mode_asks_but_does_not_hold(commented_page, post, client, moderator):
    discussion(approval_policy="approve", email_confirmation="first")
    post(commented_page, body="First.")
    assert Comment.objects.get().status == CommentStatus.APPROVED
    [message] = confirmations()
    client.post(confirm_path_in(message))
    post(commented_page, body="Second.")
    assert len(confirmations()) == 1  # a confirmed address is not asked again


def test_always_holds_a_comment_until_its_address_is_confirmed_then_publishes_it(
    commented_page, post, client, moderator, django_capture_on_commit_callbacks
):
    discussion(approval_policy="approve", email_confirmation="always")
    response = post(commented_page, body="Waiting for my address.")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.awaiting_confirmation
    assert [m.to for m in mail.outbox] == [["jane@example.com"]]  # not the moderators yet
    preview = client.get(response["Location"]).content.decode()
    assert "once you confirm your address" in preview
    assert "Waiting for my address." not in Client().get(commented_page.url).content.decode()

    changes = []
    comments_changed.connect(lambda **kw: changes.append(kw), weak=False, dispatch_uid="t-conf")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(confirm_path_in(mail.outbox[0]))
    finally:
        comments_changed.disconnect(dispatch_uid="t-conf")
    assert "Your comment is published." in done.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED and not comment.awaiting_confirmation
    assert changes and changes[0]["approved_ids"] == [comment.pk]
    assert "Waiting for my address." in Client().get(commented_page.url).content.decode()


def test_always_then_hold_policy_emails_the_moderators_once_confirmed(
    commented_page, post, client, moderator, django_capture_on_commit_callbacks
):
    discussion(approval_policy="hold", email_confirmation="always")
    post(commented_page)
    assert sent_to("mod@example.com") == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path_in(confirmations()[0]))
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and not comment.awaiting_confirmation
    [to_moderator] = sent_to("mod@example.com")
    assert to_moderator.subject == "Please moderate: “Ask the physio”"


def test_a_moderators_move_ends_the_wait_and_a_late_confirmation_does_not_undo_it(
    commented_page, post, client, moderator
):
    discussion(approval_policy="approve", email_confirmation="always")
    post(commented_page)
    comment = Comment.objects.get()
    apply_action(ACTIONS["approve"], [comment.pk], moderator)
    apply_action(ACTIONS["unapprove"], [comment.pk], moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and not comment.awaiting_confirmation
    client.post(confirm_path_in(confirmations()[0]))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING  # the moderator unapproved it
    assert comment.address_verified


def test_always_holds_for_the_moderators_what_it_cannot_ask_about(
    commented_page, post, moderator, settings
):
    """An address that opted out is never asked again, one asked recently not before the
    resend delay: their comments are held for the moderators, as ordinary held comments."""
    discussion(approval_policy="approve", email_confirmation="always")
    CommentEmailAddress.objects.create(email="out@example.com", opted_out_at="2026-01-01T00:00Z")
    post(commented_page, email="out@example.com", body="Opted out.")
    post(commented_page, body="First.")
    post(commented_page, body="Second, within the resend delay.")
    held = {c.body: c for c in Comment.objects.all()}
    assert all(comment.status == CommentStatus.PENDING for comment in held.values())
    assert not held["Opted out."].awaiting_confirmation
    assert held["First."].awaiting_confirmation
    assert not held["Second, within the resend delay."].awaiting_confirmation
    assert sent_to("out@example.com") == []
    assert len(sent_to("jane@example.com")) == 1
    assert len(sent_to("mod@example.com")) == 2  # the two it could not ask about


def test_logged_in_accounts_are_not_held_for_their_address(
    commented_page, client, moderator, django_capture_on_commit_callbacks
):
    discussion(approval_policy="approve", email_confirmation="always")
    user = User.objects.create_user("reader", email="r@example.com", password="pw")
    user.groups.add(Group.objects.get_or_create(name="Readers")[0])
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/comments/post/{commented_page.pk}/",
            {
                "name": "Reader",
                "email": "r@example.com",
                "body": "Logged in.",
                "stamp": make_form_stamp(commented_page.pk, now=time.time() - 10),
            },
        )
    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert confirmations() == []


def test_housekeeping_forgets_the_ip_that_asked_for_a_confirmation(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    old = confirmed_address("old@example.com", confirmation_ip="198.51.100.1")
    recent = confirmed_address("new@example.com", confirmation_ip="198.51.100.2")
    CommentEmailAddress.objects.filter(pk=old.pk).update(confirmation_sent_at="2020-01-01T00:00Z")
    CommentEmailAddress.objects.filter(pk=recent.pk).update(confirmation_sent_at=timezone.now())
    forget_network_details()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.confirmation_ip is None and recent.confirmation_ip == "198.51.100.2"


def test_erasing_a_commenters_data_forgets_their_address(commented_page):
    confirmed_address("jane@example.com")
    make_comment(commented_page, email="Jane@example.com")
    erase_comments("jane@example.com")
    assert not CommentEmailAddress.objects.exists()


def test_asking_for_a_confirmation_adds_a_few_queries_to_the_post(
    commented_page, post_comment, client, settings, django_assert_max_num_queries
):
    # Production's queue (as test_reader_flow's count): e-mails are an INSERT each.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.get(commented_page.url)
    # The post's 14, then the address's row (looked up, then created in a savepoint: 4),
    # the IP's confirmation count, the claim (one UPDATE) and the confirmation e-mail's task.
    with django_assert_max_num_queries(21):
        assert post_comment(commented_page, notify_replies="yes").status_code == 303
    assert CommentEmailAddress.objects.get().confirmation_sent_at is not None
    # Asked within the resend delay: the post's 14 and the address's row only.
    with django_assert_max_num_queries(15):
        post_comment(commented_page, notify_replies="yes", body="Again.")


def test_the_discussion_screen_offers_the_confirmation_setting_and_the_threshold(
    commented_page, admin_client
):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/comments/discussionsettings/{site.pk}/")
    html = response.content.decode()
    choices = re.findall(r'name="email_confirmation"[^>]*value="(\w+)"', html) or re.findall(
        r'value="(\w+)"[^>]*name="email_confirmation"', html
    )
    assert set(choices) == {"off", "first", "always"}
    assert 'name="trusted_after_approved"' in html
    assert "ask guests to confirm their email address" in html.lower()
    options = discussion(email_confirmation="first", trusted_after_approved=3).as_options()
    assert (options.email_confirmation, options.trusted_after_approved) == ("first", 3)


def test_the_comment_screen_tells_the_moderator_about_the_address(commented_page, moderator_client):
    waiting = make_comment(commented_page, status=CommentStatus.PENDING, awaiting_confirmation=True)
    verified = make_comment(commented_page, address_verified=True)
    typed = make_comment(commented_page)
    screens = {
        comment: moderator_client.get(reverse("reader_comments:edit", args=[comment.pk]))
        for comment in (waiting, verified, typed)
    }
    assert all(response.status_code == 200 for response in screens.values())
    assert "Waiting for its author to confirm this address" in screens[waiting].content.decode()
    assert "a verified commenter." in screens[verified].content.decode()
    assert "comment-details__address" not in screens[typed].content.decode()


# With a spam service: the verdict and the confirmation each wait for the other -------------


def test_a_not_spam_verdict_does_not_publish_a_comment_still_waiting_for_its_address(
    akismet_api, commented_page, post, client, django_capture_on_commit_callbacks
):
    discussion(approval_policy="approve", email_confirmation="always")
    post(commented_page, body="Checked, then confirmed.")  # the check runs at commit: ham
    comment = Comment.objects.get()
    assert comment.spam_verdict == SpamVerdict.HAM
    assert comment.status == CommentStatus.PENDING and comment.awaiting_confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path_in(confirmations()[0]))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


def test_confirming_while_the_spam_check_waits_leaves_publishing_to_its_verdict(
    akismet_api, commented_page, post_comment, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # check waits
    discussion(approval_policy="approve", email_confirmation="always")
    post_comment(commented_page, body="Confirmed before the check.")
    comment = Comment.objects.get()
    token = make_confirm_token("jane@example.com", comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:confirm_address", args=[token]))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING  # never published unchecked
    assert comment.spam_verdict == SpamVerdict.CHECKING and comment.publish_if_ham
    with django_capture_on_commit_callbacks(execute=True):
        check_for_spam.call(comment.pk)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
