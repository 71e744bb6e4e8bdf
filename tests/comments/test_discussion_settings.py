"""Settings > Discussion, per site, drives the reader's flow instead of constants."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Page, Site

from comments.addresses import make_confirm_token
from comments.models import Comment, CommentStatus, DiscussionSettings
from comments.tokens import AUTHOR_COOKIE
from tests.factories import make_comment
from tests.testapp.models import DiscussionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(db):
    def save(**fields):
        site = Site.objects.get(is_default_site=True)
        settings_row, _ = DiscussionSettings.objects.update_or_create(site=site, defaults=fields)
        return settings_row

    return save


def test_defaults_match_wordpress():
    row = DiscussionSettings()
    assert row.thread_depth == 5 and row.max_links == 2 and row.per_page == 50
    assert row.close_old_comments is False and row.close_after_days == 14
    assert row.approval_policy == "hold" and row.open_by_default is True


def test_settings_are_edited_in_the_admin(db, admin_client):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/comments/discussionsettings/{site.pk}/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert (
        b"Comment moderation keywords" in response.content
        or b"comment moderation keywords" in response.content
    )


def test_thread_depth_setting_limits_replies(discussion, commented_page, post_comment):
    discussion(thread_depth=2)
    top = make_comment(commented_page)
    child = make_comment(commented_page, parent=top)
    assert post_comment(commented_page, parent=str(child.pk)).status_code == 400


def test_per_page_and_order_settings(discussion, commented_page, client):
    discussion(per_page=1, order="newest")
    make_comment(commented_page, body="old")
    newer = make_comment(commented_page, body="new")
    soup = BeautifulSoup(client.get(commented_page.url).content, "html.parser")
    assert [a["id"] for a in soup.select("article.comment")] == [f"comment-{newer.pk}"]


def test_keywords_from_settings(discussion, commented_page, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    discussion(
        approval_policy="approve", moderation_keywords="hold me\n", disallowed_keywords="\nviagra\n"
    )
    post_comment(commented_page, body="please HOLD ME now")
    post_comment(commented_page, body="cheap viagra")
    post_comment(commented_page, body="fine words")
    assert dict(Comment.objects.values_list("body", "status")) == {
        "please HOLD ME now": "pending",
        "cheap viagra": "spam",
        "fine words": "approved",
    }


def test_links_before_holding_setting(discussion, commented_page, post_comment):
    discussion(approval_policy="approve", max_links=0)
    post_comment(commented_page, body="see https://a.com")
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_auto_close_setting(discussion, commented_page, post_comment, client):
    discussion(close_old_comments=True, close_after_days=10)
    type(commented_page).objects.filter(pk=commented_page.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=11)
    )
    assert post_comment(commented_page).status_code == 403
    assert b"Comments are closed." in client.get(commented_page.url).content


def test_new_pages_follow_open_by_default(discussion, admin_client):
    """The editor's "add page" form starts with the site's setting; a page already made
    keeps its own."""
    tree_root = Page.get_first_root_node()

    def allow_comments_box() -> str:
        url = f"/admin/pages/add/testapp/discussionpage/{tree_root.pk}/"
        html = admin_client.get(url).content.decode()
        return re.search(r'<input[^>]*name="allow_comments"[^>]*>', html).group(0)

    discussion(open_by_default=False)
    made_in_code = tree_root.add_child(instance=DiscussionPage(title="New", slug="new"))
    assert made_in_code.allow_comments is True  # the field's default
    assert "checked" not in allow_comments_box()
    discussion(open_by_default=True)
    assert "checked" in allow_comments_box()


def test_recaptcha_switch(discussion, commented_page, client, settings):
    settings.RECAPTCHA_PUBLIC_KEY = "site-key-for-tests"
    settings.RECAPTCHA_PRIVATE_KEY = "secret-key-for-tests"
    discussion(captcha="none")
    assert b"g-recaptcha" not in client.get(commented_page.url).content
    discussion(captcha="recaptcha")
    assert b"g-recaptcha" in client.get(commented_page.url).content


class TestPreviouslyApproved:
    @pytest.fixture(autouse=True)
    def policy(self, discussion, settings):
        settings.COMMENTS_FLOOD_SECONDS = 0
        discussion(approval_policy="previously_approved")

    def test_first_comment_is_held_then_same_browser_is_trusted_once_it_confirmed(
        self, commented_page, post_comment, client
    ):
        post_comment(commented_page, body="first")
        assert client.cookies[AUTHOR_COOKIE]["path"] == "/comments/"
        first = Comment.objects.get()
        Comment.objects.update(status=CommentStatus.APPROVED)
        post_comment(commented_page, body="unconfirmed")
        # An approved comment and the browser's token, but an address nobody confirmed.
        assert Comment.objects.get(body="unconfirmed").status == CommentStatus.PENDING
        client.post(f"/comments/confirm/{make_confirm_token(first.email, first.pk)}/")
        post_comment(commented_page, body="second")
        assert Comment.objects.get(body="second").status == CommentStatus.APPROVED

    def test_copying_name_and_email_without_the_token_is_not_enough(
        self, commented_page, post_comment, client
    ):
        make_comment(commented_page, name="Jane Reader", email="jane@example.com")
        post_comment(commented_page, body="impostor")
        assert Comment.objects.get(body="impostor").status == CommentStatus.PENDING

    def test_token_of_another_email_is_not_enough(self, commented_page, post_comment, client):
        post_comment(commented_page, body="mine", email="me@example.com")
        Comment.objects.update(status=CommentStatus.APPROVED)
        make_comment(commented_page, email="victim@example.com")
        post_comment(commented_page, body="pretending", email="victim@example.com")
        assert Comment.objects.get(body="pretending").status == CommentStatus.PENDING

    def test_logged_in_account_with_approved_comment_is_trusted(
        self, commented_page, client, django_user_model
    ):
        import time

        from comments.tokens import make_form_stamp

        user = django_user_model.objects.create_user(
            "acct", email="acct@example.com", password="pw"
        )
        make_comment(commented_page, user=user, email="acct@example.com")
        client.force_login(user)
        client.post(
            f"/comments/post/{commented_page.pk}/",
            {
                "name": "A",
                "email": "acct@example.com",
                "body": "trusted",
                "stamp": make_form_stamp(commented_page.pk, now=time.time() - 10),
            },
        )
        assert Comment.objects.get(body="trusted").status == CommentStatus.APPROVED
