"""Registers the comments admin with Wagtail; the pieces live in their own modules."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import messages
from .admin_views import REPLY_LOG_ACTION
from .block_list import BlockListPermissionPolicy, BlockListViewSet
from .bulk_actions import BULK_ACTIONS
from .models import BlockEntry, Comment, CommentStatus, WebhookDelivery
from .moderation import ACTIONS, LOG_ACTION
from .moderation_sections import ModerationSectionFormSet
from .page_cache import CommentSectionHole, JsonLdHole
from .panels import PendingCommentsPanel
from .permissions import CommentPermissionPolicy, can_moderate
from .pinning import PIN_LOG_ACTION
from .reasons import reason_label
from .views import AUTHOR_LOG_ACTION
from .viewsets import CommentViewSet
from .webhook_admin import (
    DeliveryLogPermissionPolicy,
    WebhookDeliveryViewSet,
    WebhookEndpointViewSet,
)

register_permission_policy(Comment, CommentPermissionPolicy(Comment))
register_snippet(CommentViewSet)
register_permission_policy(WebhookDelivery, DeliveryLogPermissionPolicy(WebhookDelivery))
register_permission_policy(BlockEntry, BlockListPermissionPolicy(BlockEntry))


@hooks.register("register_admin_viewset")
def register_webhook_viewsets() -> list:
    """Settings > Webhooks and Settings > Webhook deliveries."""
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]


@hooks.register("register_admin_viewset")
def register_block_list() -> BlockListViewSet:
    return BlockListViewSet()


# Registered after Wagtail's own snippet actions so that the comment-specific delete wins.
for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action, order=100)


@hooks.register("register_group_permission_panel")
def register_moderation_sections_panel() -> type:
    """Settings > Groups: the sections of the page tree a moderators group is limited to."""
    return ModerationSectionFormSet


@hooks.register("register_page_cache_hole")
def comment_section_hole() -> CommentSectionHole:
    """For a page cache (the site's ``pagecache`` app): the section filled in per request."""
    return CommentSectionHole()


@hooks.register("register_page_cache_hole")
def comments_json_ld_hole() -> JsonLdHole:
    """For a page cache: the JSON-LD's comment count and comments, filled in per request."""
    return JsonLdHole()


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels) -> None:
    if can_moderate(request.user):
        panels.append(PendingCommentsPanel(request))


# A moderation log entry's "to" when the comment was deleted permanently (see moderation.py).
DELETED_LABEL = _("Deleted")


def _status_label(value: str) -> str:
    if value == "deleted":
        return str(DELETED_LABEL)
    return str(CommentStatus(value).label) if value in CommentStatus.values else value


@hooks.register("register_log_actions")
def register_comment_log_actions(actions) -> None:
    @actions.register_action(LOG_ACTION)
    class ModerationFormatter(LogFormatter):
        label = _("Moderate comment")

        def format_message(self, log_entry) -> str:
            data = log_entry.data
            action = ACTIONS.get(data.get("action"))
            move = _("%(action)s: %(from)s → %(to)s") % {
                "action": action.label if action else data.get("action", ""),
                "from": _status_label(data.get("from", "")),
                "to": _status_label(data.get("to", "")),
            }
            if service := data.get("service"):
                move = f"{move} · {messages.DECIDED_BY_SERVICE % {'service': service}}"
            if data.get("unpinned"):
                move = f"{move} · {messages.UNPINNED_IN_HISTORY}"
            if reason := reason_label(data):
                return f"{move} · {messages.REASON_IN_HISTORY % {'reason': reason}}"
            return move

    @actions.register_action(PIN_LOG_ACTION)
    class PinFormatter(LogFormatter):
        label = messages.PIN_LOG_LABEL

        def format_message(self, log_entry) -> str:
            if log_entry.data.get("change") == "pin":
                return str(messages.PINNED_IN_HISTORY)
            return str(messages.UNPINNED_IN_HISTORY)

    actions.register_action(
        AUTHOR_LOG_ACTION, _("Changed by its author"), _("Edited or deleted by its author")
    )
    actions.register_action(REPLY_LOG_ACTION, _("Reply to comment"), _("Replied as the site"))
