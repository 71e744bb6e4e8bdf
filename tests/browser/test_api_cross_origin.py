"""A front end on another origin posts through the JSON API in a real browser: a listed origin
gets a stamp, posts and reads the answer; an unlisted one is stopped by the browser before
its POST is sent; a cross-site text/plain body (no preflight) is refused by CSRF.

The front end's origin is http://localhost:<port>, the API is called at http://127.0.0.1:<port>
(another origin, the same live server). Its scripts run on the admin's login page: the demo
site's public pages have a Content-Security-Policy (``default-src 'self'``) that forbids them
any other origin, the admin has none; and a page the browser's router made up would have no
address, so Chromium's local-network protection would refuse its calls to 127.0.0.1."""

from __future__ import annotations

import pytest

from comments.models import Comment
from comments.tokens import make_form_stamp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POST_FROM_FRONT_END = """async ([api, pageId, body, credentials, givenStamp]) => {
  try {
    const stamp = givenStamp ? {stamp: givenStamp}
                             : await (await fetch(`${api}stamp/?page=${pageId}`)).json();
    const response = await fetch(api, {
      method: "POST",
      credentials,
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({page: pageId, stamp: stamp.stamp, name: "Front End",
                            email: "front@example.com", body}),
    });
    return {status: response.status, data: await response.json(),
            retryAfter: response.headers.get("Retry-After")};
  } catch (error) {
    return {failed: error.name};
  }
}"""

FORGED_TEXT_PLAIN = """async ([api, pageId]) => {
  // What a cross-site HTML form (enctype="text/plain") can send: no preflight needed.
  await fetch(api, {method: "POST", mode: "no-cors", credentials: "include",
                    headers: {"Content-Type": "text/plain"},
                    body: JSON.stringify({page: pageId, name: "Forged",
                                          email: "forged@example.com", body: "Forged"})});
  return "sent";
}"""


@pytest.fixture
def api_url(seeded_site) -> str:
    return seeded_site.url.replace("localhost", "127.0.0.1") + "/api/comments/"


@pytest.fixture
def front_end(page, seeded_site):
    """A page of the front end's origin whose policy lets its scripts call another origin."""
    page.goto(f"{seeded_site.url}/admin/login/")
    assert page.evaluate("document.querySelector('meta[http-equiv]')") is None
    return page


def test_a_listed_origin_posts_and_reads_the_answer(
    front_end, page, article, article_url, api_url, seeded_site, settings, shot
):
    settings.COMMENTS_API_CORS_ORIGINS = [seeded_site.url]
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    result = page.evaluate(
        POST_FROM_FRONT_END, [api_url, article.pk, "From a front end", "omit", None]
    )
    assert result["status"] == 201, result
    assert result["data"]["state"] == "approved"
    assert Comment.objects.get(pk=result["data"]["id"]).body == "From a front end"
    # A field the form refuses: the front end reads the same message the form shows.
    refused = page.evaluate(POST_FROM_FRONT_END, [api_url, article.pk, "   ", "omit", None])
    assert refused["status"] == 400
    assert refused["data"]["errors"]["body"] == ["Please type your comment."]
    page.goto(article_url)
    assert "From a front end" in page.locator("#comments").inner_text()
    shot(page, "posted-from-front-end", page.locator("#comments"))


def test_an_unlisted_origin_or_cookies_are_stopped_before_the_post(
    front_end, page, article, api_url, seeded_site, settings
):
    settings.COMMENTS_API_CORS_ORIGINS = ["https://another-front.example"]
    no_stamp = page.evaluate(POST_FROM_FRONT_END, [api_url, article.pk, "No stamp", "omit", None])
    assert no_stamp == {"failed": "TypeError"}  # the stamp's answer is not readable
    # With a stamp in hand, the browser's preflight is refused and the POST never sent.
    stamp = make_form_stamp(article.pk)
    unlisted = page.evaluate(
        POST_FROM_FRONT_END, [api_url, article.pk, "Not listed", "omit", stamp]
    )
    assert unlisted == {"failed": "TypeError"}
    settings.COMMENTS_API_CORS_ORIGINS = [seeded_site.url]
    stamp = make_form_stamp(article.pk)
    with_cookies = page.evaluate(
        POST_FROM_FRONT_END, [api_url, article.pk, "Cookies", "include", stamp]
    )
    assert with_cookies == {"failed": "TypeError"}  # never allowed with credentials
    assert page.evaluate(FORGED_TEXT_PLAIN, [api_url, article.pk]) == "sent"
    assert not Comment.objects.filter(email__in=["front@example.com", "forged@example.com"])
