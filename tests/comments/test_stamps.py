"""Each form stamp sends one comment; a cached page gives every reader a fresh one."""

import re
import time

import pytest
from django.core import signing

from comments import messages
from comments.models import Comment
from comments.tokens import make_form_stamp

pytestmark = pytest.mark.django_db

STAMP = re.compile(r'name="stamp" value="([^"]+)"')


def stamp_of(response) -> str:
    return STAMP.search(response.content.decode()).group(1)


@pytest.fixture(autouse=True)
def no_flood(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0


def test_a_second_comment_on_one_stamp_is_refused_with_a_reason(commented_page, post_comment):
    stamp = make_form_stamp(commented_page.pk, now=time.time() - 10)
    assert post_comment(commented_page, stamp=stamp, body="First words.").status_code == 303
    again = post_comment(commented_page, stamp=stamp, body="Other words.")
    assert again.status_code == 409
    assert str(messages.FORM_ALREADY_USED) in again.content.decode()
    assert "Other words." in again.content.decode()  # kept for the reader, not lost
    assert not Comment.objects.filter(body="Other words.").exists()


def test_the_same_comment_sent_twice_is_shown_not_stored_twice(
    commented_page, post_comment, mailoutbox, moderator
):
    stamp = make_form_stamp(commented_page.pk, now=time.time() - 10)
    first = post_comment(commented_page, stamp=stamp, body="Clicked twice.")
    mails = len(mailoutbox)
    second = post_comment(commented_page, stamp=stamp, body="Clicked twice.")
    assert second.status_code == 303
    assert second["Location"].split("#")[1] == first["Location"].split("#")[1]
    assert Comment.objects.filter(body="Clicked twice.").count() == 1
    assert len(mailoutbox) == mails  # no second moderator e-mail


def test_each_stamp_differs_even_within_one_second(commented_page):
    now = time.time()
    assert make_form_stamp(commented_page.pk, now=now) != make_form_stamp(
        commented_page.pk, now=now
    )


def test_every_view_carries_a_fresh_stamp_and_a_post_at_once_is_too_fast(
    commented_page, client, post_comment
):
    client.get(commented_page.url)
    view = client.get(commented_page.url)
    response = post_comment(commented_page, stamp=stamp_of(view), body="Instant bot.")
    assert response.status_code == 400
    assert str(messages.FORM_TOO_FAST) in response.content.decode()
    assert not Comment.objects.filter(body="Instant bot.").exists()
    assert stamp_of(client.get(commented_page.url)) != stamp_of(view)


def test_fresh_stamp_endpoint_is_never_cached_and_is_accepted(
    commented_page, client, settings, post_comment
):
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    response = client.get(f"/comments/stamp/{commented_page.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    stamp = response.json()["stamp"]
    assert client.get(f"/comments/stamp/{commented_page.pk}/").json()["stamp"] != stamp
    assert post_comment(commented_page, stamp=stamp).status_code == 303


def test_a_stamp_for_another_page_is_refused(
    commented_page, other_commented_page, client, post_comment
):
    stamp = client.get(f"/comments/stamp/{other_commented_page.pk}/").json()["stamp"]
    response = post_comment(commented_page, stamp=stamp)
    assert response.status_code == 400
    assert str(messages.FORM_TAMPERED) in response.content.decode()


# A form sent back to its reader keeps the time they were first shown it -----------------


@pytest.fixture
def min_fill(settings):
    settings.COMMENTS_MIN_FILL_SECONDS = 3
    return settings


def test_a_corrected_form_sent_at_once_is_accepted(commented_page, post_comment, min_fill):
    shown_ten_seconds_ago = make_form_stamp(commented_page.pk, now=time.time() - 10)
    refused = post_comment(commented_page, stamp=shown_ten_seconds_ago, email="not-an-email")
    assert refused.status_code == 400
    carried = stamp_of(refused)
    assert carried != shown_ten_seconds_ago  # a stamp of its own, never claimed

    corrected = post_comment(commented_page, stamp=carried, body="Corrected at once.")

    assert corrected.status_code == 303, corrected.content.decode()[:500]
    assert Comment.objects.filter(body="Corrected at once.").count() == 1


def test_every_refusal_sends_back_a_form_that_keeps_the_fill_time(
    commented_page, post_comment, min_fill
):
    stamp = make_form_stamp(commented_page.pk, now=time.time() - 10)
    for mistake in ({"name": ""}, {"body": "&nbsp;"}, {"website": "https://u:p@example.com/"}):
        refused = post_comment(commented_page, stamp=stamp, **mistake)
        assert refused.status_code == 400
        stamp = stamp_of(refused)
    assert post_comment(commented_page, stamp=stamp).status_code == 303


def test_a_form_posted_at_once_stays_too_fast_until_the_fill_time_has_passed(
    commented_page, client, post_comment, min_fill, monkeypatch
):
    view = client.get(commented_page.url)
    refused = post_comment(commented_page, stamp=stamp_of(view), body="Instant bot.")
    assert str(messages.FORM_TOO_FAST) in refused.content.decode()

    again = post_comment(commented_page, stamp=stamp_of(refused), body="Instant bot.")
    assert again.status_code == 400
    assert str(messages.FORM_TOO_FAST) in again.content.decode()

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 4)
    later = post_comment(commented_page, stamp=stamp_of(again), body="Read it first.")
    assert later.status_code == 303
    assert not Comment.objects.filter(body="Instant bot.").exists()


def test_the_form_sent_back_after_a_used_stamp_carries_an_unclaimed_one(
    commented_page, post_comment, min_fill
):
    stamp = make_form_stamp(commented_page.pk, now=time.time() - 10)
    assert post_comment(commented_page, stamp=stamp, body="First words.").status_code == 303
    refused = post_comment(commented_page, stamp=stamp, body="Other words.")
    assert refused.status_code == 409

    answer = post_comment(commented_page, stamp=stamp_of(refused), body="Other words.")

    assert answer.status_code == 303
    assert Comment.objects.filter(body="Other words.").count() == 1


def test_an_expired_form_sent_back_can_be_posted_at_once(commented_page, post_comment, min_fill):
    old = make_form_stamp(commented_page.pk, now=time.time() - 13 * 60 * 60)
    refused = post_comment(commented_page, stamp=old, body="Written overnight.")
    assert str(messages.FORM_EXPIRED) in refused.content.decode()

    answer = post_comment(commented_page, stamp=stamp_of(refused), body="Written overnight.")

    assert answer.status_code == 303


FORGED_STAMPS = {
    "garbage": lambda page_id: "not-a-stamp",
    "missing": lambda page_id: "",
    "another-salt": lambda page_id: signing.dumps({"p": page_id, "t": 0, "n": "x"}, salt="x"),
}


@pytest.mark.parametrize("forgery", FORGED_STAMPS)
def test_a_forged_stamp_earns_no_head_start(commented_page, post_comment, min_fill, forgery):
    forged = FORGED_STAMPS[forgery](commented_page.pk)
    refused = post_comment(commented_page, stamp=forged, body="Bot text.")
    assert refused.status_code == 400
    answer = post_comment(commented_page, stamp=stamp_of(refused), body="Bot text.")
    assert answer.status_code == 400
    assert str(messages.FORM_TOO_FAST) in answer.content.decode()


def test_a_stamp_for_another_page_earns_no_head_start(
    commented_page, other_commented_page, post_comment, min_fill
):
    other = make_form_stamp(other_commented_page.pk, now=time.time() - 60)
    refused = post_comment(commented_page, stamp=other)
    answer = post_comment(commented_page, stamp=stamp_of(refused))
    assert str(messages.FORM_TOO_FAST) in answer.content.decode()


def test_a_form_sent_back_asks_for_no_newer_stamp(commented_page, client, post_comment):
    """comments.js fetches a fresh stamp only for a form with a stamp URL: a form sent back
    keeps the one that carries the reader's fill time."""
    assert 'data-stamp-url="' in client.get(commented_page.url).content.decode()
    refused = post_comment(commented_page, name="")
    assert "data-stamp-url" not in refused.content.decode()
