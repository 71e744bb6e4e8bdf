"""The RSS feeds of approved comments (per page, site-wide) and GET /comments/counts/."""

import datetime
import json
import types
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from wagtail.models import PageViewRestriction

from comments.counts import comment_counts
from comments.models import Comment, CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


def items_of(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def test_page_feed_lists_approved_comments_newest_first_with_dc_creator(commented_page, client):
    first = make_comment(commented_page, name="Ann Older", body="First!")
    second = make_comment(commented_page, name="Bob Newer", body="Second <b>bold</b>")
    response = client.get(f"/comments/feed/{commented_page.pk}/")
    items = items_of(response)
    assert [item.find(f"{DC}creator").text for item in items] == ["Bob Newer", "Ann Older"]
    assert items[0].find("link").text.endswith(f"{commented_page.url}#comment-{second.pk}")
    assert items[1].find("guid").text.endswith(f"#comment-{first.pk}")
    assert "Ask the physio" in ET.fromstring(response.content).find("channel/title").text
    assert response["ETag"] and response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]


def test_feeds_never_contain_an_email_or_rss_author(commented_page, client):
    make_comment(commented_page, name="Private Pat", email="pat.secret@example.org")
    for url in (f"/comments/feed/{commented_page.pk}/", "/comments/feed/"):
        response = client.get(url)
        assert b"pat.secret" not in response.content and b"@example.org" not in response.content
        assert all(item.find("author") is None for item in items_of(response))


def test_pending_spam_and_binned_comments_are_absent(commented_page, client):
    make_comment(commented_page, name="Shown")
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        make_comment(commented_page, name=f"Hidden {status}", status=status)
    for url in (f"/comments/feed/{commented_page.pk}/", "/comments/feed/"):
        names = [item.find(f"{DC}creator").text for item in items_of(client.get(url))]
        assert names == ["Shown"]


def test_site_feed_has_every_public_pages_comments_but_not_private_or_draft_ones(
    commented_page, other_commented_page, question_page, client
):
    make_comment(commented_page, name="On physio")
    make_comment(other_commented_page, name="On nurse")
    make_comment(question_page, name="On a private page")
    PageViewRestriction.objects.create(page=question_page, restriction_type="login")
    names = {item.find(f"{DC}creator").text for item in items_of(client.get("/comments/feed/"))}
    assert names == {"On physio", "On nurse"}
    other_commented_page.unpublish()
    names = {item.find(f"{DC}creator").text for item in items_of(client.get("/comments/feed/"))}
    assert names == {"On physio"}
    assert client.get(f"/comments/feed/{question_page.pk}/").status_code == 404


def test_site_feed_is_limited(commented_page, client, settings):
    settings.COMMENTS_FEED_LENGTH = 3
    for _ in range(5):
        make_comment(commented_page)
    assert len(items_of(client.get("/comments/feed/"))) == 3


def test_a_freshly_approved_comment_appears_at_once_and_changes_the_etag(commented_page, client):
    held = make_comment(commented_page, name="Waiting Walt", status=CommentStatus.PENDING)
    url = f"/comments/feed/{commented_page.pk}/"
    before = client.get(url)
    assert items_of(before) == []
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.APPROVED)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert [item.find(f"{DC}creator").text for item in items_of(after)] == ["Waiting Walt"]
    assert after["ETag"] != before["ETag"]


def test_a_feed_without_comments_keeps_its_etag_as_time_passes(commented_page, client):
    """Its build date is fixed, not "now": a poller gets 304s until something is approved."""
    url = f"/comments/feed/{commented_page.pk}/"
    before = client.get(url)

    class AnyDatetime(type):
        def __instancecheck__(cls, value):
            return isinstance(value, datetime.datetime)

    class AnHourLater(datetime.datetime, metaclass=AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.now(tz) + datetime.timedelta(hours=1)

    clock = types.SimpleNamespace(
        datetime=AnHourLater, time=datetime.time, timezone=datetime.timezone
    )
    with mock.patch("django.utils.feedgenerator.datetime", clock):
        after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 304
    assert before["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"


def test_feed_of_an_unknown_page_or_one_without_comments_is_404(page_without_comments, client):
    assert client.get("/comments/feed/999999/").status_code == 404
    assert client.get(f"/comments/feed/{page_without_comments.pk}/").status_code == 404


def test_feed_of_a_page_id_too_large_for_the_database_is_404(client, db):
    assert client.get("/comments/feed/99999999999999999999999/").status_code == 404


def test_feeds_refuse_post(commented_page, client):
    assert client.post(f"/comments/feed/{commented_page.pk}/").status_code == 405


# GET /comments/counts/ (the view called directly where queries are counted: the page
# cache's middleware, when installed, reads its versions once per request)


def call_counts(rf, query: str):
    return comment_counts(rf.get(f"/comments/counts/{query}"))


def counts_of(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["counts"]


def test_counts_of_several_pages_in_one_query(
    commented_page, other_commented_page, question_page, client, rf, django_assert_max_num_queries
):
    make_comment(commented_page)
    make_comment(commented_page)
    make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(question_page, status=CommentStatus.SPAM)
    ids = f"{commented_page.pk},{other_commented_page.pk},{question_page.pk},999999"
    with django_assert_max_num_queries(1):
        response = call_counts(rf, f"?pages={ids}")
    assert counts_of(response) == {
        str(commented_page.pk): 2,
        str(other_commented_page.pk): 0,
        str(question_page.pk): 0,
    }
    assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get(f"/comments/counts/?pages={ids}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_counts_leave_out_private_and_unpublished_pages(
    commented_page, other_commented_page, client, rf, django_assert_max_num_queries
):
    make_comment(commented_page)
    make_comment(other_commented_page)
    PageViewRestriction.objects.create(page=commented_page, restriction_type="login")
    with django_assert_max_num_queries(1):
        counts = counts_of(call_counts(rf, f"?pages={commented_page.pk},{other_commented_page.pk}"))
    assert counts == {str(other_commented_page.pk): 1}
    other_commented_page.unpublish()
    assert counts_of(client.get(f"/comments/counts/?pages={other_commented_page.pk}")) == {}


def test_counts_change_at_once_after_approval(commented_page, client):
    held = make_comment(commented_page, status=CommentStatus.PENDING)
    url = f"/comments/counts/?pages={commented_page.pk}"
    before = client.get(url)
    assert counts_of(before) == {str(commented_page.pk): 0}
    held.status = CommentStatus.APPROVED
    held.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert counts_of(after) == {str(commented_page.pk): 1}


@pytest.mark.parametrize(
    "query, words",
    [
        ("", "comma-separated"),
        ("?pages=", "comma-separated"),
        ("?pages=1,two", "comma-separated"),
        ("?pages=1,-2", "comma-separated"),
        ("?pages=1,,2", "comma-separated"),
        ("?pages=1.5", "comma-separated"),
        ("?pages=%D9%A3", "comma-separated"),  # an Arabic-Indic digit: isdigit() but not ASCII
        ("?pages=1," + "9" * 5000, "comma-separated"),  # int() refuses over 4300 digits
        ("?pages=2147483648", "comma-separated"),  # beyond an integer primary key
        ("?pages=" + ",".join(str(n) for n in range(1, 102)), "at most 100"),
        ("?pages=" + ",".join("1" for n in range(101)), "at most 100"),
    ],
)
def test_counts_refuse_bad_input_with_a_json_message(
    query, words, rf, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = call_counts(rf, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert words in json.loads(response.content)["error"]
    assert "no-cache" in response["Cache-Control"]


def test_a_hundred_pages_are_accepted(commented_page, rf, django_assert_max_num_queries):
    ids = ",".join([str(commented_page.pk)] + [str(900000 + n) for n in range(99)])
    with django_assert_max_num_queries(1):
        assert counts_of(call_counts(rf, f"?pages={ids}")) == {str(commented_page.pk): 0}
