"""The browser that posted a comment may edit or delete it for a while (its signed cookie)."""

import datetime

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from comments import messages
from comments.models import Comment, CommentStatus
from comments.tokens import POSTED_COOKIE, make_posted_ids_token, read_posted_ids
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_at_once(settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"


@pytest.fixture
def posted(commented_page, post_comment, client):
    response = post_comment(commented_page)
    assert response.status_code == 303
    return Comment.objects.get()


def test_posting_sets_a_signed_httponly_cookie_of_the_posted_ids(posted, client):
    cookie = client.cookies[POSTED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/comments/"
    assert read_posted_ids(cookie.value) == [posted.pk]


def test_edit_in_window_is_sanitised_logged_and_marked(posted, client):
    page = client.get(f"/comments/{posted.pk}/edit/")
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    response = client.post(
        f"/comments/{posted.pk}/edit/", {"body": "Better now <script>x()</script>"}
    )
    assert response.status_code == 303
    posted.refresh_from_db()
    assert posted.body_html.startswith("<p>Better now") and "<script" not in posted.body_html
    assert posted.status == CommentStatus.APPROVED and posted.edited is not None
    entry = ModelLogEntry.objects.get(action="comments.author_change", object_id=str(posted.pk))
    assert entry.data["change"] == "edit"
    assert entry.data["previous"] == "Thank you, this helped my back."


def test_edit_adding_links_is_held_again(posted, client):
    links = " ".join(f"https://spam{i}.example.org" for i in range(5))
    client.post(f"/comments/{posted.pk}/edit/", {"body": f"See {links}"})
    posted.refresh_from_db()
    assert posted.status == CommentStatus.PENDING


def test_edit_with_a_moderation_keyword_is_held_again(posted, client, settings):
    settings.COMMENTS_MODERATION_KEYWORDS = ["casino"]
    client.post(f"/comments/{posted.pk}/edit/", {"body": "Try the casino"})
    posted.refresh_from_db()
    assert posted.status == CommentStatus.PENDING


def test_blank_edit_is_refused_with_the_form_again(posted, client):
    response = client.post(f"/comments/{posted.pk}/edit/", {"body": "   "})
    assert response.status_code == 400
    assert str(messages.BODY_REQUIRED) in response.content.decode()
    posted.refresh_from_db()
    assert posted.body == "Thank you, this helped my back."


def test_delete_without_replies_removes_the_comment(posted, client, commented_page):
    assert client.get(f"/comments/{posted.pk}/delete/").status_code == 200
    response = client.post(f"/comments/{posted.pk}/delete/")
    assert response.status_code == 303
    assert not Comment.objects.filter(pk=posted.pk).exists()
    entry = ModelLogEntry.objects.get(action="comments.author_change", object_id=str(posted.pk))
    assert entry.data["change"] == "delete"


def test_delete_with_replies_keeps_the_thread(posted, client, commented_page):
    reply = make_comment(commented_page, parent=posted, body="A reply")
    client.post(f"/comments/{posted.pk}/delete/")
    posted.refresh_from_db()
    assert posted.body == "" and str(messages.DELETED_BY_AUTHOR) in posted.body_html
    reply.refresh_from_db()
    assert reply.parent_id == posted.pk
    page = client.get(commented_page.url).content.decode()
    assert str(messages.DELETED_BY_AUTHOR) in page and "A reply" in page


def test_window_expired_is_refused(posted, client):
    Comment.objects.filter(pk=posted.pk).update(
        created=timezone.now() - datetime.timedelta(minutes=16)
    )
    for url in (f"/comments/{posted.pk}/edit/", f"/comments/{posted.pk}/delete/"):
        response = client.post(url, {"body": "late"})
        assert response.status_code == 403
        assert str(messages.AUTHOR_WINDOW_CLOSED) in response.content.decode()
    assert Comment.objects.get(pk=posted.pk).body == "Thank you, this helped my back."


def test_only_until_the_first_reply(posted, client, commented_page, settings):
    settings.COMMENTS_AUTHOR_EDIT_UNTIL_REPLY = True
    make_comment(commented_page, parent=posted, body="A reply")
    response = client.post(f"/comments/{posted.pk}/edit/", {"body": "changed"})
    assert response.status_code == 403


def test_forged_cookie_is_refused(posted, client):
    # Signed with another salt, and unsigned JSON: neither proves anything.
    for forged in (signing.dumps({"i": [posted.pk]}, salt="other"), f'{{"i": [{posted.pk}]}}'):
        client.cookies[POSTED_COOKIE] = forged
        assert client.post(f"/comments/{posted.pk}/edit/", {"body": "x"}).status_code == 403
    response = client.post(f"/comments/{posted.pk}/delete/")
    assert response.status_code == 403
    assert str(messages.AUTHOR_NOT_YOURS) in response.content.decode()
    assert Comment.objects.filter(pk=posted.pk).exists()


def test_missing_cookie_is_refused(posted, commented_page):
    response = Client().post(f"/comments/{posted.pk}/edit/", {"body": "not mine"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=posted.pk).body == "Thank you, this helped my back."


def test_someone_elses_comment_is_refused(posted, client, commented_page):
    other = make_comment(commented_page, body="Someone else's")
    response = client.post(f"/comments/{other.pk}/delete/")
    assert response.status_code == 403
    assert Comment.objects.filter(pk=other.pk).exists()


def test_the_name_and_email_prove_nothing(commented_page):
    other = make_comment(commented_page, name="Jane Reader", email="jane@example.com")
    browser = Client()
    browser.cookies[POSTED_COOKIE] = make_posted_ids_token(None, other.pk + 1)
    assert browser.post(f"/comments/{other.pk}/delete/").status_code == 403


def test_csrf_is_required(posted, client):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[POSTED_COOKIE] = client.cookies[POSTED_COOKIE].value
    assert browser.post(f"/comments/{posted.pk}/delete/").status_code == 403
    assert Comment.objects.filter(pk=posted.pk).exists()
    form = browser.get(f"/comments/{posted.pk}/delete/")
    token = form.context["csrf_token"]
    assert (
        browser.post(
            f"/comments/{posted.pk}/delete/", {"csrfmiddlewaretoken": str(token)}
        ).status_code
        == 303
    )


def test_edit_query_count(posted, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.post(f"/comments/{posted.pk}/edit/", {"body": "Counted"})


def test_edited_comment_shows_edited_with_its_time(posted, client, commented_page):
    client.post(f"/comments/{posted.pk}/edit/", {"body": "Changed my mind"})
    html = client.get(commented_page.url).content.decode()
    assert "Changed my mind" in html
    assert '<span class="comment-edited">Edited <time datetime="' in html


def test_the_private_posted_status_links_to_edit_and_delete(
    commented_page, post_comment, client, settings
):
    settings.COMMENTS_APPROVAL_POLICY = "hold"
    response = post_comment(commented_page, follow=True)
    comment = Comment.objects.get()
    html = response.content.decode()
    assert f'href="/comments/{comment.pk}/edit/"' in html
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 200
