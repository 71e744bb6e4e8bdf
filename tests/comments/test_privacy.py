"""A commenter's email address is stored but never published, in any form."""

import hashlib

import pytest

from comments.models import Comment
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "Private.Person@Example.com"


def leaks(content: bytes) -> list[str]:
    text = content.decode("utf-8", "replace").lower()
    digests = {
        hashlib.md5(SECRET_EMAIL.lower().encode()).hexdigest(),  # noqa: S324 - Gravatar's hash
        hashlib.sha256(SECRET_EMAIL.lower().encode()).hexdigest(),
    }
    found = [SECRET_EMAIL.lower()] if SECRET_EMAIL.lower() in text else []
    found += [digest for digest in digests if digest in text]
    found += ["private.person"] if "private.person" in text else []
    found += ["gravatar"] if "gravatar" in text else []
    return found


def pages_showing_pats_comments(page, post_comment) -> list[str]:
    """Pat's approved comment, a reply and a pending one, all under the secret address; the
    URLs that show them: the page, Pat's own view of the pending one, the reply form."""
    approved = make_comment(page, name="Pat", email=SECRET_EMAIL, website="https://pat.example")
    make_comment(page, parent=approved, email=SECRET_EMAIL)
    response = post_comment(page, email=SECRET_EMAIL, body="Pending from the same person")
    assert Comment.objects.filter(email=SECRET_EMAIL).count() == 3
    return [page.url, response["Location"], f"{page.url}?replyto={approved.pk}"]


def test_email_appears_nowhere_on_the_page(commented_page, post_comment, client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    for url in pages_showing_pats_comments(commented_page, post_comment):
        page = client.get(url)
        assert page.status_code == 200, url
        assert leaks(page.content) == [], url
        assert b"Pat" in page.content


def test_refused_form_shows_only_what_the_reader_typed(commented_page, post_comment):
    make_comment(commented_page, email=SECRET_EMAIL)
    response = post_comment(commented_page, email="bad", body="")
    assert leaks(response.content) == []


def test_avatar_is_initials_from_the_name(commented_page, client):
    make_comment(commented_page, name="maria del carmen", email=SECRET_EMAIL)
    html = client.get(commented_page.url).content.decode()
    assert '<span class="avatar' in html and ">MD</span>" in html
    assert "<img" not in html.split('id="comments"')[1]
