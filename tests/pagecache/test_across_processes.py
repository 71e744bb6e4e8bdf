"""Readers see at once what another process changed: a management command, cron, the other
gunicorn worker. The site runs in real processes (gunicorn with two workers), once with the
default local-memory cache (one per process) and, when REDIS_URL is set, with Redis.

Every check is one a reader would notice: the comment is on the page, or it is not; the
erased name is gone. Each page is read several times, three readers at once, so that both
workers answer.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.live_site import (
    ARTICLE_PATH,
    ARTICLE_SLUG,
    LiveSite,
    cache_header,
    comment_element,
    page_text,
)

# The live-site fixtures, registered once for the session (shared by every module).
pytest_plugins = ["tests.support.live_fixtures"]
pytestmark = pytest.mark.live

READS = 6  # GETs after each change, three at a time


def create_comment(site: LiveSite, status: str, **fields) -> dict:
    """A comment stored by another process than the server's; its pk, name, email and body."""
    tag = uuid.uuid4().hex[:8]
    values = {
        "name": f"Wilhelmina Quaxley {tag}",
        "email": f"wq-{tag}@example.com",
        "body": f"Heat packs eased my lower back within a week, {tag}.",
    }
    values.update(fields)
    code = f"""
from blog.models import ArticlePage
from comments.models import Comment
values = {values!r}
comment = Comment.objects.create(
    page=ArticlePage.objects.get(slug={ARTICLE_SLUG!r}),
    body_html="<p>" + values["body"] + "</p>",
    status={status!r},
    **values,
)
result = comment.pk
"""
    return {"pk": site.console(code), **values}


def apply_action_code(action: str, pk: int) -> str:
    return (
        "from comments.moderation import ACTIONS, apply_action\n"
        f"result = apply_action(ACTIONS[{action!r}], [{pk}], None)\n"
    )


def read_article(site: LiveSite, count: int = READS):
    responses = site.get_all(ARTICLE_PATH, count)
    statuses = [response.status_code for response in responses]
    assert statuses == [200] * count, f"article GETs answered {statuses}:\n{site.log_tail()}"
    return responses


def warm(site: LiveSite) -> None:
    """The article read until it comes from the full-page cache: with Redis the second GET
    is a hit; with per-process memory, of three GETs one worker answered two (a hit)."""
    responses = [site.get(ARTICLE_PATH) for _ in range(3)]
    assert [response.status_code for response in responses] == [200] * 3
    headers = [cache_header(response) for response in responses]
    if site.cache_configuration == "redis":
        assert headers[1] == "hit", f"the second GET was not served from the cache: {headers}"
    elif any(headers):
        assert "hit" in headers[1:], f"no GET was served from the cache: {headers}"


def shown(responses, pk: int) -> list[bool]:
    return [comment_element(response, pk) is not None for response in responses]


def headers_of(responses) -> list[str | None]:
    return [cache_header(response) for response in responses]


def test_article_is_served_from_the_full_page_cache(live_site):
    warm(live_site)


def test_approval_by_a_management_process_shows_on_the_next_get(live_site):
    comment = create_comment(live_site, "pending")
    warm(live_site)
    before = read_article(live_site)
    assert shown(before, comment["pk"]) == [False] * READS, "a pending comment was shown"

    live_site.shell(apply_action_code("approve", comment["pk"]))

    after = read_article(live_site)
    assert shown(after, comment["pk"]) == [True] * READS, (
        f"approved in another process, not shown to every reader; X-Page-Cache of the "
        f"GETs: {headers_of(after)}"
    )


@pytest.mark.parametrize("action", ["trash", "spam", "unapprove"])
def test_moderation_by_another_process_hides_the_comment_at_once(live_site, action):
    comment = create_comment(live_site, "approved")
    warm(live_site)
    before = read_article(live_site)
    assert shown(before, comment["pk"]) == [True] * READS, (
        f"precondition: the approved comment created by another process is shown; "
        f"X-Page-Cache: {headers_of(before)}"
    )

    assert live_site.console(apply_action_code(action, comment["pk"])) == [comment["pk"]]

    after = read_article(live_site)
    assert shown(after, comment["pk"]) == [False] * READS, (
        f"{action} in another process: the comment is still public; "
        f"X-Page-Cache: {headers_of(after)}"
    )
    assert comment["body"] not in page_text(after[0])


def test_queryset_updates_by_another_process_show_and_hide_at_once(live_site):
    comment = create_comment(live_site, "pending")
    warm(live_site)
    assert shown(read_article(live_site), comment["pk"]) == [False] * READS
    update = "from comments.models import Comment\nresult = Comment.objects.filter(pk={pk})"

    live_site.console(update.format(pk=comment["pk"]) + ".update(status='approved')")
    approved = read_article(live_site)
    assert shown(approved, comment["pk"]) == [True] * READS, (
        f"approved by a queryset update elsewhere, not shown; X-Page-Cache: {headers_of(approved)}"
    )

    live_site.console(update.format(pk=comment["pk"]) + ".update(status='trash')")
    binned = read_article(live_site)
    assert shown(binned, comment["pk"]) == [False] * READS, (
        f"binned by a queryset update elsewhere, still shown; X-Page-Cache: {headers_of(binned)}"
    )


def test_erasing_a_commenters_data_removes_their_name_from_the_page(live_site):
    comment = create_comment(live_site, "approved")
    warm(live_site)
    before = read_article(live_site)
    elements = [comment_element(response, comment["pk"]) for response in before]
    assert all(
        element is not None and comment["name"] in element.get_text(" ") for element in elements
    ), f"precondition: the comment and its author's name are shown; {headers_of(before)}"

    result = live_site.manage("erase_comment_data", comment["email"])
    assert result.returncode == 0, result.stderr

    after = read_article(live_site)
    still_named = [comment["name"] in page_text(response) for response in after]
    assert still_named == [False] * READS, (
        f"erase_comment_data ran, the old name is still on the page; X-Page-Cache: "
        f"{headers_of(after)}"
    )
    # The words stay, under another name.
    assert shown(after, comment["pk"]) == [True] * READS
    assert comment["body"] in page_text(after[0])


def test_erasing_with_delete_removes_the_comment_from_the_page(live_site):
    comment = create_comment(live_site, "approved")
    warm(live_site)
    assert shown(read_article(live_site), comment["pk"]) == [True] * READS, (
        "precondition: the approved comment created by another process is shown"
    )

    result = live_site.manage("erase_comment_data", comment["email"], "--delete")
    assert result.returncode == 0, result.stderr

    after = read_article(live_site)
    assert shown(after, comment["pk"]) == [False] * READS, (
        f"erase_comment_data --delete ran, the comment is still on the page; "
        f"X-Page-Cache: {headers_of(after)}"
    )
    assert not any(comment["body"] in page_text(response) for response in after)


def test_housekeeping_from_cron_leaves_pages_answering(live_site):
    comment = create_comment(live_site, "approved")
    warm(live_site)

    result = live_site.manage("comments_housekeeping")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"

    after = read_article(live_site)
    assert shown(after, comment["pk"]) == [True] * READS
    for path in ("/", "/blog/"):
        assert live_site.get(path).status_code == 200, path
