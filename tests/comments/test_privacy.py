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


def test_email_appears_in_no_public_output(back_pain_article, post_comment, client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    approved = make_comment(
        back_pain_article, name="Pat", email=SECRET_EMAIL, website="https://pat.example"
    )
    make_comment(back_pain_article, parent=approved, email=SECRET_EMAIL)
    response = post_comment(
        back_pain_article, email=SECRET_EMAIL, body="Pending from the same person"
    )
    assert Comment.objects.filter(email=SECRET_EMAIL).count() == 3
    urls = [
        back_pain_article.url,
        response["Location"],  # the author's own view of the pending comment
        f"{back_pain_article.url}?replyto={approved.pk}",
        "/",
        "/blog/",
        "/blog/feed/",
        "/blog/topic/back-pain/",
        "/sitemap.xml",
        "/search/?q=Pat",
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert leaks(page.content) == [], url
        assert b"Pat" in page.content or url not in urls[:3]


def test_refused_form_shows_only_what_the_reader_typed(back_pain_article, post_comment):
    make_comment(back_pain_article, email=SECRET_EMAIL)
    response = post_comment(back_pain_article, email="bad", body="")
    assert leaks(response.content) == []


def test_avatar_is_initials_from_the_name(back_pain_article, client):
    make_comment(back_pain_article, name="maria del carmen", email=SECRET_EMAIL)
    html = client.get(back_pain_article.url).content.decode()
    assert '<span class="avatar' in html and ">MD</span>" in html
    assert "<img" not in html.split('id="comments"')[1]
