"""Only moderators reach the queue: editors without the permission get 403 everywhere."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, get_resolver, reverse

from comments.bulk_actions import BULK_ACTIONS
from comments.models import BlockEntry, BlockKind, Comment, CommenterNote, CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    editors = Group.objects.get(name="Editors")  # Wagtail's default group: admin access, pages
    user = django_user_model.objects.create_user("ed", password="pw")
    user.groups.add(editors)
    assert not user.has_perm("comments.moderate_comment")
    client.force_login(user)
    return client


def namespace_urls(namespace, values):
    """Every URL registered in one of the admin's URL namespaces, filled in from ``values``."""
    resolver = get_resolver()
    namespace_resolver = None
    for pattern in resolver.url_patterns:
        for inner in getattr(pattern, "url_patterns", None) or []:
            if getattr(inner, "namespace", None) == namespace:
                namespace_resolver = inner
    assert namespace_resolver is not None, namespace
    urls = []
    for entry in namespace_resolver.url_patterns:
        assert isinstance(entry, URLPattern)
        kwargs = {key: values.get(key, values["pk"]) for key in entry.pattern.converters}
        urls.append(reverse(f"{namespace}:{entry.name}", kwargs=kwargs))
    return urls


def comment_admin_urls(comment):
    """Every URL the comments app registers in the admin (the queue, the commenter history,
    the block list), filled in for one comment and one block list entry."""
    entry = BlockEntry.objects.create(kind=BlockKind.EMAIL, value="spammer@example.com")
    urls = namespace_urls(
        "reader_comments", {"pk": comment.pk, "action_name": "approve", "status": "spam"}
    )
    urls += namespace_urls("comment_block_list", {"pk": entry.pk})
    urls += [
        f"/admin/bulk/comments/comment/{action.action_type}/?id={comment.pk}"
        for action in BULK_ACTIONS
    ]
    return urls


def test_every_comment_admin_url_refuses_editors_without_permission(commented_page, editor_client):
    comment = make_comment(commented_page, status=CommentStatus.SPAM)
    urls = comment_admin_urls(comment)
    assert len(urls) >= 20
    assert reverse("reader_comments:commenter", args=[comment.pk]) in urls
    assert reverse("comment_block_list:add") in urls
    for url in urls:
        for method in ("get", "post"):
            response = getattr(editor_client, method)(url)
            assert response.status_code in (403, 302), (method, url, response.status_code)
            if response.status_code == 302:
                assert (
                    response["Location"] in ("/admin/", "/admin/login/")
                    or "login" in response["Location"]
                ), url
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    assert Comment.objects.count() == 1
    # Nothing was written: no note, the block list entry untouched.
    assert not CommenterNote.objects.exists()
    assert list(BlockEntry.objects.values_list("value", flat=True)) == ["spammer@example.com"]


def test_anonymous_readers_are_sent_to_login(commented_page, client):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    for url in comment_admin_urls(comment):
        response = client.post(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_editor_sees_no_menu_item_and_no_dashboard_panel(commented_page, editor_client):
    make_comment(commented_page, status=CommentStatus.PENDING)
    html = editor_client.get("/admin/").content.decode()
    assert "pending-comments" not in html
    assert '"name": "comments"' not in html and "/admin/comments/" not in html
    assert "/admin/comment-block-list/" not in html


def test_granting_the_permission_opens_the_queue(commented_page, editor_client, django_user_model):
    user = django_user_model.objects.get(username="ed")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    assert editor_client.get("/admin/comments/").status_code == 200
