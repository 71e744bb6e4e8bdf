"""Spam services that learn from moderators: Akismet checks each stored comment in the
background (its HTTP calls answered by a mock transport here, never the network), its verdict
moves the comment and shows in the queue, and moderators' "Spam" and "Not spam" go back to it.
A service that cannot answer leaves the comment held, never lost, never published unchecked."""

import datetime

import httpx
import pytest
from bs4 import BeautifulSoup
from django.core import checks, mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from comments import checks as comment_checks
from comments.models import Comment, CommentStatus, SpamVerdict
from comments.spam_reports import report_to_spam_service
from comments.spam_services import configured_services
from comments.spam_verdicts import check_for_spam
from tests.conftest import THANKS
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/comments/"
IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


@pytest.fixture
def publish_at_once(settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"


@pytest.fixture
def database_queue(settings):
    """django-tasks-db's queue, as in production: tasks wait in the database (run_after)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def posted(post_comment, commented_page, django_capture_on_commit_callbacks):
    """Posts a comment, running what waits for the commit (the immediate backend's tasks)."""

    def post(**fields) -> Comment:
        with django_capture_on_commit_callbacks(execute=True):
            response = post_comment(commented_page, **fields)
        assert response.status_code == 303
        return Comment.objects.get()

    return post


def queued(task_name: str) -> list[DBTaskResult]:
    return [
        result
        for result in DBTaskResult.objects.order_by("enqueued_at")
        if result.task_path.endswith(f".{task_name}")
    ]


def moderation_requests() -> list:
    return [message for message in mail.outbox if "Please moderate" in message.subject]


def service_log(comment: Comment) -> ModelLogEntry:
    return ModelLogEntry.objects.get(object_id=str(comment.pk), action="comments.moderate")


# No key: nothing runs ---------------------------------------------------------------------


def test_without_a_key_nothing_is_asked_and_comments_go_where_the_policy_says(
    no_network, posted, publish_at_once
):
    assert configured_services() == []
    comment = posted()
    assert comment.status == CommentStatus.APPROVED
    assert comment.spam_verdict == ""
    assert no_network.requests == []


def test_a_key_without_the_site_url_asks_nothing(no_network, posted, settings, moderator):
    settings.COMMENTS_AKISMET_API_KEY = "abc123key"
    comment = posted()
    assert comment.status == CommentStatus.PENDING and comment.spam_verdict == ""
    assert no_network.requests == []
    assert len(moderation_requests()) == 1  # held as before, the moderators told at once


def test_the_packages_own_environment_variables_configure_it(no_network, posted, monkeypatch):
    monkeypatch.setenv("PYTHON_AKISMET_API_KEY", "envkey")
    monkeypatch.setenv("PYTHON_AKISMET_BLOG_URL", "https://env.example.org")
    posted()
    assert no_network.requests[0][1]["api_key"] == "envkey"
    assert no_network.requests[0][1]["blog"] == "https://env.example.org"


# Verdicts ---------------------------------------------------------------------------------


def test_ham_publishes_a_comment_the_policy_publishes_at_once(
    akismet_api, posted, publish_at_once, moderator
):
    comment = posted(body="Stretching helped my knee.")
    assert comment.status == CommentStatus.APPROVED
    assert comment.spam_verdict == SpamVerdict.HAM
    assert comment.spam_verdict_by == "Akismet"
    assert timezone.now() - comment.spam_verdict_at < datetime.timedelta(seconds=30)
    assert not comment.publish_if_ham
    [(endpoint, sent)] = akismet_api.requests
    assert endpoint == "comment-check"
    assert sent["api_key"] == "abc123key" and sent["blog"] == "https://blog.example.org"
    assert sent["user_ip"] == "127.0.0.1"
    assert sent["comment_content"] == "Stretching helped my knee."
    assert sent["comment_author"] == "Jane Reader"
    assert sent["comment_author_email"] == "jane@example.com"
    assert sent["comment_type"] == "comment"
    assert sent["permalink"].endswith("/ask-the-physio/")
    entry = service_log(comment)
    assert entry.user is None
    assert entry.data["action"] == "approve" and entry.data["service"] == "Akismet"
    assert moderation_requests() == []


def test_a_comment_is_held_while_the_check_runs(
    akismet_api, post_comment, commented_page, publish_at_once
):
    """Until the check has run (it waits for the commit), the comment is not published."""
    response = post_comment(commented_page)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.publish_if_ham
    assert comment.spam_verdict == SpamVerdict.CHECKING
    assert akismet_api.requests == []  # the reader's request made no call
    assert not Comment.objects.for_display(commented_page.pk).exists()


@pytest.mark.parametrize(
    ("policy", "told"),
    [
        ("approve", "It is being checked for spam and will be published in a moment."),
        ("hold", "A moderator reads each comment before it is published."),
    ],
)
def test_the_reader_is_told_what_happens_next(
    akismet_api, post_comment, commented_page, settings, policy, told
):
    settings.COMMENTS_APPROVAL_POLICY = policy
    page = post_comment(commented_page, follow=True)  # the check has not run yet
    status = BeautifulSoup(page.content, "html.parser").find(id="comment-status-next")
    assert status.get_text(strip=True).startswith(told)


def test_ham_leaves_a_held_comment_held_and_then_tells_the_moderators(
    akismet_api, posted, moderator
):
    comment = posted()
    assert comment.status == CommentStatus.PENDING
    assert comment.spam_verdict == SpamVerdict.HAM
    assert [message.to for message in moderation_requests()] == [["mod@example.com"]]


def test_spam_goes_to_spam_logged_as_the_service(akismet_api, posted, publish_at_once, moderator):
    akismet_api.answer("comment-check", 200, "true", {})
    comment = posted()
    assert comment.status == CommentStatus.SPAM
    assert comment.spam_verdict == SpamVerdict.SPAM
    entry = service_log(comment)
    assert entry.user is None
    assert entry.data == {
        "action": "spam",
        "from": "pending",
        "to": "spam",
        "service": "Akismet",
        "verdict": "spam",
    }
    assert "Decided by Akismet" in entry.message
    assert moderation_requests() == []
    assert akismet_api.endpoints() == ["comment-check"]  # its own verdict is not reported


def test_blatant_spam_goes_to_spam_marked_blatant(akismet_api, posted, publish_at_once):
    akismet_api.answer("comment-check", 200, "true", {"X-akismet-pro-tip": "discard"})
    comment = posted()
    assert comment.status == CommentStatus.SPAM
    assert comment.spam_verdict == SpamVerdict.BLATANT


def test_a_comment_the_keywords_spam_is_not_sent(akismet_api, posted, settings):
    settings.COMMENTS_DISALLOWED_KEYWORDS = ["casino"]
    comment = posted(body="Best casino in town")
    assert comment.status == CommentStatus.SPAM and comment.spam_verdict == ""
    assert akismet_api.requests == []


def test_a_moderator_who_decided_first_keeps_the_decision(
    akismet_api, post_comment, commented_page, moderator_client
):
    akismet_api.answer("comment-check", 200, "true", {})
    post_comment(commented_page)  # the check waits (nothing runs the commit's callbacks)
    comment = Comment.objects.get()
    url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
    assert moderator_client.post(url).status_code == 302
    assert check_for_spam.call(comment.pk, 1) == SpamVerdict.SPAM
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert comment.spam_verdict == SpamVerdict.SPAM  # shown to the moderators, not acted on


# A service that cannot answer -----------------------------------------------------------------


def test_timeout_keeps_the_comment_held_and_asks_again_later(
    akismet_api, post_comment, commented_page, publish_at_once, database_queue, settings
):
    post_comment(commented_page)
    comment = Comment.objects.get()
    [first] = queued("check_for_spam")
    assert first.args_kwargs["args"] == [comment.pk, 1]
    akismet_api.answer("comment-check", httpx.ReadTimeout("too slow"))
    before = timezone.now()
    assert check_for_spam.call(comment.pk, 1) == "retrying"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.spam_verdict == SpamVerdict.CHECKING and comment.publish_if_ham
    retry = queued("check_for_spam")[-1]
    assert retry.args_kwargs["args"] == [comment.pk, 2]
    assert retry.run_after - before >= datetime.timedelta(seconds=60)
    # The second wait is twice as long; then Akismet answers and the comment is published.
    assert check_for_spam.call(comment.pk, 2) == "retrying"
    third = queued("check_for_spam")[-1]
    assert third.args_kwargs["args"] == [comment.pk, 3]
    assert third.run_after - before >= datetime.timedelta(seconds=120)
    akismet_api.answer("comment-check", 200, "false", {})
    assert check_for_spam.call(comment.pk, 3) == SpamVerdict.HAM
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert akismet_api.endpoints() == ["comment-check"] * 3


def test_after_the_last_attempt_the_verdict_is_unknown_and_the_comment_held(
    akismet_api, post_comment, commented_page, publish_at_once, database_queue, settings
):
    settings.COMMENTS_SPAM_CHECK_ATTEMPTS = 2
    post_comment(commented_page)
    comment = Comment.objects.get()
    akismet_api.answer("comment-check", httpx.ConnectError("refused"))
    assert check_for_spam.call(comment.pk, 1) == "retrying"
    assert check_for_spam.call(comment.pk, 2) == SpamVerdict.UNKNOWN
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.spam_verdict == SpamVerdict.UNKNOWN and comment.spam_verdict_at is not None
    assert not comment.publish_if_ham
    assert len(queued("check_for_spam")) == 2  # the first and one retry, no third
    # Now the moderators decide: they are told about the held comment.
    assert [r.args_kwargs["args"] for r in queued("send_moderation_request")] == [[comment.pk]]


def test_timeout_without_a_queue_that_can_wait_leaves_it_held_as_unknown(
    akismet_api, posted, publish_at_once, moderator
):
    """The immediate backend cannot run a task later: no retry in the reader's request."""
    akismet_api.answer("comment-check", httpx.ReadTimeout("too slow"))
    comment = posted()
    assert comment.status == CommentStatus.PENDING
    assert comment.spam_verdict == SpamVerdict.UNKNOWN
    assert akismet_api.endpoints() == ["comment-check"]
    assert len(moderation_requests()) == 1


@pytest.mark.parametrize(
    "answer",
    [(500, "Internal error", {}), (200, "maybe", {}), (503, "", {})],
    ids=["server-error", "nonsense", "unavailable"],
)
def test_an_error_leaves_the_comment_held_never_published(
    akismet_api, posted, publish_at_once, answer
):
    akismet_api.answer("comment-check", *answer)
    comment = posted()
    assert comment.status == CommentStatus.PENDING
    assert comment.spam_verdict == SpamVerdict.UNKNOWN
    assert Comment.objects.count() == 1


def test_a_refused_key_is_not_asked_again(
    akismet_api, post_comment, commented_page, database_queue
):
    akismet_api.answer("comment-check", 200, "invalid", {})
    post_comment(commented_page)
    comment = Comment.objects.get()
    assert check_for_spam.call(comment.pk, 1) == SpamVerdict.UNKNOWN
    assert len(queued("check_for_spam")) == 1  # only the first
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_a_comment_without_an_ip_address_is_left_to_the_moderators(
    akismet_api, post_comment, commented_page, publish_at_once, database_queue
):
    post_comment(commented_page)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(ip_address=None)
    assert check_for_spam.call(comment.pk, 1) == SpamVerdict.UNKNOWN
    assert akismet_api.requests == []
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


# Moderators teach the service ------------------------------------------------------------------


def moderate(moderator_client, comment, action, django_capture_on_commit_callbacks):
    url = reverse("reader_comments:moderate", args=[comment.pk, action])
    with django_capture_on_commit_callbacks(execute=True):
        assert moderator_client.post(url).status_code == 302
    comment.refresh_from_db()


def test_a_moderators_spam_is_reported_as_spam(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(
        commented_page,
        body="Cheap pills here",
        ip_address="203.0.113.9",
        spam_verdict=SpamVerdict.HAM,
        spam_verdict_by="Akismet",
    )
    moderate(moderator_client, comment, "spam", django_capture_on_commit_callbacks)
    assert comment.status == CommentStatus.SPAM
    [(endpoint, sent)] = akismet_api.requests
    assert endpoint == "submit-spam"
    assert sent["comment_content"] == "Cheap pills here" and sent["user_ip"] == "203.0.113.9"


def test_not_spam_from_spam_is_reported_as_ham(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(
        commented_page, status=CommentStatus.SPAM, spam_verdict=SpamVerdict.SPAM, ip_address=IP
    )
    moderate(moderator_client, comment, "not_spam", django_capture_on_commit_callbacks)
    assert comment.status == CommentStatus.PENDING
    assert akismet_api.endpoints() == ["submit-ham"]


def test_what_the_service_already_said_is_not_reported_again(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, spam_verdict=SpamVerdict.BLATANT)
    moderate(moderator_client, comment, "spam", django_capture_on_commit_callbacks)
    assert comment.status == CommentStatus.SPAM
    assert akismet_api.requests == []


def test_bulk_spam_reports_every_comment(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comments = [
        make_comment(commented_page, status=CommentStatus.PENDING, ip_address=IP) for _ in range(3)
    ]
    url = "/admin/bulk/comments/comment/comments-spam/?" + "&".join(
        f"id={comment.pk}" for comment in comments
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, {"next": LIST_URL})
    assert response.status_code == 302
    assert Comment.objects.filter(status=CommentStatus.SPAM).count() == 3
    assert akismet_api.endpoints() == ["submit-spam"] * 3


def test_a_report_the_service_cannot_take_is_sent_again_later(
    akismet_api, commented_page, moderator_client, database_queue,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    comment = make_comment(commented_page, status=CommentStatus.PENDING, ip_address=IP)
    moderate(moderator_client, comment, "spam", django_capture_on_commit_callbacks)
    [report] = queued("report_to_spam_service")
    assert report.args_kwargs["args"] == ["comments.spam_services.Akismet", [comment.pk], True, 1]
    akismet_api.answer("submit-spam", httpx.ReadTimeout("too slow"))
    assert report_to_spam_service.call(*report.args_kwargs["args"]) == 0
    retry = queued("report_to_spam_service")[-1]
    assert retry.args_kwargs["args"] == ["comments.spam_services.Akismet", [comment.pk], True, 2]
    assert retry.run_after > timezone.now()
    akismet_api.answer("submit-spam", 200, THANKS, {})
    assert report_to_spam_service.call(*retry.args_kwargs["args"]) == 1


def test_without_a_key_moderation_reports_nothing(
    no_network, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, ip_address=IP)
    moderate(moderator_client, comment, "spam", django_capture_on_commit_callbacks)
    assert comment.status == CommentStatus.SPAM
    assert no_network.requests == []


def test_a_comment_whose_ip_was_forgotten_is_not_reported(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    """Akismet requires the IP address; housekeeping clears it after 90 days."""
    comment = make_comment(commented_page, ip_address=None)
    moderate(moderator_client, comment, "spam", django_capture_on_commit_callbacks)
    assert comment.status == CommentStatus.SPAM
    assert akismet_api.requests == []


# Shown to moderators ---------------------------------------------------------------------------


def verdict_badges(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [badge.get_text(strip=True) for badge in soup.select(".comment-spam-verdict")]


def test_the_queue_shows_each_verdict_with_its_time(akismet_api, commented_page, moderator_client):
    at = timezone.localtime().replace(hour=14, minute=2, second=0)
    make_comment(
        commented_page,
        status=CommentStatus.PENDING,
        spam_verdict=SpamVerdict.UNKNOWN,
        spam_verdict_by="Akismet",
        spam_verdict_at=at,
    )
    make_comment(commented_page, spam_verdict=SpamVerdict.HAM, spam_verdict_by="Akismet",
                 spam_verdict_at=at - datetime.timedelta(days=400))  # fmt: skip
    make_comment(
        commented_page,
        status=CommentStatus.PENDING,
        spam_verdict=SpamVerdict.CHECKING,
        spam_verdict_by="Akismet",
    )
    make_comment(commented_page, status=CommentStatus.PENDING)  # never checked: no badge
    response = moderator_client.get(LIST_URL)
    assert response.status_code == 200
    old = timezone.localtime(at - datetime.timedelta(days=400))
    assert sorted(verdict_badges(response)) == sorted(
        [
            "Akismet: unknown, 14:02",
            f"Akismet: not spam, {old.day} {old:%b %Y}, 14:02",
            "Akismet: checking",
        ]
    )
    spam = make_comment(
        commented_page,
        status=CommentStatus.SPAM,
        spam_verdict=SpamVerdict.SPAM,
        spam_verdict_by="Akismet",
        spam_verdict_at=at,
    )
    spam_tab = moderator_client.get(LIST_URL, {"status": "spam"})
    assert verdict_badges(spam_tab) == ["Akismet: spam, 14:02"]
    screen = moderator_client.get(reverse("reader_comments:edit", args=[spam.pk]))
    assert verdict_badges(screen) == ["Akismet: spam, 14:02"]
    assert "Spam check" in screen.content.decode()


def test_the_history_says_the_service_decided(
    akismet_api, posted, publish_at_once, moderator_client
):
    akismet_api.answer("comment-check", 200, "true", {})
    comment = posted()
    history = moderator_client.get(reverse("reader_comments:history", args=[comment.pk]))
    assert "Decided by Akismet" in history.content.decode()


# Configuration checks --------------------------------------------------------------------------


def test_a_key_without_the_package_is_warned_about(settings, monkeypatch, no_network):
    settings.COMMENTS_AKISMET_API_KEY = "abc123key"
    settings.COMMENTS_AKISMET_BLOG_URL = "https://blog.example.org"
    assert comment_checks.check_akismet(None) == []
    monkeypatch.setattr(comment_checks, "akismet", None)
    [warning] = comment_checks.check_akismet(None)
    assert warning.id == "comments.W002" and warning.level == checks.WARNING
    assert "pip install akismet" in warning.hint


def test_a_key_without_the_site_url_is_warned_about(settings, no_network):
    settings.COMMENTS_AKISMET_API_KEY = "abc123key"
    [warning] = comment_checks.check_akismet(None)
    assert warning.id == "comments.W003"
    settings.COMMENTS_AKISMET_BLOG_URL = "blog.example.org"
    [warning] = comment_checks.check_akismet(None)
    assert warning.id == "comments.W003" and "'blog.example.org'" in warning.msg


def test_no_key_no_warning(no_network):
    assert comment_checks.check_akismet(None) == []


def test_a_spam_service_behind_the_immediate_backend_is_warned_about(akismet_api, settings):
    [warning] = comment_checks.check_spam_service_queue(None)
    assert warning.id == "comments.W004" and "db_worker" in warning.hint
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert comment_checks.check_spam_service_queue(None) == []


def test_no_queue_warning_without_a_service(no_network):
    assert comment_checks.check_spam_service_queue(None) == []


def test_a_status_changed_on_the_comments_screen_is_reported_as_the_action_would_be(
    akismet_api, commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(
        commented_page, body="Cheap pills here", ip_address=IP, spam_verdict=SpamVerdict.HAM
    )
    url = reverse("reader_comments:edit", args=[comment.pk])
    form = {"name": comment.name, "email": comment.email, "website": "", "body": "Cheap pills!"}
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, {**form, "status": "spam"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM and "Cheap pills!" in comment.body_html
    assert akismet_api.endpoints() == ["submit-spam"]
    moves = ModelLogEntry.objects.for_instance(comment).filter(action="comments.moderate")
    assert [entry.data["action"] for entry in moves] == ["spam"]  # in the comment's history
