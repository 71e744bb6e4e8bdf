"""Webhooks: signed JSON POSTs about comments to the endpoints a site configured, sent by a
background worker, retried with backoff, logged; never slowing a reader's POST.

A real HTTP receiver listens on loopback (``http.server`` in a thread); the queue is
production's (django-tasks-db), and ``run_deliveries`` does what its worker does.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from comments.models import Comment, CommentStatus, WebhookDelivery, WebhookEndpoint
from comments.moderation import ACTIONS, apply_action
from comments.signals import comment_reported
from comments.webhook_delivery import deliver_webhook, verify_signature
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

ALL_EVENTS = [
    "comment.posted",
    "comment.held",
    "comment.approved",
    "comment.spam",
    "comment.deleted",
    "comment.reported",
]


# A receiver on loopback -----------------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: str

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event | None = None  # when set, each request waits for it first

    def events(self) -> list[str]:
        return [request.payload["event"] for request in self.requests]


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        receiver.requests.append(Received(dict(self.headers), body))
        receiver.arrived.set()
        if receiver.release is not None:
            receiver.release.wait(30)
        status = receiver.statuses.pop(0) if receiver.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def receiver():
    server = _serve()
    yield server.receiver
    if server.receiver.release is not None:
        server.receiver.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def second_receiver():
    server = _serve()
    yield server.receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def refused_url() -> str:
    """A loopback port nobody listens on: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


# The queue and its worker ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def queue(settings) -> None:
    """Production's queue: deliveries wait for a worker (``run_deliveries``)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_deliveries() -> list[DBTaskResult]:
    """Webhook deliveries waiting for the worker (e-mails wait beside them)."""
    return list(
        DBTaskResult.objects.filter(status="READY", task_path=deliver_webhook.module_path).order_by(
            "enqueued_at", "pk"
        )
    )


def run_deliveries() -> int:
    """What the worker does with each queued delivery, due or not (the test is the clock)."""
    ran = 0
    for result in queued_deliveries():
        result.delete()
        deliver_webhook.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        ran += 1
    return ran


def endpoint_for(url: str, events=ALL_EVENTS, site=None, **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        site=site or Site.objects.get(is_default_site=True),
        name=fields.pop("name", "Receiver"),
        url=url,
        events=list(events),
        **fields,
    )


@pytest.fixture
def posted(commented_page, post_comment, django_capture_on_commit_callbacks):
    """POSTs a reader's comment (held for moderation) and runs its after-commit work."""

    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_comment(commented_page, **overrides)
        assert response.status_code == 303
        return Comment.objects.latest("pk")

    return post


# A reader's POST never waits --------------------------------------------------------------------


def test_a_reader_post_returns_while_the_receiver_hangs(posted, receiver, settings):
    settings.COMMENTS_WEBHOOK_TIMEOUT = 2
    receiver.release = threading.Event()  # the receiver answers nothing until the test says
    endpoint_for(receiver.url, ["comment.posted"])

    comment = posted()

    # The POST has returned: nothing was sent (or timed out) inside it, one delivery waits.
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    assert len(queued_deliveries()) == 1
    receiver.release.set()
    run_deliveries()
    assert receiver.events() == ["comment.posted"]
    assert receiver.requests[0].payload["comment"]["id"] == comment.pk
    assert WebhookDelivery.objects.get().status_code == 200


def test_a_receiver_slower_than_the_timeout_is_logged_and_retried(
    commented_page, receiver, settings
):
    settings.COMMENTS_WEBHOOK_TIMEOUT = 0.5
    receiver.release = threading.Event()
    endpoint_for(receiver.url, ["comment.reported"])
    comment_reported.send(sender=Comment, comment=make_comment(commented_page), reason="")

    started = time.monotonic()
    run_deliveries()

    assert time.monotonic() - started < 10  # the worker moved on; the receiver still hangs
    delivery = WebhookDelivery.objects.get()
    assert delivery.status_code is None
    assert "timed out" in delivery.error.lower()
    assert [r.args_kwargs["args"][-1] for r in queued_deliveries()] == [2]


# Signed, with an event id -----------------------------------------------------------------------


def test_the_signature_verifies_with_the_endpoints_secret_only(posted, receiver):
    endpoint = endpoint_for(receiver.url, ["comment.posted"])
    posted()
    run_deliveries()

    request = receiver.requests[0]
    signature = request.headers["Comments-Signature"]
    assert signature.startswith("t=") and ",v1=" in signature
    assert abs(int(signature.split(",")[0][2:]) - time.time()) < 60
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert verify_signature(endpoint.secret, request.body, signature)
    assert not verify_signature("whsec_not-the-secret", request.body, signature)
    assert not verify_signature(endpoint.secret, request.body.replace("Jane", "John"), signature)
    # A request replayed later than the tolerance is refused too.
    assert not verify_signature(endpoint.secret, request.body, signature, now=time.time() + 3600)
    assert request.headers["Comments-Event"] == "comment.posted"
    assert request.headers["Comments-Event-Id"] == request.payload["id"]
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"


def test_each_endpoint_gets_its_own_signature(posted, receiver, second_receiver):
    first = endpoint_for(receiver.url, ["comment.posted"])
    second = endpoint_for(second_receiver.url, ["comment.posted"])
    posted()
    run_deliveries()

    mine, theirs = receiver.requests[0], second_receiver.requests[0]
    assert verify_signature(first.secret, mine.body, mine.headers["Comments-Signature"])
    assert not verify_signature(first.secret, theirs.body, theirs.headers["Comments-Signature"])
    assert verify_signature(second.secret, theirs.body, theirs.headers["Comments-Signature"])
    # The same event: one id for both endpoints.
    assert mine.payload["id"] == theirs.payload["id"]


# What is sent, and to whom -----------------------------------------------------------------------


def test_the_payload_describes_the_comment_without_email_ip_or_user_agent(
    posted, receiver, commented_page
):
    endpoint_for(receiver.url, ["comment.posted"])
    comment = posted(website="https://jane.example.org", headers={"User-Agent": "JanesBrowser/1.0"})
    run_deliveries()

    payload = receiver.requests[0].payload
    assert payload["event"] == "comment.posted"
    assert datetime.datetime.fromisoformat(payload["occurred_at"]) <= timezone.now()
    assert payload["comment"] == {
        "id": comment.pk,
        "page_id": commented_page.pk,
        "page_url": commented_page.full_url,
        "parent_id": None,
        "author_name": "Jane Reader",
        "author_website": "https://jane.example.org",
        "status": "pending",
        "html": comment.body_html,
        "created": comment.created.isoformat(),
    }
    body = receiver.requests[0].body
    assert "jane@example.com" not in body
    assert "127.0.0.1" not in body.replace(receiver.url, "")
    assert "JanesBrowser" not in body


def test_only_a_trusted_endpoint_receives_the_authors_email(posted, receiver, second_receiver):
    endpoint_for(receiver.url, ["comment.posted"], trusted=True)
    endpoint_for(second_receiver.url, ["comment.posted"], trusted=False)
    posted()
    run_deliveries()

    assert receiver.requests[0].payload["comment"]["author_email"] == "jane@example.com"
    assert "author_email" not in second_receiver.requests[0].payload["comment"]
    assert "jane@example.com" not in second_receiver.requests[0].body


def test_each_endpoint_gets_only_the_events_it_asked_for(
    posted, receiver, second_receiver, moderator
):
    endpoint_for(receiver.url, ["comment.approved"])
    endpoint_for(second_receiver.url, ["comment.posted", "comment.held"])

    comment = posted()
    run_deliveries()
    assert receiver.events() == []
    assert second_receiver.events() == ["comment.posted", "comment.held"]

    apply_action(ACTIONS["approve"], [comment.pk], moderator)
    run_deliveries()
    assert receiver.events() == ["comment.approved"]
    assert receiver.requests[0].payload["comment"]["status"] == "approved"
    assert second_receiver.events() == ["comment.posted", "comment.held"]


def test_spam_and_deletion_are_sent_with_the_comment_as_it_was(commented_page, receiver, moderator):
    endpoint_for(receiver.url, ["comment.spam", "comment.deleted"])
    comment = make_comment(commented_page, body="Buy now")

    apply_action(ACTIONS["spam"], [comment.pk], moderator)
    apply_action(ACTIONS["delete"], [comment.pk], moderator)
    run_deliveries()

    assert receiver.events() == ["comment.spam", "comment.deleted"]
    spam, deleted = (request.payload["comment"] for request in receiver.requests)
    assert spam["status"] == "spam"
    assert deleted["status"] == "deleted"
    assert deleted["id"] == comment.pk and "Buy now" in deleted["html"]
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_an_author_deleting_their_comment_is_sent_as_deleted(posted, receiver, client):
    endpoint_for(receiver.url, ["comment.deleted"])
    comment = posted(body="I take it back")

    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 303
    run_deliveries()

    assert receiver.events() == ["comment.deleted"]
    sent = receiver.requests[0].payload["comment"]
    assert (sent["id"], sent["status"]) == (comment.pk, "deleted")
    assert "I take it back" in sent["html"]
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_published_at_once_is_sent_as_posted_and_approved(posted, receiver, settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    endpoint_for(receiver.url)
    posted()
    run_deliveries()
    assert receiver.events() == ["comment.posted", "comment.approved"]


def test_a_moderators_reply_is_sent_as_approved_after_its_parent(
    commented_page, receiver, moderator_client, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url, ["comment.approved"], trusted=True)
    parent = make_comment(commented_page, status=CommentStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("reader_comments:reply", args=[parent.pk]), {"body": "Thanks for asking!"}
        )
    assert response.status_code == 302
    run_deliveries()

    reply = Comment.objects.get(parent=parent)
    sent = [request.payload["comment"] for request in receiver.requests]
    assert [(comment["id"], comment["status"]) for comment in sent] == [
        (parent.pk, "approved"),
        (reply.pk, "approved"),
    ]
    assert sent[1]["parent_id"] == parent.pk and "Thanks for asking!" in sent[1]["html"]


def test_a_readers_report_through_the_report_page_is_sent(
    commented_page, receiver, client, django_capture_on_commit_callbacks
):
    endpoint_for(receiver.url, ["comment.reported"])
    comment = make_comment(commented_page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    assert response.status_code == 200
    run_deliveries()
    assert receiver.events() == ["comment.reported"]
    assert receiver.requests[0].payload["report"] == {"reason": "abuse"}


def test_a_report_is_sent_with_its_reason(commented_page, receiver):
    endpoint_for(receiver.url, ["comment.reported"])
    comment = make_comment(commented_page)

    comment_reported.send(sender=Comment, comment=comment, reason="Rude", request=None)
    run_deliveries()

    assert receiver.events() == ["comment.reported"]
    assert receiver.requests[0].payload["report"] == {"reason": "Rude"}
    assert receiver.requests[0].payload["comment"]["id"] == comment.pk


def test_an_inactive_endpoint_gets_nothing(posted, receiver, moderator):
    endpoint_for(receiver.url, is_active=False)
    comment = posted()
    apply_action(ACTIONS["approve"], [comment.pk], moderator)
    assert queued_deliveries() == []
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_an_endpoint_switched_off_before_the_worker_runs_gets_nothing(posted, receiver):
    endpoint = endpoint_for(receiver.url, ["comment.posted"])
    posted()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    run_deliveries()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_another_sites_endpoint_hears_nothing_of_this_sites_comments(posted, receiver):
    other_root = Page.get_first_root_node().add_child(title="Other", slug="other-site")
    other = Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    endpoint_for(receiver.url, site=other)
    posted()
    assert queued_deliveries() == [] and receiver.requests == []


def test_a_rolled_back_moderation_queues_nothing(commented_page, receiver, moderator):
    endpoint_for(receiver.url, ["comment.approved"])
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    with pytest.raises(RuntimeError), transaction.atomic():
        apply_action(ACTIONS["approve"], [comment.pk], moderator)
        raise RuntimeError("the request failed after the move")
    assert queued_deliveries() == []


# Retries with backoff, then giving up -----------------------------------------------------------


def retries() -> list[tuple[int, float]]:
    """The queued deliveries: (attempt, seconds from now until it may run)."""
    now = timezone.now()
    return [
        (result.args_kwargs["args"][-1], (result.run_after - now).total_seconds())
        for result in queued_deliveries()
    ]


def test_a_500_is_retried_with_doubling_delays_then_given_up_and_logged(
    posted, receiver, settings, caplog
):
    settings.COMMENTS_WEBHOOK_RETRY_SECONDS = 60
    receiver.statuses = [500] * 5
    endpoint = endpoint_for(receiver.url, ["comment.posted"])
    posted()

    waits = []
    with caplog.at_level(logging.WARNING, logger="comments.webhook_delivery"):
        for _ in range(4):
            run_deliveries()
            ((attempt, wait),) = retries()
            waits.append((attempt, round(wait / 60)))
        run_deliveries()  # the fifth and last attempt

    assert waits == [(2, 1), (3, 2), (4, 4), (5, 8)]
    assert queued_deliveries() == []
    log = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(row.attempt, row.status_code, row.error) for row in log] == [
        (n, 500, "HTTP 500") for n in range(1, 6)
    ]
    assert all(row.endpoint == endpoint and not row.succeeded for row in log)
    # Every attempt is the same event: one id, the same body, a fresh signature.
    assert len({request.headers["Comments-Event-Id"] for request in receiver.requests}) == 1
    assert len({request.body for request in receiver.requests}) == 1
    assert [request.headers["Comments-Delivery-Attempt"] for request in receiver.requests] == [
        "1", "2", "3", "4", "5",
    ]  # fmt: skip
    assert f"gave up on comment.posted {log[0].event_id} after 5 attempts" in caplog.text


def test_a_retry_that_succeeds_stops_retrying(posted, receiver):
    receiver.statuses = [503]
    endpoint_for(receiver.url, ["comment.posted"])
    posted()
    run_deliveries()
    run_deliveries()
    assert queued_deliveries() == []
    statuses = WebhookDelivery.objects.order_by("attempt").values_list("attempt", "status_code")
    assert list(statuses) == [(1, 503), (2, 200)]


def test_a_refused_connection_is_retried_then_given_up(posted, refused_url, settings):
    settings.COMMENTS_WEBHOOK_MAX_ATTEMPTS = 3
    endpoint_for(refused_url, ["comment.posted"])
    posted()
    for _ in range(3):
        run_deliveries()

    assert queued_deliveries() == []
    log = list(WebhookDelivery.objects.order_by("attempt"))
    assert [row.attempt for row in log] == [1, 2, 3]
    assert all(row.status_code is None and "refused" in row.error.lower() for row in log)


def test_without_a_queue_that_can_wait_a_failure_is_logged_not_retried(
    commented_page, receiver, settings, caplog, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    receiver.statuses = [500]
    endpoint_for(receiver.url, ["comment.reported"])
    with django_capture_on_commit_callbacks(execute=True):
        comment_reported.send(sender=Comment, comment=make_comment(commented_page), reason="")
    assert WebhookDelivery.objects.get().status_code == 500
    assert "is not retried" in caplog.text
    assert len(receiver.requests) == 1


def test_the_readmes_receiver_snippet_accepts_a_real_delivery(posted, receiver):
    """The verification code documented for receivers, run against what the site sent."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Webhooks", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own README
    endpoint = endpoint_for(receiver.url, ["comment.posted"])
    posted(body="Grüße aus Köln")  # not ASCII: the receiver verifies the raw bytes
    run_deliveries()

    request = receiver.requests[0]
    raw, header = request.body.encode(), request.headers["Comments-Signature"]
    assert namespace["verify"](endpoint.secret, raw, header)
    assert not namespace["verify"]("whsec_wrong", raw, header)
    assert not namespace["verify"](endpoint.secret, raw.replace(b"K", b"k"), header)


# The admin -----------------------------------------------------------------------------------


def endpoint_form(**overrides) -> dict:
    data = {
        "site": Site.objects.get(is_default_site=True).pk,
        "name": "Chat bridge",
        "url": "https://hooks.example.org/comments",
        "events": ["comment.posted", "comment.approved"],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_superuser_adds_an_endpoint_and_then_sees_its_secret(admin_client):
    assert admin_client.get(reverse("comment_webhooks:index")).status_code == 200
    add = reverse("comment_webhooks:add")
    add_page = admin_client.get(add).content.decode()
    assert "Comment moderators" not in add_page  # the form, not another screen
    assert "whsec_" not in add_page  # its secret is made on saving

    response = admin_client.post(add, endpoint_form())

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["comment.posted", "comment.approved"]
    assert endpoint.is_active and not endpoint.trusted
    edit_page = admin_client.get(reverse("comment_webhooks:edit", args=[endpoint.pk]))
    assert endpoint.secret in edit_page.content.decode()
    # The secret is shown, not editable: a POST cannot change it.
    admin_client.post(
        reverse("comment_webhooks:edit", args=[endpoint.pk]),
        endpoint_form(secret="whsec_chosen-by-me"),
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != "whsec_chosen-by-me"


@pytest.mark.parametrize(
    "url", ["ftp://files.example.org/hook", "javascript:alert(1)", "not a web address", ""]
)
def test_the_form_takes_only_http_and_https_urls_with_a_clear_error(admin_client, url):
    response = admin_client.post(reverse("comment_webhooks:add"), endpoint_form(url=url))
    assert response.status_code == 200
    errors = response.context["form"].errors["url"]
    expected = (
        "This field is required."
        if not url
        else ("Enter a web address starting with http:// or https://.")
    )
    assert errors == [expected]
    assert expected in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_form_asks_for_at_least_one_event(admin_client):
    response = admin_client.post(reverse("comment_webhooks:add"), endpoint_form(events=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["events"] == ["Choose at least one event to send."]
    assert not WebhookEndpoint.objects.exists()


def test_webhooks_are_for_superusers_or_those_given_the_permission(
    client, django_user_model, receiver
):
    endpoint = endpoint_for(receiver.url)
    user = django_user_model.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    user.groups.add(Group.objects.get(name="Comment moderators"))
    client.force_login(user)
    urls = [
        reverse("comment_webhooks:index"),
        reverse("comment_webhooks:add"),
        reverse("comment_webhooks:edit", args=[endpoint.pk]),
        reverse("comment_webhook_deliveries:index"),
    ]
    assert [client.get(url).status_code for url in urls] == [302, 302, 302, 302]
    assert "Webhook" not in client.get(reverse("wagtailadmin_home")).content.decode()

    user.user_permissions.add(
        Permission.objects.get(
            codename="change_webhookendpoint", content_type__app_label="comments"
        )
    )
    assert client.get(reverse("comment_webhooks:edit", args=[endpoint.pk])).status_code == 200
    assert client.get(reverse("comment_webhook_deliveries:index")).status_code == 200


def test_the_delivery_log_is_listed_read_only_in_the_admin(
    posted, receiver, admin_client, refused_url
):
    endpoint_for(receiver.url, ["comment.posted"], name="Chat bridge")
    endpoint_for(refused_url, ["comment.posted"], name="Dead end")
    receiver.statuses = [500]
    posted()
    run_deliveries()

    response = admin_client.get(reverse("comment_webhook_deliveries:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Chat bridge" in html and "Dead end" in html
    assert "HTTP 500" in html and "ConnectionRefusedError" in html
    assert "A reader posted a comment" in html
    delivery = WebhookDelivery.objects.filter(status_code=500).get()
    inspect_url = reverse("comment_webhook_deliveries:inspect", args=[delivery.pk])
    assert f'href="{inspect_url}"' in html  # each row opens the attempt's details
    details = admin_client.get(inspect_url)
    assert details.status_code == 200 and str(delivery.event_id) in details.content.decode()
    # Nobody adds, edits or deletes a log row.
    assert admin_client.get(reverse("comment_webhook_deliveries:add")).status_code == 302
    for name in ("edit", "delete"):
        url = reverse(f"comment_webhook_deliveries:{name}", args=[delivery.pk])
        assert admin_client.get(url).status_code == 302
    assert reverse("comment_webhook_deliveries:add") not in html


# Housekeeping ---------------------------------------------------------------------------------


def test_housekeeping_prunes_the_delivery_log_after_the_days_set(receiver, settings):
    settings.COMMENTS_WEBHOOK_LOG_DAYS = 7
    endpoint = endpoint_for(receiver.url)
    now = timezone.now()
    for days in (8, 6):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="comment.posted",
            event_id="6c1f4f0e-34d2-4a8b-9d0f-0d4c3c1f4a00",
            attempt=1,
            status_code=200,
            duration_ms=5,
            created=now - datetime.timedelta(days=days),
        )
    out = io.StringIO()
    call_command("comments_housekeeping", stdout=out)
    assert "Deleted 1 webhook deliveries older than 7 days." in out.getvalue()
    kept = WebhookDelivery.objects.get()
    assert kept.created > now - datetime.timedelta(days=7)


def test_active_webhooks_behind_the_immediate_backend_are_warned_about(settings):
    from comments.checks import check_webhook_queue

    assert check_webhook_queue(None, databases=["default"]) == []  # the queue: fine
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert check_webhook_queue(None, databases=["default"]) == []  # no endpoint yet
    endpoint = endpoint_for("https://hooks.example.com/in")
    [warning] = check_webhook_queue(None, databases=["default"])
    assert warning.id == "comments.W005" and "db_worker" in warning.hint
    assert check_webhook_queue(None, databases=None) == []  # `check` without --database
    endpoint.is_active = False
    endpoint.save()
    assert check_webhook_queue(None, databases=["default"]) == []
