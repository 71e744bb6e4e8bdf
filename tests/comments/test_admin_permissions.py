"""Only moderators reach the queue: editors without the permission get 403 everywhere."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import URLPattern, get_resolver, reverse

from comments.bulk_actions import BULK_ACTIONS
from comments.models import Comment, CommentStatus
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


def comment_admin_urls(comment):
    """Every URL the comments app registers in the admin, filled in for one comment."""
    resolver = get_resolver()
    urls = []
    namespace_resolver = None
    for pattern in resolver.url_patterns:
        sub = getattr(pattern, "url_patterns", None)
        if sub is None:
            continue
        for inner in pattern.url_patterns:
            if getattr(inner, "namespace", None) == "reader_comments":
                namespace_resolver = inner
    assert namespace_resolver is not None
    for entry in namespace_resolver.url_patterns:
        assert isinstance(entry, URLPattern)
        params = entry.pattern.converters
        kwargs = {}
        for key in params:
            kwargs[key] = {"pk": comment.pk, "action_name": "approve", "status": "spam"}.get(
                key, comment.pk
            )
        urls.append(reverse(f"reader_comments:{entry.name}", kwargs=kwargs))
    urls += [
        f"/admin/bulk/comments/comment/{action.action_type}/?id={comment.pk}"
        for action in BULK_ACTIONS
    ]
    return urls


def test_every_comment_admin_url_refuses_editors_without_permission(commented_page, editor_client):
    comment = make_comment(commented_page, status=CommentStatus.SPAM)
    urls = comment_admin_urls(comment)
    assert len(urls) >= 15
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


def test_granting_the_permission_opens_the_queue(commented_page, editor_client, django_user_model):
    user = django_user_model.objects.get(username="ed")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    assert editor_client.get("/admin/comments/").status_code == 200
