"""The author of a comment published at once gets its Edit and Delete links, and only them:
on the private page after posting, then through comments.js and a companion cookie."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from comments.author_links import LINKS_COOKIE, read_links_cookie
from comments.models import Comment, DiscussionSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def published_at_once(settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def edit_links(soup, comment) -> list[str]:
    return [link["href"] for link in soup.select(f"#comment-{comment.pk} .comment-author-links a")]


def test_after_posting_the_author_sees_it_published_with_its_links(
    commented_page, post_comment, client
):
    response = post_comment(commented_page, body="Published at once")
    comment = Comment.objects.get()
    assert comment.is_approved
    location = urlsplit(response["Location"])
    assert "moderation" in parse_qs(location.query) and location.fragment == f"comment-{comment.pk}"
    own = client.get(response["Location"])
    assert "private" in own["Cache-Control"] and "no-store" in own["Cache-Control"]
    soup = soup_of(own)
    article = soup.find("article", id=f"comment-{comment.pk}")
    assert article.select_one("#comment-status-title").get_text() == (
        "Thank you: your comment is published"
    )
    assert "awaiting moderation" not in article.get_text()
    assert edit_links(soup, comment) == [
        f"/comments/{comment.pk}/edit/",
        f"/comments/{comment.pk}/delete/",
    ]
    # Counted once, in its place: not added again as a pending preview.
    assert len(soup.select(f"#comment-{comment.pk}")) == 1
    assert "1 Reply" in soup.select_one("#comments-title").get_text()


def test_the_shared_page_never_holds_the_links(commented_page, post_comment, client):
    post_comment(commented_page, body="Mine only")
    comment = Comment.objects.get()
    shared = client.get(commented_page.url)
    assert b"Mine only" in shared.content
    assert f"/comments/{comment.pk}/edit/" not in shared.content.decode()
    assert not soup_of(shared).select(".comment-author-links")
    # What comments.js needs is the same for every reader: patterns, not this reader's ids.
    section = soup_of(shared).find("section", id="comments")
    assert section["data-author-edit-url"] == "/comments/2147483647/edit/"
    assert section["data-author-edit-label"] == "Edit your comment"


def test_posting_sets_a_script_readable_cookie_of_the_windows(commented_page, post_comment, client):
    before = time.time()
    post_comment(commented_page)
    comment = Comment.objects.get()
    cookie = client.cookies[LINKS_COOKIE]
    assert not cookie["httponly"] and cookie["path"] == "/" and cookie["samesite"] == "Lax"
    entries = read_links_cookie(cookie.value)
    assert list(entries) == [comment.pk]
    assert before + 14 * 60 < entries[comment.pk] <= time.time() + 15 * 60
    assert 14 * 60 < int(cookie["max-age"]) <= 15 * 60

    post_comment(
        commented_page, body="A second one", email="j2@example.com", remote_addr="10.0.0.2"
    )
    second = Comment.objects.latest("pk")
    assert list(read_links_cookie(client.cookies[LINKS_COOKIE].value)) == [comment.pk, second.pk]


def test_deleting_drops_the_comment_from_the_cookie(commented_page, post_comment, client):
    post_comment(commented_page)
    comment = Comment.objects.get()
    client.post(f"/comments/{comment.pk}/delete/")
    assert not Comment.objects.exists()
    assert client.cookies[LINKS_COOKIE].value == ""  # deleted: no window left


def test_an_edit_lands_on_the_private_page_with_the_links_again(
    commented_page, post_comment, client
):
    post_comment(commented_page)
    comment = Comment.objects.get()
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Second thoughts"})
    soup = soup_of(client.get(response["Location"]))
    assert edit_links(soup, comment)


def test_no_links_once_the_window_is_closed(commented_page, post_comment, client, settings):
    settings.COMMENTS_AUTHOR_EDIT_MINUTES = 0
    response = post_comment(commented_page)
    assert "moderation" not in response["Location"]
    assert LINKS_COOKIE not in client.cookies
    page = client.get(response["Location"])
    assert not soup_of(page).select(".comment-author-links")
    assert "data-author-edit-url" not in page.content.decode()


def test_an_old_preview_link_of_a_published_comment_shows_no_links(
    commented_page, post_comment, client
):
    response = post_comment(commented_page)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created=comment.created.replace(year=comment.created.year - 1)
    )
    soup = soup_of(client.get(response["Location"]))
    assert soup.find("article", id=f"comment-{comment.pk}") is not None
    assert not soup.select(".comment-author-links") and not soup.select("#comment-status")


def test_the_site_setting_decides_the_window(commented_page, post_comment, client):
    DiscussionSettings.objects.create(
        site=commented_page.get_site(), approval_policy="approve", author_edit_minutes=2
    )
    post_comment(commented_page)
    until = next(iter(read_links_cookie(client.cookies[LINKS_COOKIE].value).values()))
    assert time.time() + 60 < until <= time.time() + 120


def test_a_forged_cookie_is_read_as_nothing():
    now = time.time()
    assert read_links_cookie("junk.12-x.-5.7-1", now) == {}
    assert read_links_cookie(f"7-{int(now) + 60}.8-{int(now) - 1}", now) == {7: int(now) + 60}
