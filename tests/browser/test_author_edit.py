"""A reader whose comment is published at once edits and deletes it from the same browser,
with JavaScript and without; any other browser never sees the links (the page is cached)."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

from .helpers import fill_comment, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLISHED = "Thank you: your comment is published"


@pytest.fixture(autouse=True)
def published_at_once(comment_settings):
    comment_settings.COMMENTS_APPROVAL_POLICY = "approve"


def post(page, article_url, body: str) -> Comment:
    page.goto(article_url)
    fill_comment(page, body=body, name="Jane Reader", email="jane@example.com")
    submit(page)
    expect(page.locator("#comment-status-title")).to_have_text(PUBLISHED)
    comment = Comment.objects.get(body=body)
    assert comment.is_approved
    return comment


def author_links(page, comment):
    return page.locator(f"#comment-{comment.pk} .comment-author-links a")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_the_author_edits_the_published_comment(new_context, article_url, shot, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    comment = post(page, article_url, "Walking helped, sort of.")
    shot(page, "published", page.locator(f"#comment-{comment.pk}"))
    expect(author_links(page, comment)).to_have_text(["Edit your comment", "Delete your comment"])

    if javascript:
        # Later visits get the shared (cached) page: the script adds this browser's links.
        page.goto(article_url)
        expect(page.locator("#comment-status")).to_have_count(0)
        expect(author_links(page, comment)).to_have_text(
            ["Edit your comment", "Delete your comment"]
        )
        shot(page, "links-added-by-script", page.locator(f"#comment-{comment.pk}"))

    author_links(page, comment).first.click()
    page.fill("textarea[name=body]", "Walking helped a lot, in the end.")
    shot(page, "editing")
    page.get_by_role("button", name="Save the comment").click()
    article = page.locator(f"article#comment-{comment.pk}")
    expect(article.locator(".comment-body")).to_have_text("Walking helped a lot, in the end.")
    expect(article.locator(".comment-edited")).to_be_visible()
    shot(page, "edited", article)
    comment.refresh_from_db()
    assert comment.body == "Walking helped a lot, in the end." and comment.edited is not None


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_the_author_deletes_the_published_comment(new_context, article_url, shot, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    comment = post(page, article_url, "Posted by mistake.")
    if javascript:
        page.goto(article_url)
    author_links(page, comment).nth(1).click()
    expect(page.get_by_text("Delete this comment? This cannot be undone.")).to_be_visible()
    shot(page, "asked")
    page.get_by_role("button", name="Delete the comment").click()
    expect(page.locator("#commentform")).to_be_visible()
    expect(page.get_by_text("Posted by mistake.")).to_have_count(0)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert str(comment.pk) not in cookies.get("comment_editable", "")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_another_browser_never_sees_the_links(new_context, article_url, shot, javascript):
    author = new_context().new_page()
    comment = post(author, article_url, "Only I may change this.")
    author.goto(article_url)
    expect(author_links(author, comment)).to_have_count(2)

    reader = new_context(java_script_enabled=javascript).new_page()
    for _ in range(2):  # the second view is the cached copy
        reader.goto(article_url)
        expect(reader.locator(f"#comment-{comment.pk} .comment-body")).to_have_text(
            "Only I may change this."
        )
        expect(reader.locator(".comment-author-links")).to_have_count(0)
        assert f"/comments/{comment.pk}/edit/" not in reader.content()
    shot(reader, "other-reader", reader.locator(f"#comment-{comment.pk}"))
    # Even the direct address refuses this browser.
    response = reader.goto(f"{article_url.split('/blog/')[0]}/comments/{comment.pk}/edit/")
    assert response.status == 403
