"""The moderators' pick: one approved comment a page, shown above the threads.

Pinning is not a move between statuses, so it does not go through ``apply_action``; it is
logged and announced the same way. The database keeps one pinned comment a page (a partial
unique constraint); pinning locks the page's row, unpins the previous pick and pins the new
one in one transaction, so two moderators pinning at once end with one pick, not an error.
A comment that leaves the approved status is unpinned by ``apply_action`` (and by the edit
screens), so a pick is always a comment readers can see.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from .models import Comment, CommentStatus
from .moderation import announce_change

PIN_LOG_ACTION = "comments.pin"


@dataclass(frozen=True)
class PinResult:
    """What happened: ``done`` is False when the comment could not be pinned (not approved)
    or was not pinned to begin with (unpin); ``replaced`` is the previous pick's id."""

    done: bool
    replaced: int | None = None


def pin_comment(comment_id: int, user) -> PinResult:
    """Makes the approved comment its page's pick, unpinning the previous one."""
    with transaction.atomic():
        comment = (
            Comment.objects.filter(pk=comment_id).only("pk", "page_id", "status", "pinned").first()
        )
        if comment is None or comment.status != CommentStatus.APPROVED:
            return PinResult(done=False)
        # The page's row is the lock every pin of this page waits for.
        list(Page.objects.select_for_update().filter(pk=comment.page_id).values_list("pk"))
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.status != CommentStatus.APPROVED:
            return PinResult(done=False)
        if comment.pinned:
            return PinResult(done=True)
        previous = list(
            Comment.objects.filter(page_id=comment.page_id, pinned=True).values_list("pk", "name")
        )
        now = timezone.now()
        if previous:
            Comment.objects.filter(pk__in=[pk for pk, _ in previous]).update(
                pinned=False, updated=now
            )
        Comment.objects.filter(pk=comment.pk).update(pinned=True, updated=now)
        replaced = previous[0][0] if previous else None
        batch = uuid.uuid4()
        entries = [_log_entry(comment.pk, comment.name, "pin", user, now, batch, replaced)]
        entries += [_log_entry(pk, name, "unpin", user, now, batch) for pk, name in previous]
        ModelLogEntry.objects.bulk_create(entries)
    announce_change("pin", [comment.page_id])
    return PinResult(done=True, replaced=replaced)


def unpin_comment(comment_id: int, user) -> PinResult:
    """Back to its normal place only: the page has no pick until another one is pinned."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .filter(pk=comment_id, pinned=True)
            .only("pk", "page_id", "name")
            .first()
        )
        if comment is None:
            return PinResult(done=False)
        now = timezone.now()
        Comment.objects.filter(pk=comment.pk).update(pinned=False, updated=now)
        ModelLogEntry.objects.bulk_create(
            [_log_entry(comment.pk, comment.name, "unpin", user, now, uuid.uuid4())]
        )
    announce_change("unpin", [comment.page_id])
    return PinResult(done=True)


def _log_entry(
    pk: int, name: str, change: str, user, now, batch, replaced: int | None = None
) -> ModelLogEntry:
    data = {"change": change}
    if replaced is not None:
        data["replaced"] = replaced
    return ModelLogEntry(
        content_type=ContentType.objects.get_for_model(Comment),
        label=f"{name} ({pk})",
        action=PIN_LOG_ACTION,
        data=data,
        timestamp=now,
        uuid=batch,
        user=user,
        object_id=str(pk),
    )
