"""Who may moderate: holders of ``comments.moderate_comment`` (the app's own "Comment
moderators" group, created by migration 0003, or a user given it directly), and superusers.
Nobody adds reader comments from the admin; moderators reply instead.

What they may moderate: everything, unless each group granting them the permission is
limited to sections of the page tree (``ModerationSection``); then the comments on pages
under those sections. The scope is a prefix of the page's tree path, so one query filters a
listing and a comment's own screen checks it without one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import Comment, ModerationSection

MODERATE_PERMISSION = "comments.moderate_comment"
MODERATE_CODENAME = "moderate_comment"
MODERATORS_GROUP = "Comment moderators"  # created by migration 0003


# Where a user's section paths are kept for the request (None: the whole site).
_SCOPE_ATTR = "_comment_moderation_paths"
_GRANTED = {"content_type__app_label": "comments", "codename": MODERATE_CODENAME}


def can_moderate(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MODERATE_PERMISSION))


def moderating_groups() -> QuerySet:
    """The groups granting the moderate permission."""
    return Group.objects.filter(**{f"permissions__{key}": value for key, value in _GRANTED.items()})


def section_paths(user) -> frozenset[str] | None:
    """The tree paths of the sections the user moderates; None when that is the whole site
    (a superuser, the permission given directly, or a moderators group with no sections).
    One query, kept on the user object for the request."""
    if user is None:  # no one to limit (a filter built outside a request)
        return None
    if not user.is_authenticated:  # moderates nothing
        return frozenset()
    if hasattr(user, _SCOPE_ATTR):
        return getattr(user, _SCOPE_ATTR)
    paths: frozenset[str] | None = None
    # The user's own permissions are cached by the auth backend once ``has_perm`` has run.
    if not user.is_superuser and MODERATE_PERMISSION not in user.get_user_permissions():
        rows = list(
            moderating_groups()
            .filter(user=user)
            .values_list("pk", "comment_moderation_sections__page__path")
        )
        if rows and all(path is not None for _pk, path in rows):
            paths = frozenset(path for _pk, path in rows)
    setattr(user, _SCOPE_ATTR, paths)
    return paths


def moderatable_comments(user, comments: QuerySet | None = None) -> QuerySet:
    """``comments`` (every comment by default) narrowed to the user's sections."""
    comments = Comment.objects.all() if comments is None else comments
    return comments.filter(moderatable_condition(user))


def moderatable_condition(user, path_field: str = "page__path") -> Q:
    """The user's scope as a condition on a page's tree path (``path_field``, a comment's
    page's by default): it starts with one of their sections' paths. Empty when they
    moderate everything."""
    paths = section_paths(user)
    if paths is None:
        return Q()
    condition = Q(pk__in=[])
    for path in sorted(paths):
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def may_moderate_page(user, page) -> bool:
    """Whether the page lies in the user's scope; no query once the scope is known."""
    paths = section_paths(user)
    return paths is None or any(page.path.startswith(path) for path in paths)


def comment_moderators(page=None) -> QuerySet:
    """Active users granted the permission, through a group or directly: the people e-mailed
    about held comments. Superusers may moderate too, but are not e-mailed for being one.

    Given the comment's page, only those whose scope includes it: a group with no sections,
    or one with a section at the page or above it (its path is a prefix of the page's)."""
    groups = moderating_groups()
    if page is not None:
        ancestors = [
            page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)
        ]
        limited = ModerationSection.objects.filter(group=OuterRef("pk"))
        groups = groups.filter(~Exists(limited) | Exists(limited.filter(page__path__in=ancestors)))
    through_group = Q(groups__in=groups)
    directly = Q(**{f"user_permissions__{key}": value for key, value in _GRANTED.items()})
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
        return self.user_has_permission(user, action) and may_moderate_page(user, instance.page)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "add"]
        if not actions:
            return self.auth_model.objects.none() if hasattr(self, "auth_model") else []
        return self._get_users_with_any_permission_codenames([MODERATE_CODENAME])
