"""Every comments admin screen but the queue (test_moderation_queue.py): a comment's screen, its
history, the Discussion settings and the dashboard, checked with axe at 1280 and 390 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Site

from comments.models import Comment, CommentStatus
from comments.moderation import ACTIONS, apply_action

from .accessibility import assert_accessible
from .admin_helpers import PHONE, WIDE, ZOOM_200, fill_queue, moderator_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
VIEWPORTS = pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])


@pytest.fixture
def queue(article):
    return fill_queue(article)


@pytest.fixture
def moderator_page(new_context, seeded_site, django_user_model):
    def open_(viewport=WIDE):
        return moderator_context(new_context, seeded_site, django_user_model, viewport).new_page()

    return open_


@VIEWPORTS
def test_a_comments_screen_gives_what_a_moderator_needs_beside_the_form(
    queue, article, moderator_page, shot, viewport
):
    reply, parent = queue["reply"], queue["parent"]
    apply_action(ACTIONS["spam"], [reply.pk], None)
    apply_action(ACTIONS["not_spam"], [reply.pk], None)
    page = moderator_page(viewport)
    page.goto(reverse("reader_comments:edit", args=[reply.pk]))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).to_have_text(f"Maria Keller on “{article.title}”")
    details = page.get_by_role("region", name="About this comment")
    for text in [
        "Pending",
        reply.created.strftime("%Y"),
        "20 minutes ago",
        article.title,
        "Ada Approved’s comment",
        "Walking helped my back.",
        "https://maria.example",
        "192.0.2.44",
        "TestBrowser/1.0",
        reply.email,
    ]:
        expect(details).to_contain_text(text)
    expect(details.get_by_role("link", name=article.title)).to_have_attribute(
        "href", reverse("wagtailadmin_pages:edit", args=[article.pk])
    )
    expect(details.get_by_role("link", name="Ada Approved’s comment")).to_have_attribute(
        "href", reverse("reader_comments:edit", args=[parent.pk])
    )
    history = page.get_by_role("region", name="History")
    expect(history.locator("li")).to_have_count(2)
    expect(history.locator("li").first).to_contain_text("Not spam: Spam → Pending")
    if viewport is WIDE:
        # Beside the form, not under it.
        form_box = page.locator("#w-editor-form").bounding_box()
        aside_box = details.bounding_box()
        assert aside_box["x"] >= form_box["x"] + form_box["width"] - 1
    shot(page, "comment-screen")
    assert_accessible(page)


@VIEWPORTS
def test_a_comments_history_screen(queue, moderator_page, shot, viewport):
    reply = queue["reply"]
    apply_action(ACTIONS["approve"], [reply.pk], None)
    page = moderator_page(viewport)
    page.goto(reverse("reader_comments:history", args=[reply.pk]))
    expect(page.locator("main")).to_contain_text("Approve: Pending → Approved")
    shot(page, "history")
    assert_accessible(page)


SIMPLE_SCREENS = {
    "confirm-approve": (
        lambda queue: reverse("reader_comments:moderate", args=[queue["reply"].pk, "approve"]),
        "Approve",
    ),
    "reply": (lambda queue: reverse("reader_comments:reply", args=[queue["reply"].pk]), "Reply"),
    "empty-spam": (lambda queue: reverse("reader_comments:empty", args=["spam"]), "Delete"),
    "privacy": (lambda queue: reverse("reader_comments:privacy"), "Export"),
    "delete": (lambda queue: reverse("reader_comments:delete", args=[queue["spam"].pk]), "Yes"),
    "bulk-delete": (
        lambda queue: (
            reverse("wagtail_bulk_action", args=["comments", "comment", "delete"])
            + f"?id={queue['spam'].pk}&id={queue['binned'].pk}"
        ),
        "Yes",
    ),
}


@VIEWPORTS
@pytest.mark.parametrize("screen", SIMPLE_SCREENS)
def test_the_other_comments_screens(queue, moderator_page, shot, viewport, screen):
    url_of, button = SIMPLE_SCREENS[screen]
    page = moderator_page(viewport)
    page.goto(url_of(queue))
    expect(page.get_by_role("button", name=button).first).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).not_to_have_text("")
    shot(page, screen)
    assert_accessible(page)


@VIEWPORTS
def test_the_bulk_confirmation_screen(queue, moderator_page, shot, viewport):
    ids = "&".join(f"id={comment.pk}" for comment in queue["pending"])
    page = moderator_page(viewport)
    page.goto(
        reverse("wagtail_bulk_action", args=["comments", "comment", "comments-trash"])
        + f"?{ids}&next=/admin/comments/"
    )
    expect(page.get_by_role("button", name="Bin")).to_be_focused()
    expect(page.locator("main")).to_contain_text("Bin 3 selected comments?")
    shot(page, "bulk-confirm")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [WIDE, PHONE, ZOOM_200], ids=["1280", "390", "zoom200"])
def test_the_discussion_settings_fit_a_phone_and_200_percent_zoom(
    seeded_site, moderator_page, django_user_model, shot, viewport
):
    from django.contrib.auth.models import Permission

    site = Site.objects.get(is_default_site=True)
    page = moderator_page(viewport)
    user = django_user_model.objects.get(username="maria-mod")
    user.user_permissions.add(
        Permission.objects.get(
            codename="change_discussionsettings", content_type__app_label="comments"
        )
    )
    page.goto(reverse("wagtailsettings:edit", args=["comments", "discussionsettings", site.pk]))
    policy = page.get_by_role(
        "radio", name="Held unless the author has a previously approved comment"
    )
    for choice in page.locator("input[name=approval_policy]").all():
        label = page.locator(f"label[for='{choice.get_attribute('id')}']")
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], "label cut off"
    expect(policy).to_be_visible()
    expect(page.locator("main")).to_contain_text("1: readers cannot reply to a comment")
    shot(page, "discussion-settings", page.locator("input[name=approval_policy]").first)
    assert_accessible(page)


@VIEWPORTS
def test_the_dashboard_pending_panel_says_just_now(queue, article, moderator_page, shot, viewport):
    Comment.objects.create(
        page=article,
        name="Fresh Fay",
        email="fay@example.com",
        body="Hello",
        body_html="<p>Hello</p>",
        status=CommentStatus.PENDING,
    )
    page = moderator_page(viewport)
    page.goto("/admin/")
    panel = page.get_by_role("region", name="Pending comments")
    expect(panel).to_contain_text("Fresh Fay")
    expect(panel).to_contain_text("just now")
    expect(panel).not_to_contain_text(re.compile(r"(^|[^0-9])0\s+minutes"))
    shot(page, "dashboard", panel)
    assert_accessible(page)
