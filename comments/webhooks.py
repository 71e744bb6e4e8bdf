"""Webhooks: telling other systems, over signed HTTP POSTs, what happens to comments.

An event (``WebhookEvent``) about some comments becomes one background task per comment and
endpoint (``webhook_delivery.deliver_webhook``), queued as the comments' own e-mails are
(``background.enqueue_when_committed``): a reader's POST never waits for a receiver. The JSON
body is made here, when the event happens, so every attempt sends the same event, with the
same ``id`` for every endpoint. The signal handlers (``signal_handlers.py``) call the
``*_events`` functions.

A comment's author e-mail goes only to trusted endpoints; its IP address and user agent go
nowhere.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from django.utils import timezone

from .background import enqueue_when_committed
from .models import Comment, CommentStatus, WebhookEndpoint, WebhookEvent
from .webhook_delivery import deliver_webhook

# The event a comment's new status is, when it is posted or moderated into it.
STATUS_EVENTS = {
    CommentStatus.PENDING: WebhookEvent.HELD,
    CommentStatus.APPROVED: WebhookEvent.APPROVED,
    CommentStatus.SPAM: WebhookEvent.SPAM,
    CommentStatus.TRASH: WebhookEvent.DELETED,
    None: WebhookEvent.DELETED,  # deleted permanently
}
DELETED_STATUS = "deleted"  # the payload's status of a comment deleted permanently


def comment_payload(comment: Comment, status: str, include_email: bool) -> dict:
    """What a receiver learns of a comment: what its page shows, its status, and the author's
    e-mail only for a trusted endpoint."""
    page = comment.page
    data = {
        "id": comment.pk,
        "page_id": comment.page_id,
        "page_url": page.full_url,
        "parent_id": comment.parent_id,
        "author_name": comment.name,
        "author_website": comment.website,
        "status": status,
        "html": comment.body_html,
        "created": comment.created.isoformat(),
    }
    if include_email:
        data["author_email"] = comment.email
    return data


def send_events(
    events: Iterable[str],
    comments: Iterable[Comment],
    status: str | None = None,
    extra: dict | None = None,
) -> int:
    """Queue each event about each comment for every active endpoint of its page's site that
    asked for it. ``status`` overrides the comments' own (a move not yet written); ``extra``
    is added to the payload (a report's reason). Returns how many deliveries were queued;
    with no endpoint wanting them it costs one query."""
    events = list(events)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if any(endpoint.wants(event) for event in events)
    ]
    if not endpoints:
        return 0
    occurred_at = timezone.now().isoformat()
    sites: dict[int, int | None] = {}
    queued = 0
    for comment in comments:
        if comment.page_id not in sites:
            site = comment.page.get_site()
            sites[comment.page_id] = site.pk if site is not None else None
        receivers = [
            endpoint for endpoint in endpoints if endpoint.site_id == sites[comment.page_id]
        ]
        for event in events:
            event_id = str(uuid.uuid4())  # one per event: every endpoint gets the same id
            for endpoint in receivers:
                if endpoint.wants(event):
                    body = event_body(
                        event, event_id, occurred_at, comment, status, endpoint, extra
                    )
                    enqueue_when_committed(
                        deliver_webhook, endpoint.pk, event, event_id, comment.pk, body
                    )
                    queued += 1
    return queued


def event_body(
    event: str,
    event_id: str,
    occurred_at: str,
    comment: Comment,
    status: str | None,
    endpoint: WebhookEndpoint,
    extra: dict | None = None,
) -> str:
    payload = {
        "id": event_id,
        "event": event,
        "occurred_at": occurred_at,
        "comment": comment_payload(comment, status or comment.status, endpoint.trusted),
        **(extra or {}),
    }
    return json.dumps(payload, ensure_ascii=False)


def comment_posted_events(comment: Comment) -> None:
    """A reader's comment was stored: "posted", then the event of the status it got."""
    send_events([WebhookEvent.POSTED, STATUS_EVENTS[comment.status]], [comment])


def comments_moderated_events(comment_ids: list[int], to_status: str | None) -> None:
    """A moderator moved comments (called before the move is written: a deleted comment is
    read while it still exists)."""
    event = STATUS_EVENTS.get(to_status)
    if event is not None:
        comments = Comment.objects.filter(pk__in=comment_ids).select_related("page").order_by("pk")
        send_events([event], comments, status=to_status or DELETED_STATUS)


def site_reply_events(comment_ids: list[int]) -> None:
    """A moderator's reply, published as the site: it appears at once."""
    comments = Comment.objects.filter(pk__in=comment_ids).select_related("page").order_by("pk")
    send_events([WebhookEvent.APPROVED], comments)


def comment_reported_event(comment: Comment, reason: str = "") -> None:
    send_events([WebhookEvent.REPORTED], [comment], extra={"report": {"reason": reason}})
