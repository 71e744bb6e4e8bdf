"""Sending one webhook event to one endpoint: signed, timed out, logged, retried.

A failed attempt (no answer within COMMENTS_WEBHOOK_TIMEOUT, a connection refused, a status
other than 2xx, a redirect) is tried again later, after COMMENTS_WEBHOOK_RETRY_SECONDS and
then twice as long each time, until COMMENTS_WEBHOOK_MAX_ATTEMPTS. django-tasks 0.12 has no
retries of its own, so the task queues its next attempt with ``run_after``. Every attempt is
logged (``WebhookDelivery``).

Requests are signed as Stripe signs its own: ``Comments-Signature: t=<unix time>,v1=<hex>``,
the HMAC-SHA256, keyed with the endpoint's secret, of ``"<t>.<body>"``; ``verify_signature``
is what a receiver (written in Python) does with it. ``Comments-Event-Id`` is the same on every
attempt, so a receiver can ignore one it has seen.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import task

from .conf import app_setting
from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Comments-Signature"
EVENT_HEADER = "Comments-Event"
EVENT_ID_HEADER = "Comments-Event-Id"
ATTEMPT_HEADER = "Comments-Delivery-Attempt"
USER_AGENT = "Wagtail-Reader-Comments-Webhooks/1"
# A receiver's clock and ours may differ a little; an older signature is a replay.
SIGNATURE_TOLERANCE_SECONDS = 5 * 60
ERROR_CHARS = 300


# Signing ----------------------------------------------------------------------------------


def signature_header(secret: str, body: str, timestamp: int) -> str:
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def verify_signature(
    secret: str,
    body: str,
    header: str,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is at most ``tolerance``
    seconds old: what a receiver checks before believing a request."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _digest(secret, body, timestamp))


def _digest(secret: str, body: str, timestamp: int) -> str:
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# Delivery ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to POST the event to."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_signed(url: str, secret: str, body: str, headers: dict[str, str]) -> Outcome:
    """POST ``body`` signed now; never raises: a failure is the outcome's ``error``."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(secret, body, int(time.time())),
        **headers,
    }
    started = time.monotonic()
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):  # the form checks it too
        return Outcome(None, f"Not an http(s) URL: {url}"[:ERROR_CHARS], 0)
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")  # noqa: S310
    status_code, error = None, ""
    try:
        with _opener.open(request, timeout=app_setting("WEBHOOK_TIMEOUT")) as response:
            status_code = response.status
    except urllib.error.HTTPError as response:
        status_code = response.code
        response.close()
    except (urllib.error.URLError, OSError, ValueError) as failure:
        reason = getattr(failure, "reason", failure)
        error = f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__
    duration_ms = round((time.monotonic() - started) * 1000)
    if status_code is not None and not 200 <= status_code < 300:
        error = f"HTTP {status_code}"
    return Outcome(status_code, error[:ERROR_CHARS], duration_ms)


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number ``attempt``: doubling each time."""
    return datetime.timedelta(seconds=app_setting("WEBHOOK_RETRY_SECONDS") * 2 ** (attempt - 1))


@task()
def deliver_webhook(
    endpoint_id: int, event: str, event_id: str, comment_id: int | None, body: str, attempt: int = 1
) -> int | None:
    """Sends one event to one endpoint, logs the attempt, and queues the next one if it
    failed. Returns the receiver's status code (None: no answer, or nothing sent)."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).first()
    if endpoint is None:  # deleted or switched off since the event
        return None
    outcome = post_signed(
        endpoint.url,
        endpoint.secret,
        body,
        {EVENT_HEADER: event, EVENT_ID_HEADER: event_id, ATTEMPT_HEADER: str(attempt)},
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        event_id=event_id,
        comment_id=comment_id,
        attempt=attempt,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
    if not outcome.ok:
        _retry_later(endpoint, event, event_id, comment_id, body, attempt, outcome)
    return outcome.status_code


def _retry_later(endpoint, event, event_id, comment_id, body, attempt, outcome) -> None:
    if attempt >= app_setting("WEBHOOK_MAX_ATTEMPTS"):
        logger.warning(
            "Webhook %s gave up on %s %s after %d attempts: %s",
            endpoint.url, event, event_id, attempt, outcome.error,
        )  # fmt: skip
        return
    if not deliver_webhook.get_backend().supports_defer:
        # The immediate backend would retry inside the request that caused the event.
        logger.warning(
            "Webhook %s failed (%s) and is not retried: the task backend cannot run a task "
            "later (use django-tasks-db's DatabaseBackend).",
            endpoint.url, outcome.error,
        )  # fmt: skip
        return
    run_after = timezone.now() + retry_delay(attempt)
    deliver_webhook.using(run_after=run_after).enqueue(
        endpoint.pk, event, event_id, comment_id, body, attempt + 1
    )


# Housekeeping -----------------------------------------------------------------------------


def prune_deliveries(now: datetime.datetime | None = None) -> int:
    """Deletes delivery log rows older than COMMENTS_WEBHOOK_LOG_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=app_setting("WEBHOOK_LOG_DAYS"))
    deleted, _ = WebhookDelivery.objects.filter(created__lt=cutoff).delete()
    return deleted
