"""The moderation queue: Wagtail's snippet listing (for its bulk actions) over reader comments.

The listing's pieces (filters, table, columns, paginator) live in ``admin_listing``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.models import ModelLogEntry
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
    UsageView,
)

from . import admin_views, messages
from .admin_listing import (
    COMMENTER_PARAMS,
    AuthorColumn,
    CommentFilterSet,
    CommentTable,
    ExcerptColumn,
    KnownCountPaginator,
    MatchingIds,
    PageColumn,
    ReportsColumn,
    StatusColumn,
    SubmittedColumn,
    excerpt_of,
    limited_ids,
    search_condition,
    spam_verdict_label,
)
from .commenters import commenter_history, commenter_status_counts, comments_from
from .conf import app_setting
from .models import Comment, CommentReport, CommentStatus
from .moderation import (
    announce_change,
    apply_action,
    moves_between,
    pending_count,
    status_counts,
)
from .permissions import (
    CommentPermissionPolicy,
    can_moderate,
    may_moderate_page,
    moderatable_comments,
    moderatable_condition,
)
from .queue_shortcuts import queue_script_config
from .sanitize import sanitize_comment

# How many of a comment's log entries its own screen shows beside the form.
EDIT_VIEW_HISTORY_SHOWN = 10

STATUS_TABS = [
    ("", _("All")),
    (CommentStatus.PENDING, _("Pending")),
    (CommentStatus.APPROVED, _("Approved")),
    (CommentStatus.SPAM, _("Spam")),
    (CommentStatus.TRASH, _("Bin")),
]


# What the "Reported" tab's ?reported= takes as yes (Django's NullBooleanSelect reads these).
REPORTED_VALUES = frozenset({"true", "1", "2"})


def reported_comments_count(user=None) -> int:
    """Comments with at least one open report: one COUNT(DISTINCT) over the open reports
    (of the comments in the moderator's sections, given one)."""
    reports = CommentReport.objects.open()
    if user is not None:
        reports = reports.filter(moderatable_condition(user, "comment__page__path"))
    return reports.values("comment_id").distinct().count()


class CommentIndexView(IndexView):
    paginator_class = KnownCountPaginator
    table_class = CommentTable

    @cached_property
    def commenter(self) -> dict[str, str]:
        """``?email=`` and/or ``?ip=``: the queue narrowed to one commenter (linked from
        their history screen); its tabs then count and keep that commenter's comments."""
        return {
            key: self.request.GET[key].strip()
            for key in COMMENTER_PARAMS
            if self.request.GET.get(key, "").strip()
        }

    @cached_property
    def counts_by_status(self) -> dict[str, int]:
        """Counted once for the request: the tabs, the paginator and the menu label read it."""
        if self.commenter:
            return commenter_status_counts(
                moderatable_comments(self.request.user, comments_from(**self.commenter))
            )
        return status_counts(self.request)

    @cached_property
    def reported_count(self) -> int:
        """The "Reported" tab's number, counted once; 0 spares the table its reports query."""
        return reported_comments_count(self.request.user)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "any_open_reports": self.reported_count > 0}

    def get_base_queryset(self):
        # The pages come in a second query: joined, PostgreSQL may read every comment of the
        # status and sort them rather than walk an index for the newest twenty.
        queryset = moderatable_comments(
            self.request.user, super().get_base_queryset().prefetch_related("page")
        )
        if not self.request.GET.get("status") and not self.commenter:
            # "All" is everything a moderator still deals with, as in WordPress; one
            # commenter's "All" is everything they sent.
            queryset = queryset.exclude(status__in=[CommentStatus.SPAM, CommentStatus.TRASH])
        return queryset

    def all_count(self) -> int:
        counts = self.counts_by_status
        if self.commenter:
            return sum(counts.values())
        return counts[CommentStatus.PENDING] + counts[CommentStatus.APPROVED]

    def search_queryset(self, queryset):
        """Wagtail's search (any search field contains the query, whatever the case), with the
        matches collected first (see ``MatchingIds``), up to the exact count limit; a search
        that matches more (a word every comment has) lists them newest first as they come."""
        if not self.is_searching:
            return queryset
        condition = search_condition(self.search_fields, self.search_query)
        limit = app_setting("ADMIN_EXACT_COUNT_LIMIT")
        if not limit:
            return queryset.filter(MatchingIds(Comment.objects.filter(condition)))
        ids = limited_ids(Comment.objects.filter(condition), limit)
        if ids is None:
            return queryset.filter(condition)
        return queryset.filter(pk__in=ids)

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(
            queryset,
            per_page,
            count=self.known_count(),
            count_limit=app_setting("ADMIN_EXACT_COUNT_LIMIT"),
            **kwargs,
        )

    def known_count(self) -> int | None:
        """The listing's total, read from the status counts when only the status narrows it
        (not searching, no page or date filter); None when it has to be counted."""
        if self.is_searching or not (self.filters and self.filters.is_valid()):
            return None
        chosen = self.filters.form.cleaned_data
        dates = chosen.get("created")
        if chosen.get("page") or (dates and (dates.start or dates.stop)):
            return None
        if chosen.get("reported") is not None:
            return None
        counts = self.counts_by_status
        if status := chosen.get("status"):
            return counts[status]
        return self.all_count()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        paginator = context.get("paginator")
        if getattr(paginator, "count_is_capped", False):
            context["more_than_matches"] = messages.MORE_THAN_MATCHES % {
                "count": paginator.count_limit_text
            }
        counts = self.counts_by_status
        active = self.request.GET.get("status", "")
        reported = self.request.GET.get("reported", "").lower() in REPORTED_VALUES
        all_count = self.all_count()
        context["status_tabs"] = [
            {
                "status": status,
                "label": label,
                "count": counts.get(status, all_count) if status else all_count,
                "active": status == active and not reported,
                "url": admin_views.index_url(status=status, **self.commenter),
            }
            for status, label in STATUS_TABS
        ]
        # After "Pending": the comments readers reported, whatever their status.
        context["status_tabs"].insert(
            2,
            {
                "status": "reported",
                "label": messages.REPORTED_TAB,
                "count": self.reported_count,
                "active": reported and not active,
                "url": admin_views.index_url(reported="true", **self.commenter),
            },
        )
        if self.commenter:
            who = " · ".join(self.commenter.values())
            context["commenter_heading"] = messages.COMMENTER_FILTERED % {"who": who}
            context["show_every_commenter"] = messages.COMMENTER_SHOW_ALL
        # Where a row action returns to: this listing as filtered, even when only the results
        # were fetched (Wagtail's filters reload them from the results URL).
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        context["return_url"] = f"{self.index_url}?{query.urlencode()}" if query else self.index_url
        context.update(
            status_tabs_label=messages.COMMENT_STATUS_TABS,
            queue_region_label=messages.QUEUE_REGION,
            keyboard_shortcuts_label=messages.KEYBOARD_SHORTCUTS,
            skip_to_comments=messages.SKIP_TO_COMMENTS,
            select_all_in_listing=messages.SELECT_ALL_IN_LISTING,
            queue_script_config=queue_script_config(),
        )
        context["empty_actions"] = (
            [("spam", _("Empty spam"))] if active == CommentStatus.SPAM and counts["spam"] else []
        ) + (
            [("trash", _("Empty bin"))] if active == CommentStatus.TRASH and counts["trash"] else []
        )
        return context


class CommentAdminForm(WagtailAdminModelForm):
    """Editing a comment re-sanitises its body: only sanitised HTML is ever shown."""

    def save(self, commit: bool = True):
        comment = super().save(commit=False)
        comment.body_html = sanitize_comment(comment.body)
        if comment.status != CommentStatus.APPROVED:
            comment.pinned = False  # readers no longer see it: no longer the pick
        if commit:
            comment.save()
            announce_change("edit", [comment.page_id])
        return comment


class InScopeMixin:
    """A comment outside the moderator's sections answers 403, as one they may not touch."""

    def get_object(self, *args, **kwargs):
        comment = super().get_object(*args, **kwargs)
        if not may_moderate_page(self.request.user, comment.page):
            raise PermissionDenied
        return comment


class CommentHistoryView(InScopeMixin, HistoryView):
    pass


class CommentUsageView(InScopeMixin, UsageView):
    pass


class CommentEditView(InScopeMixin, EditView):
    """The comment's own screen: its form, and beside it what a moderator needs to decide
    (when, where, in reply to what, from where) and what has been done with it."""

    def get_queryset(self):
        return super().get_queryset().select_related("page", "parent")

    def get_success_message(self, instance=None):
        return _("Comment by %(name)s updated.") % {"name": (instance or self.object).name}

    def save_instance(self):
        """A status changed on this screen moves the comment as the queue's actions do
        (``apply_action``: logged, announced to caches and webhooks, reported to the spam
        services), after the other fields are saved as the form has them."""
        comment = self.form.instance
        before = self.form.initial.get("status")
        moves = moves_between(before, comment.status) if before else []
        if not moves:
            return super().save_instance()
        with transaction.atomic():
            comment.status = before
            instance = super().save_instance()
            for action in moves:
                apply_action(action, [instance.pk], self.request.user)
        instance.refresh_from_db()
        return instance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        page = comment.page
        parent = comment.parent
        context.update(
            comment=comment,
            page_url=page.url if page.live else None,
            page_edit_url=reverse("wagtailadmin_pages:edit", args=[comment.page_id]),
            parent_excerpt=excerpt_of(parent.body_html) if parent else "",
            parent_edit_url=reverse("reader_comments:edit", args=[parent.pk]) if parent else "",
            commenter_url=reverse("reader_comments:commenter", args=[comment.pk]),
            block_badge=(
                messages.BLOCKED_BADGE % {"reason": comment.block_mark}
                if comment.block_mark
                else ""
            ),
            log_entries=list(
                ModelLogEntry.objects.for_instance(comment)
                .select_related("user")
                .order_by("-timestamp", "-pk")[:EDIT_VIEW_HISTORY_SHOWN]
            ),
            comment_labels=messages,
            spam_verdict_label=spam_verdict_label(comment),
            open_reports=list(comment.reports.open().order_by("created", "pk")),
        )
        return context


class CommentDeleteView(InScopeMixin, DeleteView):
    """Permanent deletion only from Spam and the Bin (the policy decides per comment)."""

    def get_object(self, queryset=None):
        comment = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", comment
        ):
            raise PermissionDenied
        return comment


class CommentMenuItem(MenuItem):
    """Shown to moderators only, with the pending count after the label (Wagtail has no badge
    API); on the queue itself the count comes from the listing's status counts."""

    def is_shown(self, request) -> bool:
        return can_moderate(request.user)

    def render_component(self, request):
        count = pending_count(request)
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class CommentViewSet(SnippetViewSet):
    model = Comment
    name = "reader_comments"
    url_namespace = "reader_comments"
    url_prefix = "comments"
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    menu_item_class = CommentMenuItem
    index_view_class = CommentIndexView
    index_template_name = "comments/admin/index.html"
    index_results_template_name = "comments/admin/index_results.html"
    edit_view_class = CommentEditView
    edit_template_name = "comments/admin/edit.html"
    delete_view_class = CommentDeleteView
    history_view_class = CommentHistoryView
    usage_view_class = CommentUsageView
    filterset_class = CommentFilterSet
    list_display = [
        AuthorColumn("author", label=_("Author")),
        ExcerptColumn("excerpt", label=_("Comment")),
        PageColumn("page", label=_("In response to")),
        ReportsColumn("reports", label=messages.REPORTS_COLUMN),
        SubmittedColumn("created", label=_("Submitted"), sort_key="created"),
        StatusColumn("status", label=_("Status")),
    ]
    list_per_page = 20
    ordering = ["-created", "-pk"]
    search_fields = ["name", "email", "website", "body", "ip_address"]
    search_backend_name = None
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
            FieldPanel("website"),
            FieldPanel("body"),
            FieldPanel("status"),
        ],
        base_form_class=CommentAdminForm,
    )

    @cached_property
    def permission_policy(self):
        return CommentPermissionPolicy(self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("moderate/<int:pk>/<str:action_name>/", admin_views.moderate, name="moderate"),
            path("pin/<int:pk>/", admin_views.pin, name="pin"),
            path("unpin/<int:pk>/", admin_views.pin, {"pinned": False}, name="unpin"),
            path("reply/<int:pk>/", admin_views.reply, name="reply"),
            path("empty/<str:status>/", admin_views.empty_status, name="empty"),
            path("privacy/", admin_views.privacy_tools, name="privacy"),
            path("commenter/<int:pk>/", commenter_history, name="commenter"),
        ]
