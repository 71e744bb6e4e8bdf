"""The moderation queue's listing: its filters, its table and columns, and its paginator.

Each row's cells are rendered from small templates (``comments/admin/cells/``). Whatever is the
same for every row (URL patterns, translated labels, a page's public URL) is worked out once per
listing by ``CommentTable``, so twenty rows cost twenty small renders and no per-row lookups.
"""

from __future__ import annotations

import html
import ipaddress

import django_filters
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import BaseColumn, Table
from wagtail.models import Page

from . import messages
from .models import (
    Comment,
    CommentReport,
    CommentStatus,
    ReportReason,
    SpamVerdict,
    normalised_email,
)
from .moderation import ACTIONS
from .permissions import moderatable_comments, moderatable_condition
from .queue_shortcuts import row_action_keys
from .sanitize import visible_text

# Which one-click actions a row offers in each status, as WordPress's Comments screen does.
ROW_ACTIONS = {
    CommentStatus.PENDING: ["approve", "spam", "trash"],
    CommentStatus.APPROVED: ["unapprove", "spam", "trash"],
    CommentStatus.SPAM: ["not_spam", "delete"],
    CommentStatus.TRASH: ["restore", "delete"],
}
ROW_ACTION_CLASSES = {"approve": "", "spam": "button-secondary no", "delete": "button-secondary no"}
# Links after the actions; a spam or binned comment is restored before anyone replies to it.
ROW_LINKS = [
    ("reply", _("Reply")),
    ("edit", _("Edit")),
    ("history", _("History")),
    ("commenter", messages.COMMENTER_HISTORY),
]
REPLYABLE = frozenset({CommentStatus.PENDING, CommentStatus.APPROVED})
_PK = "2147483647"  # reversed in place of a comment's id, then replaced by each row's id
EXCERPT_WORDS = 30


def excerpt_of(body_html: str, words: int = EXCERPT_WORDS) -> str:
    """A comment's start as plain text: the sanitised HTML without its tags, entities decoded
    once (templates escape it)."""
    return Truncator(html.unescape(visible_text(body_html))).words(words)


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CommentStatus.choices, empty_label=_("All but spam and bin")
    )
    page = django_filters.ModelChoiceFilter(
        label=_("In response to"),
        # One probe of the (page, created, id) index per page: its newest comment's id. An
        # EXISTS would do, but PostgreSQL turns it into a semi-join that reads every comment
        # (a million in 270 ms) rather than probing the index; ordered by the index, the
        # scalar subquery stays a probe. A DISTINCT over every comment would scan them all.
        queryset=lambda request: (
            Page.objects.alias(
                first_comment=Subquery(
                    Comment.objects.filter(page_id=OuterRef("pk"))
                    .order_by("page_id", "created", "pk")
                    .values("pk")[:1]
                )
            )
            .filter(first_comment__isnull=False)
            .filter(moderatable_condition(getattr(request, "user", None), "path"))
            .order_by("title")
        ),
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), widget=DateRangePickerWidget
    )
    # The "Reported" tab: comments with readers' reports still open (?reported=true).
    reported = django_filters.BooleanFilter(
        label=messages.REPORTED_FILTER, method="filter_reported"
    )
    # One commenter's comments, linked from their history screen (commenters.py).
    email = django_filters.CharFilter(label=_("Email"), method="filter_email")
    ip = django_filters.CharFilter(label=_("IP address"), method="filter_ip")

    class Meta:
        model = Comment
        fields = ["status", "page", "created"]

    def filter_reported(self, queryset, name: str, value: bool | None):
        if value is None:
            return queryset
        has_open_reports = Exists(CommentReport.objects.open().filter(comment_id=OuterRef("pk")))
        return queryset.filter(has_open_reports if value else ~has_open_reports)

    def filter_email(self, queryset, name, value):
        email = normalised_email(value)
        return queryset.filter(email__iexact=email) if email else queryset

    def filter_ip(self, queryset, name, value):
        try:
            return queryset.filter(ip_address=str(ipaddress.ip_address(value.strip())))
        except ValueError:
            return queryset.none()


COMMENTER_PARAMS = ("email", "ip")


def narrows_to_commenter(params) -> bool:
    """``?email=`` or ``?ip=``: the queue shows one commenter's comments, in every status."""
    return any(params.get(key, "").strip() for key in COMMENTER_PARAMS)


def queue_queryset(request):
    """The comments the queue lists for the request's filters (status, page, dates, one
    commenter) in the moderator's sections, without its search: what "Select all in
    listing" selects."""
    params = request.GET
    comments = moderatable_comments(request.user)
    filters = CommentFilterSet(params, queryset=comments, request=request)
    if not filters.is_valid():
        return Comment.objects.none()
    queryset = filters.qs
    if not params.get("status") and not narrows_to_commenter(params):
        queryset = queryset.exclude(status__in=[CommentStatus.SPAM, CommentStatus.TRASH])
    return queryset


def search_condition(fields: list[str], query: str) -> Q:
    """Wagtail's ORM search: any field containing the query, whatever the case."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": query})
    return condition


def limited_ids(matching: QuerySet, limit: int) -> list[int] | None:
    """The ids of at most ``limit`` matches, or None when there are more: then so many
    comments match that walking the newest-first index finds a page of them at once,
    and collecting them all would cost seconds."""
    ids = list(matching.order_by().values_list("pk", flat=True)[: limit + 1])
    return ids if len(ids) <= limit else None


class MatchingIds(Func):
    """``pk IN (the matching ids)``, which on PostgreSQL is written
    ``pk = ANY(ARRAY(the matching ids))``: the matches are collected first, through the
    trigram indexes, and only they are sorted. Given the plain condition and a small LIMIT
    (a page of results), PostgreSQL's estimate of a substring's matches makes it walk the
    newest-first index and test every comment instead (seconds at a million when the search
    finds few), whatever the indexes."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, matching: QuerySet) -> None:
        super().__init__(F("pk"), Subquery(matching.order_by().values("pk")))

    def as_sql(self, compiler, connection, template: str = "{pk} IN {ids}", **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        ids_sql, ids_params = compiler.compile(self.source_expressions[1])
        return template.format(pk=pk_sql, ids=ids_sql), (*pk_params, *ids_params)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="{pk} = ANY(ARRAY{ids})")


class CommentTable(Table):
    """The queue's table, knowing the actions and links every row offers."""

    def __init__(self, *args, any_open_reports: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._page_urls: dict[int, str | None] = {}
        # False when the queue knows no report is open: the screen skips asking for them.
        self.any_open_reports = any_open_reports

    @cached_property
    def _url_patterns(self) -> dict[str, str]:
        patterns = {name: reverse("reader_comments:moderate", args=[_PK, name]) for name in ACTIONS}
        for name in [name for name, _label in ROW_LINKS] + ["pin", "unpin"]:
            patterns[name] = reverse(f"reader_comments:{name}", args=[_PK])
        patterns["page_edit"] = reverse("wagtailadmin_pages:edit", args=[_PK])
        return patterns

    def url(self, name: str, pk: int) -> str:
        return self._url_patterns[name].replace(_PK, str(pk), 1)

    @cached_property
    def _tools_by_status(self) -> dict[str, tuple[list[dict], list[dict]]]:
        """Per status: the one-click actions and the links a row offers, labels translated,
        each with its keyboard shortcut."""
        keys = row_action_keys()
        return {
            status: (
                [
                    {
                        "name": name,
                        "label": str(ACTIONS[name].label),
                        "classname": ROW_ACTION_CLASSES.get(name, "button-secondary"),
                        "key": keys.get(name, ""),
                    }
                    for name in names
                ],
                [
                    {"name": name, "label": str(label), "key": keys.get(name, "")}
                    for name, label in ROW_LINKS
                    if name != "reply" or status in REPLYABLE
                ],
            )
            for status, names in ROW_ACTIONS.items()
        }

    @cached_property
    def _pin_tools(self) -> dict[bool, dict]:
        """An approved comment's "Pin" button, or "Unpin" once it is the page's pick."""
        keys = row_action_keys()
        return {
            pinned: {
                "name": name,
                "label": str(label),
                "classname": "button-secondary",
                "key": keys.get(name, ""),
            }
            for pinned, name, label in [
                (False, "pin", messages.PIN),
                (True, "unpin", messages.UNPIN),
            ]
        }

    def row_tools(self, comment: Comment) -> tuple[list[dict], list[dict]]:
        """The comment's one-click actions and links, each with its URL."""
        actions, links = self._tools_by_status[comment.status]
        if comment.status == CommentStatus.APPROVED:
            actions = [*actions, self._pin_tools[comment.pinned]]
        return (
            [{**action, "url": self.url(action["name"], comment.pk)} for action in actions],
            [{**link, "url": self.url(link["name"], comment.pk)} for link in links],
        )

    @cached_property
    def open_reports(self) -> dict[int, dict]:
        """Per comment listed: its open reports' total and their reasons with counts, in one
        GROUP BY for the whole screen."""
        ids = [comment.pk for comment in self.data]
        if not ids or not self.any_open_reports:
            return {}
        rows = (
            CommentReport.objects.open()
            .filter(comment_id__in=ids)
            .order_by()
            .values_list("comment_id", "reason")
            .annotate(count=Count("pk"))
        )
        reports: dict[int, dict] = {}
        for comment_id, reason, count in sorted(rows, key=lambda row: (row[0], -row[2], row[1])):
            entry = reports.setdefault(comment_id, {"total": 0, "reasons": []})
            entry["total"] += count
            label = ReportReason(reason).label if reason in ReportReason.values else reason
            entry["reasons"].append(
                messages.REPORT_REASON_COUNT % {"reason": label, "count": count}
            )
        for entry in reports.values():
            entry["summary"] = messages.REPORT_COUNT % {"count": entry["total"]}
        return reports

    def page_url(self, page: Page) -> str | None:
        """The page's public URL, found once per page listed (not once per comment)."""
        if page.pk not in self._page_urls:
            self._page_urls[page.pk] = page.url
        return self._page_urls[page.pk]


class AuthorColumn(BaseColumn):
    cell_template_name = "comments/admin/cells/author.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.block_mark:
            context["block_badge"] = messages.BLOCKED_BADGE % {"reason": instance.block_mark}
        return context


class ExcerptColumn(BaseColumn):
    """The comment's start, with WordPress-style row actions under it: one-click moderation
    buttons (posting through the listing's one ``comment-row-actions`` form), then links to
    reply, edit and see the comment's history."""

    cell_template_name = "comments/admin/cells/excerpt.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["excerpt"] = excerpt_of(instance.body_html)
        context["actions"], context["links"] = parent_context["table"].row_tools(instance)
        context["toolbar_label"] = messages.ROW_ACTIONS_LABEL % {"name": instance.name}
        context["pinned_label"] = messages.PINNED_MARK if instance.pinned else ""
        return context


class PageColumn(BaseColumn):
    cell_template_name = "comments/admin/cells/page.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        table, page = parent_context["table"], instance.page
        context["page_edit_url"] = table.url("page_edit", instance.page_id)
        if page.live and instance.status == CommentStatus.APPROVED:
            context["comment_url"] = table.page_url(page)
        return context


class ReportsColumn(BaseColumn):
    """Readers' open reports of the comment: how many, and why (empty when none)."""

    cell_template_name = "comments/admin/cells/reports.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["reports"] = parent_context["table"].open_reports.get(instance.pk)
        return context


class SubmittedColumn(BaseColumn):
    cell_template_name = "comments/admin/cells/submitted.html"


def spam_verdict_label(comment: Comment) -> str:
    """What the spam services said, for moderators: "Akismet: spam, 14:02" (the day too when
    it was not today), "Akismet: checking" while they are asked; "" when none was."""
    if not comment.spam_verdict:
        return ""
    words = {
        "service": comment.spam_verdict_by or messages.SPAM_SERVICE,
        "verdict": SpamVerdict(comment.spam_verdict).label,
    }
    if comment.spam_verdict_at is None:
        return messages.SPAM_VERDICT_CHECKING % words
    answered = timezone.localtime(comment.spam_verdict_at)
    today = answered.date() == timezone.localdate()
    words["time"] = date_format(answered, "H:i" if today else "j M Y, H:i")
    return messages.SPAM_VERDICT % words


class StatusColumn(BaseColumn):
    """The status, and under it the spam services' verdict when they were asked."""

    cell_template_name = "comments/admin/cells/status.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["spam_verdict_label"] = spam_verdict_label(instance)
        return context


class KnownCountPaginator(WagtailPaginator):
    """Wagtail's paginator, told the total when the status counts already hold it, and
    otherwise counting at most ``count_limit`` + 1 rows: past the limit the listing says
    "more than" it and offers its pages up to it (a search of a word every comment has
    would otherwise count a million rows, for seconds, on every page of the results)."""

    def __init__(
        self, *args, count: int | None = None, count_limit: int | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.count_is_capped = False
        if count is not None:
            self.count = count  # a cached_property: this skips counting

    @cached_property
    def count(self) -> int:
        if not self.count_limit or not hasattr(self.object_list, "query"):
            return super().count
        found = self.object_list[: self.count_limit + 1].count()
        if found > self.count_limit:
            self.count_is_capped = True
            return self.count_limit
        return found

    @property
    def count_limit_text(self) -> str:
        return number_format(self.count_limit or 0, force_grouping=True)

    @cached_property
    def items_count_label(self) -> str:
        if self.count_is_capped:
            return messages.MORE_THAN_COMMENTS % {"count": self.count_limit_text}
        return super().items_count_label
