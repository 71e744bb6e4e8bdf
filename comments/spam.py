"""Abuse checks that need the database, each its own small function.

Each takes the ``Submission`` (the unsaved comment built by the form) and returns ``None`` to
let the comment through, or a ``Refusal`` with the HTTP status and the message the reader
sees. The list run on a post is ``COMMENTS_SPAM_CHECKS`` (dotted paths; a moderation policy
may choose another), so a site adds its own check without forking. The form's own layers
(stamp, honeypot, reCAPTCHA) run first. Services that answer over the network, such as
Akismet, run later, in the background, once the comment is stored (``spam_services.py``).
They read the comments stored, not a cache: the limits then hold across every worker
process and whatever the cache does (an outage neither opens nor closes the form), in one
indexed query for the flood interval, the rate limit and the stamp's reuse.
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from . import messages
from .conf import app_setting
from .models import BlockAction, BlockEntry, BlockKind, Comment, normalised_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    same_submission: bool = False  # the refused post was already stored (a double click)
    retry_after: int | None = None  # seconds until the poster may try again (Retry-After)


@dataclass(frozen=True)
class RecentComments:
    """What the database knows of this poster: has their form stamp sent a comment, when did
    this IP or email last post (within the flood interval), how many comments this IP sent
    within the rate window, and when the first of those was sent."""

    stamp_used: bool
    latest: datetime.datetime | None
    from_ip: int
    first_from_ip: datetime.datetime | None = None


def recent_comments(
    ip: str | None, email: str, stamp_digest: str, now: datetime.datetime | None = None
) -> RecentComments:
    now = now or timezone.now()
    flood_since = now - datetime.timedelta(seconds=app_setting("FLOOD_SECONDS") or 0)
    rate_since = now - datetime.timedelta(seconds=app_setting("RATE_WINDOW"))
    same_poster = Q(email=email) | Q(ip_address=ip) if ip else Q(email=email)
    recent = same_poster & Q(created__gte=min(flood_since, rate_since))
    counts = {
        "stamp_used": Count("pk", filter=Q(form_stamp=stamp_digest)),
        "latest": Max("created", filter=same_poster & Q(created__gte=flood_since)),
    }
    if ip:
        from_ip = Q(ip_address=ip, created__gte=rate_since)
        counts["from_ip"] = Count("pk", filter=from_ip)
        counts["first_from_ip"] = Min("created", filter=from_ip)
    found = Comment.objects.filter(recent | Q(form_stamp=stamp_digest)).aggregate(**counts)
    return RecentComments(
        stamp_used=bool(found["stamp_used"]),
        latest=found["latest"],
        from_ip=found.get("from_ip") or 0,
        first_from_ip=found.get("first_from_ip"),
    )


class Submission:
    """A post being checked: the unsaved comment (its IP address, email, body and stamp
    digest are set) and the request. ``recent`` is read once, for every check that needs it."""

    def __init__(self, comment: Comment, request) -> None:
        self.comment = comment
        self.request = request

    @cached_property
    def recent(self) -> RecentComments:
        comment = self.comment
        return recent_comments(comment.ip_address, comment.email, comment.form_stamp)


def seconds_until(since: datetime.datetime | None, seconds: int) -> int:
    """Whole seconds (at least one) until ``seconds`` after ``since`` have passed."""
    if since is None:
        return max(1, seconds)
    left = (since + datetime.timedelta(seconds=seconds) - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def check_block_list(submission: Submission) -> Refusal | None:
    """The moderators' block list (``BlockEntry``), read in one query on each post: a
    "refuse" entry refuses the comment without saying why; a "hold" entry lets it through
    marked (``block_mark``), and ``posting.submit_comment`` holds it as pending. Every match is
    logged (the ``comments.spam`` logger: the entry, never the commenter's details)."""
    comment = submission.comment
    email = normalised_email(comment.email)
    # Addresses are compared in SQL; networks and name patterns are few and matched here.
    entries = BlockEntry.objects.active().filter(
        Q(kind=BlockKind.EMAIL, value=email) | Q(kind__in=[BlockKind.IP, BlockKind.NAME])
    )
    matched = [entry for entry in entries if entry.matches(email, comment.ip_address, comment.name)]
    if not matched:
        return None
    refusing = [entry for entry in matched if entry.effective_action == BlockAction.REFUSE]
    entry = (refusing or matched)[0]
    logger.info(
        "Block list entry %s (%s) matched a comment on page %s: %s",
        entry.pk,
        entry.kind,
        comment.page_id,
        "refused" if refusing else "held",
    )
    if refusing:
        return Refusal(403, messages.BLOCKED)
    comment.block_mark = entry.mark
    return None


def check_flood(submission: Submission) -> Refusal | None:
    """The same IP or email may not post again within COMMENTS_FLOOD_SECONDS."""
    flood_seconds = app_setting("FLOOD_SECONDS")
    if flood_seconds and submission.recent.latest is not None:
        wait = seconds_until(submission.recent.latest, flood_seconds)
        return Refusal(429, messages.FLOOD, retry_after=wait)
    return None


def check_rate_limit(submission: Submission) -> Refusal | None:
    """At most COMMENTS_RATE_LIMIT comments per IP per COMMENTS_RATE_WINDOW seconds; the
    poster may try again once the first of them leaves the window."""
    recent = submission.recent
    if recent.from_ip >= app_setting("RATE_LIMIT"):
        wait = seconds_until(recent.first_from_ip, app_setting("RATE_WINDOW"))
        return Refusal(429, messages.RATE_LIMITED, retry_after=wait)
    return None


def check_duplicate(submission: Submission) -> Refusal | None:
    """The same author saying the same thing on the same page, in any status; sent with the
    same stamp, it is this very submission (its twin was stored after the first check)."""
    comment = submission.comment
    stamps = list(
        Comment.objects.filter(
            page_id=comment.page_id, email__iexact=comment.email, body=comment.body
        ).values_list("form_stamp", flat=True)[:1]
    )
    if not stamps:
        return None
    return Refusal(409, messages.DUPLICATE, same_submission=stamps[0] == comment.form_stamp)


def first_refusal(submission: Submission, checks) -> Refusal | None:
    """The first check that refuses the post, or None when every check lets it through."""
    for check in checks:
        refusal = check(submission)
        if refusal is not None:
            return refusal
    return None
