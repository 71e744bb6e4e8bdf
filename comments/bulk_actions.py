"""Bulk moderation on the queue's selected rows; each goes through ``apply_action``.

Permanent deletion reuses Wagtail's snippet delete bulk action, which the permission policy
limits to comments in Spam and the Bin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_list_or_404
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages as admin_messages
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from . import messages
from .admin_listing import queue_queryset
from .models import Comment
from .moderation import ACTIONS, apply_action
from .permissions import can_moderate, may_moderate_page
from .reasons import ModerationReasonForm


class ModeratorsOnlyMixin:
    """Editors without the permission get 403, not a page listing what they cannot touch."""

    models = [Comment]

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_all_objects_in_listing_query(self, parent_id):
        # Wagtail's bulk bar sends the listing's query with "all": the queue as filtered
        # (one commenter's comments, say), never every comment.
        return queue_queryset(self.request).values_list("pk", flat=True)

    @classmethod
    def get_queryset(cls, model, object_ids):
        # A comment is named after its article (Wagtail's delete confirmation lists them).
        return get_list_or_404(model.objects.select_related("page"), pk__in=object_ids)

    def prepare_action(self, objects, objects_without_access):
        # Selected comments outside the moderator's sections are left alone, and they are told.
        user = self.request.user
        outside = [
            comment
            for comment in objects_without_access["items_with_no_access"]
            if not may_moderate_page(user, comment.page)
        ]
        if skipped := len(outside):
            admin_messages.warning(
                self.request, messages.OUTSIDE_SECTIONS_SKIPPED % {"count": skipped}
            )


class CommentDeleteBulkAction(ModeratorsOnlyMixin, DeleteBulkAction):
    """Wagtail's snippet delete, limited to moderators; the policy allows it from Spam and Bin."""

    aria_label = gettext_lazy("Delete selected comments permanently")


class CommentBulkAction(ModeratorsOnlyMixin, SnippetBulkAction):
    template_name = "comments/admin/confirm_bulk_action.html"
    moderation_action_name = ""

    @property
    def moderation_action(self):
        return ACTIONS[self.moderation_action_name]

    def check_perm(self, comment) -> bool:
        # Outside the moderator's sections: listed as not theirs, left alone.
        return can_moderate(self.request.user) and may_moderate_page(
            self.request.user, comment.page
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.moderation_action
        context["action"] = action
        context["skipped"] = [
            item for item in context["items"] if not action.applies_to(item["item"].status)
        ]
        return context

    def get_execution_context(self) -> dict:
        context = {**super().get_execution_context(), "user": self.request.user}
        if isinstance(self.cleaned_form, ModerationReasonForm):
            context["reason"] = self.cleaned_form.log_data()
        return context

    @classmethod
    def execute_action(cls, objects, user=None, reason=None, **kwargs):
        action = ACTIONS[cls.moderation_action_name]
        moved = apply_action(action, [c.pk for c in objects], user, reason)
        return len(moved), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return self.moderation_action.done_many % {"count": num_parent_objects}


def _selected_comments_label_now(action_label: str) -> str:
    return _("%(action)s selected comments") % {"action": action_label}


# Built at import, read in the moderator's language: translated when shown, not before.
_selected_comments_label = lazy(_selected_comments_label_now, str)


def _bulk_action(name: str, priority: int) -> type[CommentBulkAction]:
    action = ACTIONS[name]
    return type(
        f"{name.title().replace('_', '')}CommentsBulkAction",
        (CommentBulkAction,),
        {
            "display_name": action.label,
            "action_type": f"comments-{name.replace('_', '-')}",
            "aria_label": _selected_comments_label(action.label),
            "moderation_action_name": name,
            "action_priority": priority,
            # Spam, bin and unapprove ask for an optional reason (reasons.py).
            **({"form_class": ModerationReasonForm} if action.accepts_reason else {}),
        },
    )


MODERATION_BULK_ACTIONS = [
    _bulk_action(name, priority)
    for priority, name in enumerate(
        ["approve", "unapprove", "spam", "not_spam", "trash", "restore"], start=10
    )
]

BULK_ACTIONS = [*MODERATION_BULK_ACTIONS, CommentDeleteBulkAction]
