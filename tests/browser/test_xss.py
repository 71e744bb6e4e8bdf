"""Hostile comments render inert: no script runs, no event handler or javascript: link survives."""

import pytest
from playwright.sync_api import expect

from comments.sanitize import sanitize_comment
from tests.factories import make_comment

from .helpers import approve, fill_comment, submit, wait_for_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    '<a href="jAvAsCrIpT:alert(1)">y</a>',
]

INSPECT_COMMENT_BODIES = """() => {
  const bodies = [...document.querySelectorAll('.comment-body')];
  const all = bodies.flatMap(body => [...body.querySelectorAll('*')]);
  return {
    bodies: bodies.length,
    handlers: all.flatMap(el => [...el.attributes].filter(a => /^on/i.test(a.name))
                                                  .map(a => el.tagName + ' ' + a.name)),
    badLinks: bodies.flatMap(body => [...body.querySelectorAll('a[href]')])
                    .map(a => a.getAttribute('href'))
                    .filter(href => !/^(https?|mailto):/i.test(href.trim())),
    dangerousTags: all.filter(el => /^(script|style|svg|img|iframe|object|embed)$/i
                                      .test(el.tagName)).map(el => el.tagName),
  };
}"""


def test_hostile_comments_render_inert(page, article, article_url, shot):
    stored = [
        make_comment(
            article, name=f"Mallory {number}", body=payload, body_html=sanitize_comment(payload)
        )
        for number, payload in enumerate(PAYLOADS, start=1)
    ]
    stored.append(
        make_comment(
            article,
            name='<img src=x onerror=alert("name")>',
            body="A harmless body from a hostile name.",
        )
    )
    page.goto(article_url)
    hostile_body = "\n\n".join(PAYLOADS)
    fill_comment(page, body=hostile_body, name="Mallory Posted", email="mallory@example.com")
    submit(page)
    posted = wait_for_pending(page)
    assert posted.body == hostile_body
    approve(posted)

    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.goto(article_url)
    expect(page.locator("article.comment")).to_have_count(len(stored) + 1)
    shot(page, "hostile-comments", page.locator(f"#comment-{stored[0].pk}"))

    # The reply link carries the hostile name into the page as text only.
    page.locator(f"#comment-{stored[-1].pk} .comment-reply-link").click()
    expect(page.locator("#reply-title .reply-to-name")).to_have_text(
        '<img src=x onerror=alert("name")>'
    )
    shot(page, "reply-to-hostile-name", page.locator("#respond"))

    found = page.evaluate(INSPECT_COMMENT_BODIES)
    assert found["bodies"] == len(stored) + 1
    assert found["handlers"] == []
    assert found["badLinks"] == []
    assert found["dangerousTags"] == []
    expect(page.locator("body")).to_be_visible()
    expect(page.locator("#commentform")).to_be_visible()
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert not [line for line in console if "alert" in line or line.startswith("pageerror")], (
        console
    )
