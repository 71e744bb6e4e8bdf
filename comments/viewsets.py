"""The moderation queue: Wagtail's snippet listing (for its bulk actions) over reader comments."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.middleware.csrf import get_token
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, SnippetViewSet

from . import admin_views
from .models import Comment, CommentStatus
from .moderation import ACTIONS, announce_change, pending_count, status_counts
from .permissions import CommentPermissionPolicy, can_moderate
from .sanitize import sanitize_comment

# Which one-click actions a row offers in each status, as WordPress's Comments screen does.
ROW_ACTIONS = {
    CommentStatus.PENDING: ["approve", "spam", "trash"],
    CommentStatus.APPROVED: ["unapprove", "spam", "trash"],
    CommentStatus.SPAM: ["not_spam", "delete"],
    CommentStatus.TRASH: ["restore", "delete"],
}
STATUS_TABS = [
    ("", _("All")),
    (CommentStatus.PENDING, _("Pending")),
    (CommentStatus.APPROVED, _("Approved")),
    (CommentStatus.SPAM, _("Spam")),
    (CommentStatus.TRASH, _("Bin")),
]


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CommentStatus.choices, empty_label=_("All but spam and bin")
    )
    page = django_filters.ModelChoiceFilter(
        label=_("In response to"),
        # EXISTS per page uses the (page, status, created) index; a DISTINCT over every
        # comment would scan the whole table on each listing view.
        queryset=lambda request: Page.objects.filter(
            Exists(Comment.objects.filter(page_id=OuterRef("pk")))
        ).order_by("title"),
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Submitted"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields = ["status", "page", "created"]


class AuthorColumn(Column):
    cell_template_name = "comments/admin/cells/author.html"


class ExcerptColumn(Column):
    """The comment's start, with WordPress-style one-click row actions under it."""

    cell_template_name = "comments/admin/cells/excerpt.html"
    excerpt_words = 30

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context["excerpt"] = Truncator(strip_tags(instance.body_html)).words(self.excerpt_words)
        context["actions"] = [
            (ACTIONS[name], reverse("reader_comments:moderate", args=[instance.pk, name]))
            for name in ROW_ACTIONS[instance.status]
        ]
        context["csrf_token"] = get_token(request)
        context["next"] = request.get_full_path()
        return context


class PageColumn(Column):
    cell_template_name = "comments/admin/cells/page.html"


class SubmittedColumn(Column):
    cell_template_name = "comments/admin/cells/submitted.html"


class CommentIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("page")
        if not self.request.GET.get("status"):
            # "All" is everything a moderator still deals with, as in WordPress.
            queryset = queryset.exclude(status__in=[CommentStatus.SPAM, CommentStatus.TRASH])
        return queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status in (CommentStatus.PENDING, CommentStatus.APPROVED):
            buttons.append(
                ListingButton(
                    _("Reply"),
                    url=reverse("reader_comments:reply", args=[instance.pk]),
                    icon_name="comment",
                    priority=15,
                )
            )
        buttons.append(
            ListingButton(
                _("History"),
                url=reverse("reader_comments:history", args=[instance.pk]),
                icon_name="history",
                priority=40,
            )
        )
        return buttons

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = status_counts()
        active = self.request.GET.get("status", "")
        all_count = counts[CommentStatus.PENDING] + counts[CommentStatus.APPROVED]
        context["status_tabs"] = [
            {
                "status": status,
                "label": label,
                "count": counts.get(status, all_count) if status else all_count,
                "active": status == active,
                "url": admin_views.index_url(status=status) if status else admin_views.index_url(),
            }
            for status, label in STATUS_TABS
        ]
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
        if commit:
            comment.save()
            announce_change("edit", [comment.page_id])
        return comment


class CommentEditView(EditView):
    def get_success_message(self, instance=None):
        return _("Comment by %(name)s updated.") % {"name": (instance or self.object).name}


class CommentDeleteView(DeleteView):
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
    API); the count is one indexed COUNT per admin page."""

    def is_shown(self, request) -> bool:
        return can_moderate(request.user)

    def render_component(self, request):
        count = pending_count()
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
    index_results_template_name = "comments/admin/index_results.html"
    edit_view_class = CommentEditView
    delete_view_class = CommentDeleteView
    filterset_class = CommentFilterSet
    list_display = [
        AuthorColumn("author", label=_("Author")),
        ExcerptColumn("excerpt", label=_("Comment")),
        PageColumn("page", label=_("In response to")),
        SubmittedColumn("created", label=_("Submitted"), sort_key="created"),
        Column("status", label=_("Status"), accessor="get_status_display"),
    ]
    list_per_page = 20
    ordering = ["-created", "-pk"]
    search_fields = ["name", "email", "website", "body"]
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
            path("reply/<int:pk>/", admin_views.reply, name="reply"),
            path("empty/<str:status>/", admin_views.empty_status, name="empty"),
            path("privacy/", admin_views.privacy_tools, name="privacy"),
        ]
