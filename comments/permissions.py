"""Who may moderate: holders of ``comments.moderate_comment`` (the Moderators group), and
superusers. Nobody adds reader comments from the admin; moderators reply instead."""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

MODERATE_PERMISSION = "comments.moderate_comment"


def can_moderate(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


class CommentPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action: str) -> bool:
        if action == "add":
            return False
        return can_moderate(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        # Permanent deletion only from Spam and Bin, as in WordPress.
        if action == "delete" and instance.status not in ("spam", "trash"):
            return False
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return self.auth_model.objects.none() if hasattr(self, "auth_model") else []
        return self._get_users_with_any_permission_codenames(["moderate_comment"])
