"""The queue counts a search's or a filter's matches exactly up to a limit
(COMMENTS_ADMIN_EXACT_COUNT_LIMIT); past it, it says "more than" the limit and still lists
the newest matches first, so a search of a word every comment has costs no more than a page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, CommentStatus
from tests.factories import approved_comments, make_comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/"


@pytest.fixture
def many_comments(commented_page, settings):
    """30 comments saying "stretching" (more than the limit of 20), one saying "yoga"."""
    settings.COMMENTS_ADMIN_EXACT_COUNT_LIMIT = 20
    comments = approved_comments(commented_page, 30)
    for comment in comments:
        comment.body = comment.body_html = f"Stretching daily helped, {comment.name}."
    Comment.objects.bulk_create(comments)
    return make_comment(commented_page, body="Yoga helped me.", status=CommentStatus.PENDING)


def test_a_search_with_more_matches_than_the_limit_says_more_than(many_comments, moderator_client):
    response = moderator_client.get(QUEUE, {"q": "stretching"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are more than 20 matches" in html
    assert "More than 20 comments" in html  # under the pagination
    shown = list(response.context["page_obj"].object_list)
    newest = Comment.objects.filter(body__icontains="stretching").order_by("-created", "-pk")
    assert [c.pk for c in shown] == [c.pk for c in newest[: len(shown)]]


def test_a_search_within_the_limit_is_counted_exactly(many_comments, moderator_client):
    response = moderator_client.get(QUEUE, {"q": "yoga"})
    html = response.content.decode()
    assert "There is 1 match" in html and "more than" not in html
    assert [c.pk for c in response.context["page_obj"].object_list] == [many_comments.pk]


def test_a_filter_past_the_limit_counts_no_further(many_comments, moderator_client, commented_page):
    with CaptureQueriesContext(connection) as queries:
        response = moderator_client.get(QUEUE, {"page": commented_page.pk})
    assert "There are more than 20 matches" in response.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" in q["sql"]]
    assert counts, "the total was counted without a limit"
    # The last page offered is the limit's: 20 per page here means one page.
    assert response.context["paginator"].num_pages == 1


def test_with_no_limit_every_match_is_counted(many_comments, moderator_client, settings):
    settings.COMMENTS_ADMIN_EXACT_COUNT_LIMIT = 0
    html = moderator_client.get(QUEUE, {"q": "stretching"}).content.decode()
    assert "There are 30 matches" in html
