"""The moderation queue as a moderator uses it: status tabs, a phone, the keyboard alone."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentStatus

from .accessibility import assert_accessible
from .admin_helpers import PHONE, QUEUE, WIDE, ZOOM_400, fill_queue, moderator_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHECKBOX = "[data-bulk-action-checkbox]"
TABS = [
    ("", "All"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("spam", "Spam"),
    ("trash", "Bin"),
]


def wait_for_queue_scripts(page) -> None:
    """Wagtail's controllers connected (body.ready) and the queue's script run (toolbars)."""
    page.wait_for_selector("body.ready", state="attached")
    if page.locator("#listing-results tbody tr").count():
        page.wait_for_selector("[role=toolbar] [tabindex='0']", state="attached")


@pytest.fixture
def queue(article):
    return fill_queue(article)


@pytest.fixture
def open_queue(new_context, seeded_site, django_user_model):
    def open_(viewport=WIDE, query=""):
        page = moderator_context(new_context, seeded_site, django_user_model, viewport).new_page()
        page.goto(f"{QUEUE}{query}")
        wait_for_queue_scripts(page)
        return page

    return open_


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_status_tabs_are_wagtail_tabs_with_the_current_one_marked(
    queue, open_queue, shot, viewport
):
    page = open_queue(viewport)
    counts = {"": 5, "pending": 4, "approved": 1, "spam": 1, "trash": 1}
    for status, label in TABS:
        page.goto(f"{QUEUE}?status={status}" if status else QUEUE)
        wait_for_queue_scripts(page)
        tabs = page.get_by_role("navigation", name="Comment status")
        current = tabs.locator("a[aria-current=page]")
        expect(current).to_have_count(1)
        expect(current).to_have_text(f"{label} ({counts[status]})")
        expect(current).to_have_class("w-tabs__tab")
        # Wagtail's selected-tab underline, drawn for the current page only.
        # (Wagtail animates the underline in: wait for it to have grown.)
        page.wait_for_function(
            "a => getComputedStyle(a, '::after').width !== '0px'", arg=current.element_handle()
        )
        other = tabs.locator("a:not([aria-current])").first
        assert other.evaluate("a => getComputedStyle(a, '::after').width") == "0px"
        shot(page, f"tab-{label.lower()}")
        assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, ZOOM_400], ids=["390", "320"])
def test_every_column_and_action_is_reachable_on_a_phone(queue, open_queue, shot, viewport):
    page = open_queue(viewport, "?status=pending")
    region = page.get_by_role("region", name="Comments (scroll sideways to see every column)")
    expect(region).to_have_attribute("tabindex", "0")
    headers = region.locator("thead th")
    row = region.locator("tbody tr").first
    for index in range(headers.count()):
        for cell in (headers.nth(index), row.locator("td").nth(index)):
            cell.scroll_into_view_if_needed()
            box, seen = cell.bounding_box(), region.bounding_box()
            assert box["width"] > 0 and box["height"] > 0
            # Inside the window and inside the region's visible part: not clipped.
            assert (
                box["x"] >= seen["x"] - 1
                and box["x"] + min(box["width"], 40) <= seen["x"] + seen["width"] + 1
            )
            assert box["x"] >= 0 and box["x"] < viewport["width"]
        shot(page, f"column-{index}")
    for control in row.locator("[role=toolbar] button, [role=toolbar] a").all():
        control.scroll_into_view_if_needed()
        expect(control).to_be_in_viewport()
    # The keyboard scrolls the region too.
    region.evaluate("r => r.scrollLeft = 0")
    region.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    # (Arrow-key scrolling is animated: wait for it.)
    page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
    status_header = region.locator("thead th", has_text="Status")
    expect(status_header).to_be_in_viewport()
    assert_accessible(page)


def test_checkboxes_show_and_the_bulk_bar_speaks_of_comments(queue, open_queue, shot):
    page = open_queue(WIDE, "?status=pending")
    boxes = page.locator("#listing-results tbody [data-bulk-action-checkbox]")
    page.mouse.move(0, 0)
    for box in boxes.all():
        assert box.evaluate("b => getComputedStyle(b).opacity") == "1"
    boxes.nth(0).check()
    expect(page.locator("[data-bulk-action-num-objects]")).to_have_text("1 comment selected")
    for box in boxes.all():
        box.check()
    expect(page.locator("[data-bulk-action-num-objects]")).to_have_text(
        f"All {boxes.count()} comments on this screen selected"
    )
    shot(page, "all-selected")
    assert_accessible(page)


def test_first_row_is_four_keys_away_and_each_row_three_tabs(queue, open_queue):
    page = open_queue(WIDE, "?status=pending")
    rows = page.locator("#listing-results tbody tr")
    # Wagtail's skip link, then the queue's own: four keys.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the comments")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows.nth(0).locator("[data-bulk-action-checkbox]")).to_be_focused()
    for index in range(1, 3):
        tabs = 0
        while (
            not rows.nth(index)
            .locator("[data-bulk-action-checkbox]")
            .evaluate("b => b === document.activeElement")
        ):
            page.keyboard.press("Tab")
            tabs += 1
            assert tabs <= 3, "more than three Tab stops in a row"
    # Inside a row's toolbar the arrow keys move along its actions.
    page.keyboard.press("Tab")
    toolbar = rows.nth(2).get_by_role("toolbar")
    expect(toolbar.locator("[data-comment-action=approve]")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.locator("[data-comment-action=spam]")).to_be_focused()


def test_bulk_approval_by_keyboard_alone_in_six_keys(queue, open_queue, shot):
    page = open_queue(WIDE, "?status=pending")
    rows = page.locator("#listing-results tbody tr")
    chosen = [
        int(rows.nth(i).locator("[data-bulk-action-checkbox]").get_attribute("data-object-id"))
        for i in (0, 1)
    ]
    presses = ["j", "x", "j", "x", "Shift+A"]
    for key in presses:
        page.keyboard.press(key)
    page.wait_for_url("**/comments-approve/**")
    confirm = page.get_by_role("button", name="Approve")
    expect(confirm).to_be_focused()
    shot(page, "confirmation")
    assert_accessible(page)
    page.keyboard.press("Enter")
    presses.append("Enter")
    page.wait_for_url(f"**{QUEUE}?status=pending")
    assert len(presses) == 6
    statuses = dict(Comment.objects.filter(pk__in=chosen).values_list("pk", "status"))
    assert statuses == {pk: CommentStatus.APPROVED for pk in chosen}
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 2
    expect(page.locator(".messages")).to_contain_text("2 comments approved")
    shot(page, "approved")


def test_row_shortcuts_act_on_the_focused_comment_and_keep_the_place(queue, open_queue, shot):
    page = open_queue(WIDE, "?status=pending")
    rows = page.locator("#listing-results tbody tr")

    def first_id() -> int:
        return int(rows.nth(0).locator(CHECKBOX).get_attribute("data-object-id"))

    acted = first_id()
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.locator(".messages")).to_contain_text("approved")
    wait_for_queue_scripts(page)
    assert Comment.objects.get(pk=acted).status == CommentStatus.APPROVED
    # Focus is back on the first row: the comment that came next.
    expect(rows.nth(0).locator("[data-bulk-action-checkbox]")).to_be_focused()
    spammed = first_id()
    page.keyboard.press("s")
    expect(page.locator(".messages")).to_contain_text("marked as spam")
    wait_for_queue_scripts(page)
    assert Comment.objects.get(pk=spammed).status == CommentStatus.SPAM
    # Typing in the search field never moderates.
    search = page.locator("#id_q")
    search.focus()
    # "j" would leave the field for a row, "a" approve it; the search answers as usual.
    with page.expect_response(lambda response: "q=ja" in response.url):
        page.keyboard.type("ja")
    expect(search).to_have_value("ja")
    expect(search).to_be_focused()
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 2
    shot(page, "after-shortcuts")


def test_shortcuts_are_listed_in_wagtails_dialog(queue, open_queue, shot):
    page = open_queue(WIDE)
    page.get_by_role("button", name="Keyboard shortcuts").click()
    dialog = page.locator("#keyboard-shortcuts-dialog")
    group = dialog.locator("#keyboard-shortut-group-comments-queue")
    expect(group).to_be_visible()
    expect(group).to_contain_text("Comments moderation queue")
    for label, key in [
        ("Next comment", "j"),
        ("Approve the comment", "a"),
        ("Approve the selected comments", "Shift + a"),
    ]:
        row = group.locator("tr").filter(has=page.get_by_role("rowheader", name=label, exact=True))
        expect(row.locator("kbd")).to_have_text(key)
    shot(page, "dialog", group)
    assert_accessible(page)
    # While the dialog is open, the queue's keys do nothing: not even a bulk action on the
    # comment selected before it opened.
    page.keyboard.press("Escape")
    expect(group).to_be_hidden()
    page.locator(f"#listing-results tbody tr {CHECKBOX}").first.check()
    page.keyboard.press("?")  # Wagtail's own key, from a row's checkbox too
    expect(group).to_be_visible()
    page.keyboard.press("j")
    page.keyboard.press("Shift+A")
    page.wait_for_timeout(300)
    assert page.url.endswith(QUEUE)
    assert page.evaluate("document.activeElement.closest('#listing-results tbody') === null")


def test_shortcuts_stay_off_for_a_moderator_who_turned_wagtails_off(
    queue, new_context, seeded_site, django_user_model
):
    from wagtail.users.models import UserProfile

    context = moderator_context(new_context, seeded_site, django_user_model, WIDE)
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="maria-mod"))
    profile.keyboard_shortcuts = False
    profile.save()
    page = context.new_page()
    page.goto(f"{QUEUE}?status=pending")
    wait_for_queue_scripts(page)
    first = page.locator(f"#listing-results tbody tr {CHECKBOX}").first
    first.focus()
    page.keyboard.press("a")
    page.keyboard.press("j")
    expect(first).to_be_focused()
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 4
