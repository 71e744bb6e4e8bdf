"""Nothing granted silently: the app's own "Comment moderators" group moderates and is
e-mailed; Wagtail's page "Moderators" get nothing from installing the app, and a site that
had given them comment moderation (the first migration 0003 did) keeps its people moderating."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core import mail

from comments.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

upgrade = importlib.import_module("comments.migrations.0009_comment_moderators_group")


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def moderate_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")


def codenames(group: Group) -> set[str]:
    return set(group.permissions.values_list("codename", flat=True))


def test_migrations_give_comment_moderation_to_the_apps_own_group_only():
    assert {"moderate_comment", "access_admin"} <= codenames(
        Group.objects.get(name="Comment moderators")
    )
    assert list(moderate_permission().group_set.values_list("name", flat=True)) == [
        "Comment moderators"
    ]
    assert "moderate_comment" not in codenames(Group.objects.get(name="Moderators"))


def test_a_wagtail_page_moderator_neither_moderates_nor_hears_of_held_comments(
    commented_page, post_comment, client, django_capture_on_commit_callbacks
):
    page_moderator = User.objects.create_user("pages", email="pages@example.com", password="pw")
    page_moderator.groups.add(Group.objects.get(name="Moderators"))

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page)

    assert Comment.objects.get().status == CommentStatus.PENDING
    assert all("pages@example.com" not in message.to for message in mail.outbox)
    client.force_login(page_moderator)
    refused = client.get("/admin/comments/")  # Wagtail's "permission denied": back to the dashboard
    assert (refused.status_code, refused.url) == (302, "/admin/")


def test_held_comments_are_emailed_to_users_given_the_permission_directly(
    commented_page, post_comment, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("direct", email="direct@example.com")
    user.user_permissions.add(moderate_permission())
    User.objects.create_superuser("boss", email="boss@example.com", password="pw")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(commented_page)

    assert [message.to for message in mail.outbox] == [["direct@example.com"]]


def old_install() -> tuple[Group, User, User]:
    """The state the first 0003 left: Wagtail's "Moderators" held the permission, and the
    app's own group did not exist yet."""
    Group.objects.filter(name="Comment moderators").delete()
    moderators = Group.objects.get(name="Moderators")
    moderators.permissions.add(moderate_permission())
    first = User.objects.create_user("first", email="first@example.com")
    second = User.objects.create_user("second", email="second@example.com")
    moderators.user_set.add(first, second)
    return moderators, first, second


def test_upgrade_keeps_the_old_moderators_moderating_through_the_new_group():
    moderators, first, second = old_install()

    upgrade.move_comment_moderators(apps, schema_editor=None)

    group = Group.objects.get(name="Comment moderators")
    assert {"moderate_comment", "access_admin"} <= codenames(group)
    assert set(group.user_set.all()) == {first, second}
    assert "moderate_comment" not in codenames(moderators)
    assert set(moderators.user_set.all()) == {first, second}  # still page moderators
    first = User.objects.get(pk=first.pk)  # a fresh permission cache
    assert first.has_perm("comments.moderate_comment")
    later = User.objects.create_user("later")
    later.groups.add(moderators)
    assert not later.has_perm("comments.moderate_comment")


def test_upgrade_adds_nobody_when_moderators_never_held_the_permission():
    Group.objects.filter(name="Comment moderators").delete()
    User.objects.create_user("pages").groups.add(Group.objects.get(name="Moderators"))

    upgrade.move_comment_moderators(apps, schema_editor=None)

    assert not Group.objects.get(name="Comment moderators").user_set.exists()


def test_upgrade_run_twice_changes_nothing_more():
    _, first, second = old_install()
    upgrade.move_comment_moderators(apps, schema_editor=None)
    upgrade.move_comment_moderators(apps, schema_editor=None)
    assert set(Group.objects.get(name="Comment moderators").user_set.all()) == {first, second}
