"""The block list in the admin (Comments → Block list), for comment moderators only.

A Wagtail ``ModelViewSet`` over ``BlockEntry``; the values are checked by the model's
``clean()`` (an address, an IPv4/IPv6 network, a name pattern) and applied to new comments
by ``spam.check_block_list``. The commenter history screen links to its "add" view with the
e-mail address or IP filled in (``?kind=email&value=...``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import BlockEntry, BlockKind
from .permissions import MODERATE_CODENAME, can_moderate

VALUE_MAX_LENGTH = BlockEntry._meta.get_field("value").max_length


class BlockListPermissionPolicy(ModelPermissionPolicy):
    """Whoever may moderate comments may list, add, change and delete entries; nobody else."""

    def user_has_permission(self, user, action: str) -> bool:
        return can_moderate(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return can_moderate(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return can_moderate(user)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return can_moderate(user)

    def users_with_any_permission(self, actions):
        return self._get_users_with_any_permission_codenames([MODERATE_CODENAME])


def block_url(kind: str, value: str) -> str:
    """The block list's "add" screen with the entry filled in (the moderator confirms it)."""
    query = urlencode({"kind": kind, "value": value})
    return f"{reverse('comment_block_list:add')}?{query}"


class BlockEntryCreateView(CreateView):
    def get_initial_form_instance(self):
        kind = self.request.GET.get("kind", "")
        if kind not in BlockKind.values:
            return None
        return BlockEntry(kind=kind, value=self.request.GET.get("value", "")[:VALUE_MAX_LENGTH])

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class BlockListViewSet(ModelViewSet):
    model = BlockEntry
    name = "comment_block_list"
    url_namespace = "comment_block_list"
    url_prefix = "comment-block-list"
    icon = "cross"
    menu_label = _("Comment block list")
    add_to_settings_menu = True
    add_view_class = BlockEntryCreateView
    form_fields = ["kind", "value", "action", "expires", "reason"]
    list_display = [
        "value",  # the first column links to the entry's edit screen
        Column("kind", label=_("Block by"), accessor="get_kind_display"),
        Column("action", label=_("Action"), accessor="get_action_display"),
        "reason",
        DateColumn("expires", label=_("Expires")),
        DateColumn("created", label=_("Created")),
    ]
    list_filter = ["kind", "action"]
    search_fields = ["value", "reason"]
    search_backend_name = None
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
