"""Each form stamp sends one comment; a cached page gives every reader a fresh one."""

import re
import time

import pytest

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
