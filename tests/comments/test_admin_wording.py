"""Small things a moderator reads: a comment's age, the thread-depth help, the approval choice."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Site

from comments.models import CommentStatus, DiscussionSettings
from comments.templatetags.comments_admin_tags import age_of
from tests.factories import make_comment

NOW = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("seconds", [0, 1, 59])
def test_a_comment_under_a_minute_old_was_written_just_now(seconds):
    assert age_of(NOW - datetime.timedelta(seconds=seconds), NOW) == "just now"


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (datetime.timedelta(seconds=60), "1 minute ago"),
        (datetime.timedelta(minutes=5, seconds=30), "5 minutes ago"),
        (datetime.timedelta(days=2, hours=3), "2 days, 3 hours ago"),
    ],
)
def test_older_comments_say_how_long_ago(delta, words):
    # timesince joins a number to its unit with a no-break space
    assert age_of(NOW - delta, NOW).replace("\xa0", " ") == words


@pytest.mark.django_db
def test_dashboard_and_queue_never_say_zero_minutes(commented_page, client, moderator):
    make_comment(commented_page, status=CommentStatus.PENDING, created=timezone.now())
    client.force_login(moderator)
    for url in ("/admin/", "/admin/comments/"):
        html = client.get(url).content.decode()
        assert "just now" in html, url
        assert "0 minutes" not in html, url


def test_thread_depth_help_says_what_each_number_does():
    help_text = str(DiscussionSettings._meta.get_field("thread_depth").help_text)
    assert "1 turns threaded replies off" not in help_text
    assert "1: readers cannot reply to a comment" in help_text
    assert "2: they can reply to a comment but not to a reply" in help_text


@pytest.mark.django_db
def test_approval_policy_is_a_set_of_radio_buttons_that_wrap(commented_page, admin_client):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/comments/discussionsettings/{site.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select("select[name=approval_policy]")
    choices = soup.select("input[type=radio][name=approval_policy]")
    assert {choice["value"] for choice in choices} == {
        "hold",
        "previously_approved",
        "verified_approved",
        "verified",
        "approve",
    }
