"""Redis down: the site keeps working without its cache, and caches again when Redis is back.

The site runs for real (gunicorn, two workers) against a redis-server of this module's own,
which the test kills and starts again on the same port; the machine's shared Redis is never
touched. A second site is configured with a port where nothing listens from the start.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.support.live_site import (
    ARTICLE_PATH,
    ARTICLE_SLUG,
    LiveSite,
    cache_header,
    comment_element,
    form_action,
    form_stamp,
    free_port,
    moderate_over_http,
    moderator_session,
    page_text,
    reader_post_data,
)

# The live-site fixtures, registered once for the session (shared by every module).
pytest_plugins = ["tests.support.live_fixtures"]
pytestmark = pytest.mark.live

# Each of the two workers may say once that Redis is unreachable, and once that the page
# cache lost an invalidation (each at most once a minute): never once per request.
MAX_OUTAGE_WARNINGS = 4
CACHING_RESUMES_WITHIN = 12  # seconds after Redis is back


class Answers:
    """Every response of a test, to check that none was a server error."""

    def __init__(self, site: LiveSite) -> None:
        self.site = site
        self.seen: list[tuple[str, str, int]] = []

    def __call__(self, method: str, path: str, response):
        self.seen.append((method, path, response.status_code))
        assert response.status_code < 500, (
            f"{method} {path} answered {response.status_code}:\n{self.site.log_tail()}"
        )
        return response


def unreachable_warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if "unreachable" in line.lower()]


def problems_logged(log: str) -> list[str]:
    """Warnings and errors the site logged (live_settings' format names the level), but
    Django's lines about requests: a 5xx is checked on the response itself."""
    return [
        line
        for line in log.splitlines()
        if (" WARNING " in line or " ERROR " in line) and "django.request" not in line
    ]


def check_outage_logged_once_per_worker(log: str, requests_made: int) -> None:
    """The outage is said, by each worker at most once (a minute), and nothing else is
    logged over and over while it lasts."""
    warnings = unreachable_warnings(log)
    assert 1 <= len(warnings) <= MAX_OUTAGE_WARNINGS, (
        f"{len(warnings)} 'unreachable' warnings for {requests_made} requests:\n"
        + "\n".join(warnings[:10])
    )
    problems = problems_logged(log)
    assert len(problems) <= MAX_OUTAGE_WARNINGS, (
        f"{len(problems)} warnings/errors logged for {requests_made} requests during the "
        "outage (at most two per worker a minute):\n" + "\n".join(problems[:12])
    )


def stored(site: LiveSite, body: str) -> int:
    code = "from comments.models import Comment\nresult = Comment.objects.filter(body=%r).count()"
    return site.console(code % body)


def read_article(site: LiveSite, answers: Answers, count: int = 4):
    responses = [answers("GET", ARTICLE_PATH, site.get(ARTICLE_PATH)) for _ in range(count)]
    assert [response.status_code for response in responses] == [200] * count
    return responses


def post_as_reader(site: LiveSite, answers: Answers, body: str):
    page = read_article(site, answers, 1)[0]
    time.sleep(site.min_fill_seconds + 0.1)
    action = form_action(page)
    return answers("POST", action, site.post(action, reader_post_data(form_stamp(page), body)))


def log_in_moderator(site: LiveSite, answers: Answers):
    assert answers("GET", "/admin/login/", site.get("/admin/login/")).status_code == 200
    session = moderator_session(site)  # fails unless the login POST redirects with a session
    queue = answers(
        "GET", "/admin/comments/", session.get(site.url("/admin/comments/"), timeout=30)
    )
    assert queue.status_code == 200, queue.text[:2000]
    return session


def test_redis_down_then_back(live_sites, redis_servers):
    redis = redis_servers("outage-redis")
    site = live_sites("outage-site", redis_url=redis.url)
    answers = Answers(site)
    tag = uuid.uuid4().hex[:8]
    pending = site.console(
        "from blog.models import ArticlePage\nfrom comments.models import Comment\n"
        f"result = Comment.objects.create(page=ArticlePage.objects.get(slug={ARTICLE_SLUG!r}),"
        f" name='Otto Waiting {tag}', email='otto-{tag}@example.com',"
        f" body='Held for moderation {tag}', body_html='<p>Held for moderation {tag}</p>',"
        " status='pending').pk"
    )
    warm = read_article(site, answers, 3)
    assert cache_header(warm[1]) == "hit", [cache_header(response) for response in warm]

    redis.kill()
    log_before = len(site.log_text())

    # Readers still get the article (uncached), and a pending comment stays hidden.
    for response in read_article(site, answers):
        assert comment_element(response, pending) is None
    # The moderator logs in and approves the comment; readers then see it.
    session = log_in_moderator(site, answers)
    approval = answers("POST", "moderate", moderate_over_http(site, session, pending, "approve"))
    assert approval.status_code == 302, approval.text[:2000]
    shown = [
        comment_element(response, pending) is not None for response in read_article(site, answers)
    ]
    assert shown == [True] * len(shown), "approved during the outage, not shown to readers"
    # A reader's comment is taken and stored.
    body = f"Posted while the cache was down {tag}"
    posted = post_as_reader(site, answers, body)
    assert posted.status_code == 303, page_text(posted)[:2000]
    assert stored(site, body) == 1

    outage_log, outage_requests = site.log_text()[log_before:], len(answers.seen)

    redis.start()  # the same port again, empty
    deadline = time.monotonic() + CACHING_RESUMES_WITHIN
    headers = []
    while time.monotonic() < deadline:
        response = answers("GET", ARTICLE_PATH, site.get(ARTICLE_PATH))
        assert response.status_code == 200
        headers.append(cache_header(response))
        if headers[-1] == "hit":
            break
        time.sleep(0.25)
    assert headers and headers[-1] == "hit", (
        f"Redis back for {CACHING_RESUMES_WITHIN} s, no GET served from the cache: {headers}"
    )
    check_outage_logged_once_per_worker(outage_log, outage_requests)


def test_site_starts_and_serves_with_redis_unreachable_from_the_start(live_sites):
    site = live_sites("no-redis-site", redis_url=f"redis://127.0.0.1:{free_port()}/0")
    answers = Answers(site)

    read_article(site, answers, 3)
    log_in_moderator(site, answers)
    body = f"Posted with no cache at all {uuid.uuid4().hex[:8]}"
    posted = post_as_reader(site, answers, body)
    assert posted.status_code == 303, page_text(posted)[:2000]
    assert stored(site, body) == 1

    check_outage_logged_once_per_worker(site.log_text(), len(answers.seen))
