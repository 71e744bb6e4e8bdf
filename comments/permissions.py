"""Who may moderate: holders of ``comments.moderate_comment`` (the app's own "Comment
moderators" group, created by migration 0003, or a user given it directly), and superusers.
Nobody adds reader comments from the admin; moderators reply instead."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

MODERATE_PERMISSION = "comments.moderate_comment"
MODERATE_CODENAME = "moderate_comment"
MODERATORS_GROUP = "Comment moderators"  # created by migration 0003


def can_moderate(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


def comment_moderators() -> QuerySet:
    """Active users granted the permission, through a group or directly: the people e-mailed
    about held comments. Superusers may moderate too, but are not e-mailed for being one."""
    granted = {"content_type__app_label": "comments", "codename": MODERATE_CODENAME}
    through_group = Q(**{f"groups__permissions__{key}": value for key, value in granted.items()})
    directly = Q(**{f"user_permissions__{key}": value for key, value in granted.items()})
    user_model = get_user_model()
    return user_model.objects.filter(
        pk__in=user_model.objects.filter(through_group | directly).values("pk"), is_active=True
    )


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
        return self._get_users_with_any_permission_codenames([MODERATE_CODENAME])
