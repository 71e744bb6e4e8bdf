"""Form stamps on pages served from the full-page cache: every response carries a fresh stamp,
a form posted sooner than COMMENTS_MIN_FILL_SECONDS after its page was served is refused, and
each stamp sends one comment only (a double click stores it once and mails the moderators
once).

First against the site running for real (gunicorn, two workers; minimum fill time 1 s), then
the same rules through Django's test client where that is cheap.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from comments import messages
from comments.models import Comment
from tests.support.live_site import (
    ARTICLE_PATH,
    LiveSite,
    cache_header,
    form_action,
    form_stamp,
    mail_text,
    page_text,
    reader_post_data,
)

# The live-site fixtures, registered once for the session (shared by every module).
pytest_plugins = ["tests.support.live_fixtures"]

FORM_TOO_FAST = str(messages.FORM_TOO_FAST)
# Added with the one-comment-per-stamp rule; a placeholder that no page contains until then.
FORM_ALREADY_USED = str(
    getattr(messages, "FORM_ALREADY_USED", "<comments.messages.FORM_ALREADY_USED is missing>")
)
DOUBLE_CLICK_ROUNDS = 8


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:10]}"


def stored(site: LiveSite, body: str) -> int:
    """How many comments with this body the database holds (asked by another process)."""
    code = "from comments.models import Comment\nresult = Comment.objects.filter(body=%r).count()"
    return site.console(code % body)


def cached_article(site: LiveSite):
    """The article as the full-page cache serves it (the first hit among a few GETs). Without
    the X-Page-Cache header, the last GET (with Redis the header is required)."""
    for _ in range(6):
        response = site.get(ARTICLE_PATH)
        assert response.status_code == 200, site.log_tail()
        if cache_header(response) == "hit":
            return response
    if cache_header(response) is not None or site.cache_configuration == "redis":
        pytest.fail(f"no GET of {ARTICLE_PATH} was served from the cache")
    return response


def warm_every_worker(site: LiveSite) -> None:
    assert all(response.status_code == 200 for response in site.get_all(ARTICLE_PATH, 6))


def at_the_start_of_a_second() -> None:
    """Stamps count whole seconds: a GET just after a second began makes the youngest stamp,
    so "at once" is well under the minimum fill time however the stamp rounds."""
    fraction = time.time() % 1
    if fraction > 0.2:
        time.sleep(1.01 - fraction)


def post_at_barrier(site: LiveSite, action: str, data: dict, barrier: threading.Barrier):
    barrier.wait(timeout=10)
    return site.post(action, data)


KNOWN_REFUSALS = {
    name: str(getattr(messages, name))
    for name in ("FORM_ALREADY_USED", "DUPLICATE", "FORM_TOO_FAST", "FLOOD", "RATE_LIMITED")
    if hasattr(messages, name)
}


def answer_summary(response) -> str:
    """303 and the comment it leads to, or the status and which refusal the page gives."""
    if response.status_code == 303:
        return f"303 {comment_fragment(response)}"
    text = page_text(response)
    reasons = [name for name, sentence in KNOWN_REFUSALS.items() if sentence in text]
    return f"{response.status_code} {'/'.join(reasons) or '?'}"


def comment_fragment(response) -> str:
    return urlsplit(response.headers.get("Location", "")).fragment


@pytest.mark.live
def test_live_post_sent_at_once_after_a_cached_get_is_too_fast(live_site):
    warm_every_worker(live_site)
    # The stored page is now older than the minimum fill time; its stamp must not be.
    time.sleep(live_site.min_fill_seconds + 0.3)
    at_the_start_of_a_second()
    page = cached_article(live_site)
    body = unique("I read the whole article in no time at all.")

    answer = live_site.post(form_action(page), reader_post_data(form_stamp(page), body))

    assert answer.status_code == 400, (
        f"a POST sent at once after a cached GET answered {answer.status_code} "
        f"({answer.headers.get('Location')}); the page was served with X-Page-Cache: "
        f"{cache_header(page)}"
    )
    assert FORM_TOO_FAST in page_text(answer)
    assert stored(live_site, body) == 0


@pytest.mark.live
def test_live_every_cached_get_carries_its_own_stamp(live_site):
    warm_every_worker(live_site)
    responses = live_site.get_all(ARTICLE_PATH, 6)
    hits = [response for response in responses if cache_header(response) == "hit"]
    if any(cache_header(response) for response in responses):
        assert len(hits) >= 2, [cache_header(response) for response in responses]
    else:
        hits = responses
    stamps = [form_stamp(response) for response in hits]
    assert len(set(stamps)) == len(stamps), (
        f"{len(stamps)} GETs served from the cache carried {len(set(stamps))} different stamps"
    )


@pytest.mark.live
def test_live_a_stamp_sends_one_comment_only(live_site):
    page = cached_article(live_site)
    stamp = form_stamp(page)
    time.sleep(live_site.min_fill_seconds + 0.1)
    first_body = unique("Stretching twice a day helped me.")
    second_body = unique("And one more thing about posture.")

    first = live_site.post(form_action(page), reader_post_data(stamp, first_body))
    assert first.status_code == 303, page_text(first)[:2000]
    assert comment_fragment(first).startswith("comment-")

    second = live_site.post(form_action(page), reader_post_data(stamp, second_body))
    assert second.status_code == 409, (
        f"a second comment with the same stamp answered {second.status_code} "
        f"({second.headers.get('Location')})"
    )
    assert FORM_ALREADY_USED in page_text(second)
    assert stored(live_site, first_body) == 1
    assert stored(live_site, second_body) == 0


@pytest.mark.live
def test_live_double_click_stores_one_comment_and_mails_the_moderators_once(live_site):
    """Two identical POSTs released at the same moment (two threads at a barrier), each
    round with a fresh page's stamp: one comment, one moderator e-mail, both answers a 303
    to that comment."""
    pages = [live_site.get(ARTICLE_PATH) for _ in range(DOUBLE_CLICK_ROUNDS)]
    assert all(page.status_code == 200 for page in pages)
    time.sleep(live_site.min_fill_seconds + 0.1)
    tag = uuid.uuid4().hex[:8]
    rounds = []
    for number, page in enumerate(pages):
        address = f"double-{tag}-{number}@example.com"
        body = f"My knee clicks when I climb stairs ({tag} round {number})."
        data = reader_post_data(form_stamp(page), body, name="Dora Click", email=address)
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            clicks = [
                pool.submit(post_at_barrier, live_site, form_action(page), data, barrier)
                for _ in range(2)
            ]
            answers = [click.result() for click in clicks]
        rounds.append((number, address, body, answers))

    time.sleep(0.5)  # e-mails are sent as the comment commits; leave a moment for stragglers
    messages_sent = [mail_text(message) for message in live_site.mail_messages()]
    outcome = []
    for number, address, body, answers in rounds:
        fragments = {comment_fragment(answer) for answer in answers}
        outcome.append(
            {
                "round": number,
                "statuses": [answer.status_code for answer in answers],
                "same comment": len(fragments) == 1 and fragments.pop().startswith("comment-"),
                "rows": stored(live_site, body),
                "e-mails": sum(address in text for text in messages_sent),
            }
        )
        if outcome[-1]["statuses"] != [303, 303]:
            outcome[-1]["answers"] = [answer_summary(answer) for answer in answers]
    expected = [
        {"round": n, "statuses": [303, 303], "same comment": True, "rows": 1, "e-mails": 1}
        for n in range(DOUBLE_CLICK_ROUNDS)
    ]
    assert outcome == expected, "\n".join(map(str, outcome))


# The same rules in-process ------------------------------------------------------------------


pytest_django_db = pytest.mark.django_db


def stamp_in(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("form", id="commentform").find("input", attrs={"name": "stamp"})["value"]


def text_of(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def quick_comments(settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 100
    return settings


@pytest.fixture
def mail_moderator(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "stamp-mod", email="stamp-mod@example.com", password="pw"
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


def reader_data(stamp: str, body: str) -> dict[str, str]:
    return reader_post_data(stamp, body, email="inproc@example.com")


@pytest_django_db
def test_post_at_once_after_a_cached_get_is_too_fast(
    back_pain_article, client, quick_comments, monkeypatch
):
    quick_comments.COMMENTS_MIN_FILL_SECONDS = 3
    url = back_pain_article.url
    real_time = time.time
    # The page is stored a minute ago (its stamp as old), then served from the cache now.
    monkeypatch.setattr(time, "time", lambda: real_time() - 60)
    assert client.get(url).status_code == 200
    monkeypatch.setattr(time, "time", real_time)
    cached = client.get(url)
    if "X-Page-Cache" in cached:
        assert cached["X-Page-Cache"] == "hit"
    body = unique("Posted the moment the page opened.")

    answer = client.post(
        f"/comments/post/{back_pain_article.pk}/", reader_data(stamp_in(cached), body)
    )

    assert answer.status_code == 400, answer.get("Location")
    assert FORM_TOO_FAST in text_of(answer)
    assert not Comment.objects.filter(body=body).exists()


@pytest_django_db
def test_cached_gets_carry_different_stamps(back_pain_article, client):
    responses = [client.get(back_pain_article.url) for _ in range(3)]
    if "X-Page-Cache" in responses[1]:
        assert [response["X-Page-Cache"] for response in responses[1:]] == ["hit", "hit"]
    stamps = [stamp_in(response) for response in responses]
    assert len(set(stamps)) == 3, "GETs of the cached page carried the same stamp"


@pytest_django_db
def test_a_stamp_is_accepted_for_one_comment(back_pain_article, client, quick_comments):
    quick_comments.COMMENTS_MIN_FILL_SECONDS = 0
    stamp = stamp_in(client.get(back_pain_article.url))
    post_url = f"/comments/post/{back_pain_article.pk}/"
    first_body, second_body = unique("First thoughts."), unique("Second thoughts.")

    assert client.post(post_url, reader_data(stamp, first_body)).status_code == 303
    second = client.post(post_url, reader_data(stamp, second_body))

    assert second.status_code == 409, second.get("Location")
    assert FORM_ALREADY_USED in text_of(second)
    assert not Comment.objects.filter(body=second_body).exists()


@pytest_django_db
def test_the_same_post_twice_stores_one_comment_and_one_email(
    back_pain_article, client, quick_comments, mail_moderator, django_capture_on_commit_callbacks
):
    quick_comments.COMMENTS_MIN_FILL_SECONDS = 0
    stamp = stamp_in(client.get(back_pain_article.url))
    post_url = f"/comments/post/{back_pain_article.pk}/"
    body = unique("Clicked twice by mistake.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(post_url, reader_data(stamp, body))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(post_url, reader_data(stamp, body))

    assert [first.status_code, second.status_code] == [303, 303]
    assert comment_fragment(first) == comment_fragment(second) != ""
    assert Comment.objects.filter(body=body).count() == 1
    assert [message.to for message in mail.outbox] == [[mail_moderator.email]]
