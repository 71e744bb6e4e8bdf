"""Comment statuses: which one a new comment starts in, and how moderators move them.

A new comment: disallowed keywords send it to spam; moderation keywords or too many links
hold it, whoever wrote it; otherwise the approval policy decides (WordPress's order).
Moderators' actions all go through ``apply_action``, so the row buttons, bulk actions and
e-mailed links behave alike.
"""

from __future__ import annotations

import uuid
from collections import Counter
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
from .models import Comment, CommentReport, CommentStatus, ReportReason
from .notifications import report_decided
from .permissions import moderatable_comments
from .reasons import ACTIONS_WITH_REASON, REPORT_REASON_AS_REASON
from .sanitize import count_links
from .signals import comments_changed, comments_moderated
from .spam_reports import report_moderation
from .tokens import author_token_matches


def matches_keyword(keywords: list[str], *texts: str) -> bool:
    haystack = "\n".join(text.lower() for text in texts if text)
    return any(word.strip().lower() in haystack for word in keywords if word.strip())


def author_previously_approved(comment: Comment, author_token: str | None = None) -> bool:
    """A logged-in account with an approved comment, or a guest writing from a confirmed
    address (``comment.address_verified``: proved, see ``addresses.py``), from a browser that
    posted with it before (the signed author token), with an approved comment. Copying a
    known commenter's name and email is not enough, and an unconfirmed address earns nothing."""
    approved = Comment.objects.approved()
    if comment.user_id is not None:
        return approved.filter(user_id=comment.user_id).exists()
    if not comment.address_verified or not author_token_matches(author_token, comment.email):
        return False
    return approved.filter(email__iexact=comment.email).exists()


def verified_commenter_trusted(comment: Comment, required: int) -> bool:
    """The comment is written from a confirmed address (proved, not typed), which already has
    ``required`` approved comments that were written from it confirmed too."""
    if not comment.address_verified:
        return False
    verified = Comment.objects.approved().filter(email__iexact=comment.email, address_verified=True)
    return verified.count() >= required


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
    policy = options.approval_policy
    if policy == ApprovalPolicy.APPROVE:
        return CommentStatus.APPROVED
    if policy == ApprovalPolicy.PREVIOUSLY_APPROVED and (
        author_previously_approved(comment, author_token)
    ):
        return CommentStatus.APPROVED
    if policy == ApprovalPolicy.VERIFIED and comment.address_verified:
        return CommentStatus.APPROVED
    if policy == ApprovalPolicy.VERIFIED_APPROVED and (
        verified_commenter_trusted(comment, options.trusted_after_approved)
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


def moves_between(before: str, after: str) -> list[ModerationAction]:
    """The queue's actions that take a comment from ``before`` to ``after``: the one that
    does it, else two through Pending (Spam to Approved: "Not spam", then "Approve")."""

    def to(status: str, source: str) -> ModerationAction | None:
        return next(
            (a for a in ACTIONS.values() if a.to_status == status and a.applies_to(source)), None
        )

    if before == after:
        return []
    direct = to(after, before)
    if direct is not None:
        return [direct]
    first, second = to(CommentStatus.PENDING, before), to(after, CommentStatus.PENDING)
    return [first, second] if first and second else []


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
    reported to the spam services (``spam_reports.py``). Approving, spamming or binning a
    reported comment resolves its readers' reports (``resolve_reports``). Returns the ids moved.
    """
    with transaction.atomic():
        rows = list(
            Comment.objects.select_for_update()
            .filter(pk__in=list(comment_ids), status__in=action.from_statuses)
            .values_list("pk", "status", "page_id", "name", "spam_verdict", "pinned")
        )
        if not rows:
            return []
        ids = [pk for pk, *_ in rows]
        now = timezone.now()
        reports = resolve_reports(action, ids, now, reason or {})
        _log_moves(action, rows, user, now, reason or {}, reports)
        comments_moderated.send(
            sender=Comment, action=action.name, comment_ids=ids, to_status=action.to_status
        )
        if action.to_status is None:
            Comment.objects.filter(pk__in=ids).delete()
        else:
            # A moderator's move ends any wait for the address's confirmation (addresses.py),
            # and a pick readers can no longer see is no longer a pick (pinning.py).
            Comment.objects.filter(pk__in=ids).update(
                status=action.to_status, updated=now, awaiting_confirmation=False, pinned=False
            )
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


def _log_moves(
    action: ModerationAction,
    rows: list[tuple],
    user,
    now,
    reason: dict,
    reports: dict[int, dict] | None = None,
) -> None:
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
                    **({"unpinned": True} if pinned else {}),
                    **reason,
                    **(reports or {}).get(pk, {}),
                },
                timestamp=now,
                uuid=batch,
                user=user,
                object_id=str(pk),
                deleted=action.to_status is None,
            )
            for pk, status, _, name, _, pinned in rows
        ],
        batch_size=500,
    )


# Readers' reports --------------------------------------------------------------------------

# The moves that answer readers' reports: approving dismisses them, spam and bin uphold them.
# (Unapproving holds the comment and leaves them open; deleting takes them with the comment.)
RESOLVING_ACTIONS = frozenset({"approve", "spam", "trash"})


def resolve_reports(
    action: ModerationAction, comment_ids: list[int], now, reason: dict
) -> dict[int, dict]:
    """Closes the open reports of the comments moved, and says per comment what the log
    entry records: how many reports were resolved and, when the moderator gave no reason,
    the one the reports suggest. Illegal-content reports whose reader left an e-mail address
    get the decision by e-mail (``notifications.report_decided``)."""
    if action.name not in RESOLVING_ACTIONS:
        return {}
    open_reports = list(
        CommentReport.objects.open()
        .filter(comment_id__in=comment_ids)
        .values_list("pk", "comment_id", "reason", "email")
    )
    if not open_reports:
        return {}
    by_comment: dict[int, Counter] = {}
    for _pk, comment_id, report_reason, _email in open_reports:
        by_comment.setdefault(comment_id, Counter())[report_reason] += 1
    CommentReport.objects.filter(pk__in=[row[0] for row in open_reports]).update(
        resolved=now, decision=action.name
    )
    log_data = {}
    for comment_id, reasons in by_comment.items():
        data = {"reports_resolved": sum(reasons.values())}
        if not reason.get("reason"):
            if action.name == "approve":
                data["reason"] = "reports_dismissed"
            else:
                data["reason"] = REPORT_REASON_AS_REASON[reasons.most_common(1)[0][0]]
        log_data[comment_id] = data
    for comment_id in by_comment:
        notified = [
            pk
            for pk, reported_id, report_reason, email in open_reports
            if reported_id == comment_id and report_reason == ReportReason.ILLEGAL and email
        ]
        if notified:
            given = {**log_data[comment_id], **reason}
            report_decided(comment_id, notified, action.name, given, now)
    return log_data


# Counts for the admin --------------------------------------------------------------------------

# Where the counts are kept on the request (as Wagtail keeps its site root paths there).
_STATUS_COUNTS_ATTR = "_comment_status_counts"
_PENDING_COUNT_ATTR = "_comment_pending_count"


def _visible_to(request: HttpRequest | None):
    """Every comment, or the request's moderator's sections of them (``permissions``)."""
    user = getattr(request, "user", None)
    return moderatable_comments(user) if user is not None else Comment.objects.all()


def status_counts(request: HttpRequest | None = None) -> dict[str, int]:
    """How many comments are in each status, in one GROUP BY over the whole table (over the
    moderator's sections when they are limited to some).

    Given a request, the numbers are counted once for it: the queue's tabs, its paginator and
    the menu's pending label then read the same counts instead of each counting 100,000 rows.
    """
    counts = getattr(request, _STATUS_COUNTS_ATTR, None)
    if counts is None:
        # COUNT(*), not COUNT(id): PostgreSQL then reads only the small status index.
        rows = dict(
            _visible_to(request).order_by().values_list("status").annotate(count=Count("*"))
        )
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
        count = _visible_to(request).pending().count()
        if request is not None:
            setattr(request, _PENDING_COUNT_ATTR, count)
    return count
