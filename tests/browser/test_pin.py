"""The moderators' pick, pinned from the queue and seen by a reader above the threads."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_comment

from .accessibility import assert_accessible
from .admin_helpers import QUEUE, moderator_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_moderator_pins_a_comment_and_readers_see_it_on_top(
    new_context, seeded_site, article, article_url, django_user_model, shot
):
    first = make_comment(article, name="Ada Approved", body="Walking helped my back.")
    pick = make_comment(
        article,
        name="Ben Physio",
        body="Short walks every hour help more than one long walk.",
        parent=first,
    )
    reader = new_context().new_page()
    reader.goto(article_url)  # cached before the pin
    expect(reader.locator(".comment-pinned")).to_have_count(0)

    moderator = moderator_context(new_context, seeded_site, django_user_model).new_page()
    moderator.goto(f"{QUEUE}?status=approved")
    row = moderator.locator("tr", has=moderator.get_by_text("Short walks every hour"))
    row.get_by_role("button", name="Pin").click()
    expect(moderator.get_by_text("Comment by Ben Physio pinned above the threads.")).to_be_visible()
    expect(row.locator(".comment-pinned-badge")).to_have_text("Pinned")
    shot(moderator, "queue-pinned", row)
    assert Comment.objects.get(pk=pick.pk).pinned

    reader.goto(article_url)
    box = reader.locator("section.comment-pinned")
    expect(box.get_by_role("heading", name="Pinned by the editors")).to_be_visible()
    expect(box.locator(".comment-body")).to_have_text(
        "Short walks every hour help more than one long walk."
    )
    in_thread = reader.locator(f"article#comment-{pick.pk}")
    expect(in_thread.locator(".comment-pinned-mark")).to_have_text("Pinned")
    shot(reader, "pinned-on-top", box)
    assert_accessible(reader)
    box.locator(".comment-permalink").click()
    expect(reader).to_have_url(f"{article_url}#comment-{pick.pk}")

    moderator.goto(f"{QUEUE}?status=approved")
    row = moderator.locator("tr", has=moderator.get_by_text("Short walks every hour"))
    row.get_by_role("button", name="Unpin").click()
    expect(moderator.get_by_text("Comment by Ben Physio unpinned.")).to_be_visible()
    reader.goto(article_url)
    expect(reader.locator(".comment-pinned")).to_have_count(0)
    expect(reader.locator(".comment-pinned-mark")).to_have_count(0)
