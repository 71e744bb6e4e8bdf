"""Comment statuses: which one a new comment starts in, and how moderators move them.

A new comment: disallowed keywords send it to spam; moderation keywords or too many links
hold it; otherwise the approval policy decides (WordPress's order). Moderators' actions all go
through ``apply_action``, so the row buttons, bulk actions and e-mailed links behave alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy
from wagtail.models import ModelLogEntry

from .conf import ApprovalPolicy, DiscussionOptions
from .models import Comment, CommentStatus
from .reasons import ACTIONS_WITH_REASON
from .sanitize import count_links
from .signals import comments_changed
from .spam_reports import report_moderation
from .tokens import author_token_matches


def matches_keyword(keywords: list[str], *texts: str) -> bool:
    haystack = "\n".join(text.lower() for text in texts if text)
    return any(word.strip().lower() in haystack for word in keywords if word.strip())


def author_previously_approved(comment: Comment, author_token: str | None = None) -> bool:
    """A logged-in account with an approved comment, or the email of an approved comment
    together with the signed token this browser received when it posted before. Copying a
    known commenter's name and email is not enough."""
    approved = Comment.objects.approved()
    if comment.user_id is not None:
        return approved.filter(user_id=comment.user_id).exists()
    if not author_token_matches(author_token, comment.email):
        return False
    return approved.filter(email__iexact=comment.email).exists()


def initial_status(
    comment: Comment, options: DiscussionOptions, author_token: str | None = None
) -> str:
    fields = (comment.name, comment.email, comment.website, comment.body)
    ip_and_agent = (comment.ip_address or "", comment.user_agent)
    if matches_keyword(options.disallowed_keywords, *fields, *ip_and_agent):
        return CommentStatus.SPAM
    if matches_keyword(options.moderation_keywords, *fields, *ip_and_agent):
        return CommentStatus.PENDING
    if count_links(comment.body_html) > options.max_links:
        return CommentStatus.PENDING
    if options.approval_policy == ApprovalPolicy.APPROVE:
        return CommentStatus.APPROVED
    if options.approval_policy == ApprovalPolicy.PREVIOUSLY_APPROVED and (
        author_previously_approved(comment, author_token)
    ):
        return CommentStatus.APPROVED
    return CommentStatus.PENDING


# Moderators' actions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationAction:
    """A moderator's move. Its messages are whole sentences (one comment by name, a number of
    them with their plural): languages agree the participle with the noun and its number."""

    name: str
    label: str
    done_one: str  # "Comment by %(name)s approved."
    done_many: str  # ngettext_lazy: "%(count)d comment(s) approved.", formatted with count
    from_statuses: frozenset[str]
    to_status: str | None  # None: deleted permanently

    def applies_to(self, status: str) -> bool:
        return status in self.from_statuses

    @property
    def accepts_reason(self) -> bool:
        """Spam, bin and unapprove take an optional reason for the history (reasons.py)."""
        return self.name in ACTIONS_WITH_REASON


_ANY_LIVE = frozenset({CommentStatus.PENDING, CommentStatus.APPROVED})
ACTIONS: dict[str, ModerationAction] = {
    action.name: action
    for action in [
        ModerationAction(
            "approve", _("Approve"),
            _("Comment by %(name)s approved."),
            ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count"),
            frozenset({CommentStatus.PENDING}), CommentStatus.APPROVED,
        ),
        ModerationAction(
            "unapprove", _("Unapprove"),
            _("Comment by %(name)s unapproved."),
            ngettext_lazy(
                "%(count)d comment unapproved.", "%(count)d comments unapproved.", "count"
            ),
            frozenset({CommentStatus.APPROVED}), CommentStatus.PENDING,
        ),
        ModerationAction(
            "spam", pgettext_lazy("moderation action", "Spam"),
            _("Comment by %(name)s marked as spam."),
            ngettext_lazy(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
            ),
            _ANY_LIVE, CommentStatus.SPAM,
        ),
        ModerationAction(
            "not_spam", _("Not spam"),
            _("Comment by %(name)s restored from spam."),
            ngettext_lazy(
                "%(count)d comment restored from spam.",
                "%(count)d comments restored from spam.",
                "count",
            ),
            frozenset({CommentStatus.SPAM}), CommentStatus.PENDING,
        ),
        ModerationAction(
            "trash", pgettext_lazy("moderation action", "Bin"),
            _("Comment by %(name)s moved to the bin."),
            ngettext_lazy(
                "%(count)d comment moved to the bin.",
                "%(count)d comments moved to the bin.",
                "count",
            ),
            _ANY_LIVE, CommentStatus.TRASH,
        ),
        ModerationAction(
            "restore", _("Restore"),
            _("Comment by %(name)s restored from the bin."),
            ngettext_lazy(
                "%(count)d comment restored from the bin.",
                "%(count)d comments restored from the bin.",
                "count",
            ),
            frozenset({CommentStatus.TRASH}), CommentStatus.PENDING,
        ),
        ModerationAction(
            "delete", _("Delete permanently"),
            _("Comment by %(name)s deleted permanently."),
            ngettext_lazy(
                "%(count)d comment deleted permanently.",
                "%(count)d comments deleted permanently.",
                "count",
            ),
            frozenset({CommentStatus.SPAM, CommentStatus.TRASH}), None,
        ),
    ]
}  # fmt: skip
LOG_ACTION = "comments.moderate"


def apply_action(
    action: ModerationAction,
    comment_ids: Iterable[int],
    user,
    reason: dict[str, str] | None = None,
) -> list[int]:
    """Moves every eligible comment in one UPDATE (or DELETE), logs each move, and tells the
    rest of the site (notifications, caches) once the transaction commits.

    Comments whose status the action does not apply to are left alone. ``reason`` (see
    ``reasons.py``) is kept in each log entry's data. A moderator's "Spam" and "Not spam" are
    reported to the spam services (``spam_reports.py``). Returns the ids moved.
    """
    with transaction.atomic():
        rows = list(
            Comment.objects.select_for_update()
            .filter(pk__in=list(comment_ids), status__in=action.from_statuses)
            .values_list("pk", "status", "page_id", "name", "spam_verdict")
        )
        if not rows:
            return []
        ids = [pk for pk, *_ in rows]
        now = timezone.now()
        _log_moves(action, rows, user, now, reason or {})
        if action.to_status is None:
            Comment.objects.filter(pk__in=ids).delete()
        else:
            Comment.objects.filter(pk__in=ids).update(status=action.to_status, updated=now)
        page_ids = sorted({row[2] for row in rows})
        report_moderation(action.name, [(row[0], row[4]) for row in rows], user)
    approved_ids = ids if action.to_status == CommentStatus.APPROVED else []
    announce_change(action.name, page_ids, approved_ids)
    return ids


def announce_change(action: str, page_ids: list[int], approved_ids: list[int] = ()) -> None:
    """Tell listeners (notifications, caches) once the current transaction commits."""
    transaction.on_commit(
        partial(
            comments_changed.send,
            sender=Comment,
            action=action,
            page_ids=list(page_ids),
            approved_ids=list(approved_ids),
        )
    )


def announce_published(comment: Comment, action: str = "reply") -> None:
    announce_change(action, [comment.page_id], [comment.pk])


def _log_moves(action: ModerationAction, rows: list[tuple], user, now, reason: dict) -> None:
    content_type = ContentType.objects.get_for_model(Comment)
    batch = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=f"{name} ({pk})",
                action=LOG_ACTION,
                data={
                    "action": action.name,
                    "from": status,
                    "to": action.to_status or "deleted",
                    **reason,
                },
                timestamp=now,
                uuid=batch,
                user=user,
                object_id=str(pk),
                deleted=action.to_status is None,
            )
            for pk, status, _, name, _ in rows
        ],
        batch_size=500,
    )


# Counts for the admin --------------------------------------------------------------------------

# Where the counts are kept on the request (as Wagtail keeps its site root paths there).
_STATUS_COUNTS_ATTR = "_comment_status_counts"
_PENDING_COUNT_ATTR = "_comment_pending_count"


def status_counts(request: HttpRequest | None = None) -> dict[str, int]:
    """How many comments are in each status, in one GROUP BY over the whole table.

    Given a request, the numbers are counted once for it: the queue's tabs, its paginator and
    the menu's pending label then read the same counts instead of each counting 100,000 rows.
    """
    counts = getattr(request, _STATUS_COUNTS_ATTR, None)
    if counts is None:
        # COUNT(*), not COUNT(id): PostgreSQL then reads only the small status index.
        rows = dict(Comment.objects.order_by().values_list("status").annotate(count=Count("*")))
        counts = {status: rows.get(status, 0) for status in CommentStatus.values}
        if request is not None:
            setattr(request, _STATUS_COUNTS_ATTR, counts)
    return counts


def pending_count(request: HttpRequest | None = None) -> int:
    """The comments awaiting moderation: from the request's status counts when the page has
    them already, otherwise one indexed COUNT (kept for the request, shown twice on the
    dashboard)."""
    counts = getattr(request, _STATUS_COUNTS_ATTR, None)
    if counts is not None:
        return counts[CommentStatus.PENDING]
    count = getattr(request, _PENDING_COUNT_ATTR, None)
    if count is None:
        count = Comment.objects.pending().count()
        if request is not None:
            setattr(request, _PENDING_COUNT_ATTR, count)
    return count
