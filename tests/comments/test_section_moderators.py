"""Rights by section: a moderators group limited to parts of the page tree sees and touches
only the comments there; a group without sections keeps the whole site."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments.bulk_actions import BULK_ACTIONS
from comments.models import Comment, CommentStatus, ModerationSection
from comments.moderation_sections import ModerationSectionFormSet
from comments.notifications import comment_posted
from comments.permissions import comment_moderators
from tests.comments.test_admin_permissions import namespace_urls
from tests.conftest import _test_site_page
from tests.factories import make_comment
from tests.testapp.models import DiscussionPage

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/comments/"


@pytest.fixture
def section_a(commented_page):
    """Section A: the physio page and a page below it."""
    child = DiscussionPage(title="Knee exercises", slug="knee-exercises")
    commented_page.add_child(instance=child)
    return commented_page, child


@pytest.fixture
def section_b(other_commented_page):
    return other_commented_page


@pytest.fixture
def physio_group(section_a):
    group = Group.objects.create(name="Physio moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_comment"))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    ModerationSection.objects.create(group=group, page=section_a[0])
    return group


@pytest.fixture
def section_moderator(django_user_model, physio_group):
    user = django_user_model.objects.create_user("physio", email="physio@example.com")
    user.groups.add(physio_group)
    return user


@pytest.fixture
def section_client(section_moderator) -> Client:
    browser = Client()
    browser.force_login(section_moderator)
    return browser


@pytest.fixture
def comments(section_a, section_b):
    """Two pending comments in A (one on the page below), one pending and one spam in B."""
    top, child = section_a
    return {
        "a": make_comment(top, status=CommentStatus.PENDING, name="Anna A"),
        "a_child": make_comment(child, status=CommentStatus.PENDING, name="Alex Below"),
        "b": make_comment(section_b, status=CommentStatus.PENDING, name="Bea B"),
        "b_spam": make_comment(section_b, status=CommentStatus.SPAM, name="Bob B"),
    }


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with 403, or for a plain browser request
    with a redirect to the dashboard and its "Sorry, you do not have permission" message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def listed_names(response) -> set[str]:
    rows = soup_of(response).select("#listing-results tbody tr")
    return {
        name
        for row in rows
        for name in ["Anna A", "Alex Below", "Bea B", "Bob B"]
        if name in row.text
    }


def tab_counts(response) -> dict[str, str]:
    nav = soup_of(response).find("nav", class_="comment-status-tabs")
    return {a["data-status"]: a.find(class_="comment-status-tabs__count").text for a in nav("a")}


def test_the_queue_lists_and_counts_only_the_sections_comments(comments, section_client):
    response = section_client.get(LIST_URL)
    assert listed_names(response) == {"Anna A", "Alex Below"}
    counts = tab_counts(response)
    assert counts[""] == "(2)" and counts["pending"] == "(2)" and counts["spam"] == "(0)"
    assert listed_names(section_client.get(LIST_URL, {"status": "spam"})) == set()
    # Searching does not reach past the sections either.
    assert listed_names(section_client.get(LIST_URL, {"q": "Bea"})) == set()
    assert "Comments (2)" in response.content.decode()


def test_the_page_filter_offers_only_pages_in_the_sections(comments, section_client, section_b):
    html = section_client.get(LIST_URL).content.decode()
    assert "Knee exercises" in html and section_b.title not in html


def test_menu_and_dashboard_count_only_the_sections_comments(comments, section_client):
    html = section_client.get("/admin/").content.decode()
    assert "Comments (2)" in html and "Comments (3)" not in html
    panel = BeautifulSoup(html, "html.parser").find(class_="pending-comments-count")
    assert "2 comments are awaiting moderation." in panel.text
    assert "Anna A" in html and "Bea B" not in html


def test_a_site_wide_moderator_still_sees_everything(comments, moderator_client):
    response = moderator_client.get(LIST_URL)
    assert listed_names(response) == {"Anna A", "Alex Below", "Bea B"}
    assert tab_counts(response)["pending"] == "(3)"
    assert "Comments (3)" in moderator_client.get("/admin/").content.decode()


def test_a_group_without_sections_keeps_the_whole_site(comments, section_moderator, physio_group):
    ModerationSection.objects.filter(group=physio_group).delete()
    browser = Client()
    browser.force_login(section_moderator)
    assert listed_names(browser.get(LIST_URL)) == {"Anna A", "Alex Below", "Bea B"}


def test_moderating_a_comment_outside_the_sections_is_refused(comments, section_client):
    for action in ("approve", "spam"):
        url = reverse("reader_comments:moderate", args=[comments["b"].pk, action])
        assert refused(section_client.get(url))
        assert refused(section_client.post(url))
    comments["b"].refresh_from_db()
    assert comments["b"].status == CommentStatus.PENDING
    # Inside the sections, the page below the section's root included, it works.
    for comment in (comments["a"], comments["a_child"]):
        url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
        assert section_client.post(url).status_code == 302
        comment.refresh_from_db()
        assert comment.status == CommentStatus.APPROVED


def test_bulk_action_with_mixed_ids_only_touches_the_sections_comments(comments, section_client):
    ids = [comments["a"].pk, comments["b"].pk]
    url = "/admin/bulk/comments/comment/comments-approve/?" + "&".join(f"id={pk}" for pk in ids)
    assert section_client.get(url).status_code == 200
    response = section_client.post(url)
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[comments["a"].pk] == CommentStatus.APPROVED
    assert statuses[comments["b"].pk] == CommentStatus.PENDING
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("1 selected comment is outside the sections you moderate" in m for m in told)
    assert any("1 comment" in m and "approved" in m.lower() for m in told), told


def test_bulk_action_on_all_in_listing_stays_in_the_sections(comments, section_client):
    url = "/admin/bulk/comments/comment/comments-trash/?id=all"
    section_client.post(url)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[comments["a"].pk] == statuses[comments["a_child"].pk] == CommentStatus.TRASH
    assert statuses[comments["b"].pk] == CommentStatus.PENDING


def test_emptying_spam_leaves_other_sections_spam(comments, section_client, section_a):
    own_spam = make_comment(section_a[1], status=CommentStatus.SPAM)
    section_client.post(reverse("reader_comments:empty", args=["spam"]))
    assert not Comment.objects.filter(pk=own_spam.pk).exists()
    assert Comment.objects.filter(pk=comments["b_spam"].pk).exists()


def test_moderation_email_goes_only_to_moderators_of_the_comments_section(
    comments, section_moderator, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_posted(comments["b"])
    assert sorted(a for m in mail.outbox for a in m.to) == ["mod@example.com"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_posted(comments["a_child"])
    assert sorted(a for m in mail.outbox for a in m.to) == ["mod@example.com", "physio@example.com"]


def test_comment_moderators_for_a_page_counts_sections_above_it(
    section_a, section_b, section_moderator
):
    top, child = section_a
    assert section_moderator in comment_moderators(child)
    assert section_moderator in comment_moderators(top)
    assert section_moderator not in comment_moderators(section_b)
    assert section_moderator in comment_moderators()


def comment_urls(comment) -> list[str]:
    """Every comments admin URL that names a comment, filled in with this one's id."""
    values = {"pk": comment.pk, "action_name": "approve", "status": "spam"}
    marker = f"/{comment.pk}/"
    return [url for url in namespace_urls("reader_comments", values) if marker in url]


def test_every_comment_admin_url_refuses_a_comment_outside_the_sections(comments, section_client):
    spam = comments["b_spam"]
    urls = comment_urls(spam)
    assert len(urls) >= 8
    assert reverse("reader_comments:edit", args=[spam.pk]) in urls
    assert reverse("reader_comments:commenter", args=[spam.pk]) in urls
    for url in urls:
        for method in ("get", "post"):
            response = getattr(section_client, method)(url)
            assert refused(response), (method, url, response.status_code)
    # Bulk URLs do not refuse: they list it as not the moderator's, and leave it alone.
    for action in BULK_ACTIONS:
        section_client.post(f"/admin/bulk/comments/comment/{action.action_type}/?id={spam.pk}")
    spam.refresh_from_db()
    assert spam.status == CommentStatus.SPAM


def test_every_comment_admin_url_opens_for_a_comment_inside_the_sections(section_a, section_client):
    own = make_comment(section_a[1], status=CommentStatus.SPAM)
    for url in comment_urls(own):
        assert not refused(section_client.get(url)), url


def test_commenter_history_counts_only_the_sections_comments(section_a, section_b, section_client):
    make_comment(section_b, email="same@example.com", status=CommentStatus.SPAM)
    mine = make_comment(section_a[0], email="same@example.com", status=CommentStatus.PENDING)
    html = section_client.get(reverse("reader_comments:commenter", args=[mine.pk])).content.decode()
    assert "See it in the queue" in html and "See all 2 in the queue" not in html


def test_privacy_export_holds_only_the_sections_comments(section_a, section_b, section_client):
    make_comment(section_b, email="same@example.com", body="Elsewhere")
    make_comment(section_a[0], email="same@example.com", body="Here")
    response = section_client.post(
        reverse("reader_comments:privacy"),
        {"email": "same@example.com", "mode": "anonymise", "export": "1"},
    )
    exported = json.loads(response.content)
    assert [c["body"] for c in exported["comments"]] == ["Here"]


def test_privacy_erase_touches_only_the_sections_comments(section_a, section_b, section_client):
    elsewhere = make_comment(section_b, email="same@example.com")
    make_comment(section_a[0], email="same@example.com")
    section_client.post(
        reverse("reader_comments:privacy"), {"email": "same@example.com", "mode": "delete"}
    )
    assert list(Comment.objects.values_list("pk", flat=True)) == [elsewhere.pk]


def test_the_queue_costs_no_more_queries_when_limited(
    comments, section_client, moderator_client, django_assert_max_num_queries
):
    moderator_client.get(LIST_URL)  # warm Wagtail's own per-process lookups
    with django_assert_max_num_queries(30) as site_wide:
        moderator_client.get(LIST_URL)
    with django_assert_max_num_queries(len(site_wide.captured_queries) + 1):
        section_client.get(LIST_URL)


def test_the_group_screen_shows_the_sections_panel(physio_group, admin_client):
    html = admin_client.get(reverse("wagtailusers_groups:edit", args=[physio_group.pk])).content
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.find(id="comment-moderation-sections-section") or soup.find(
        attrs={"id": lambda v: v and "comment-moderation-sections" in v}
    )
    assert panel is not None
    assert "Ask the physio" in panel.text


def formset_data(*pages, prefix: str = "comment_sections") -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(pages)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, page in enumerate(pages):
        data[f"{prefix}-{index}-page"] = str(page.pk)
        data[f"{prefix}-{index}-DELETE"] = ""
    return data


def test_the_sections_panel_saves_the_chosen_sections(physio_group, section_a, section_b):
    formset = ModerationSectionFormSet(formset_data(section_a[1], section_b), instance=physio_group)
    assert formset.is_valid()
    formset.save()
    assert set(physio_group.comment_moderation_sections.values_list("page_id", flat=True)) == {
        section_a[1].pk,
        section_b.pk,
    }


def test_the_sections_panel_refuses_a_section_chosen_twice(physio_group, section_b):
    formset = ModerationSectionFormSet(formset_data(section_b, section_b), instance=physio_group)
    assert not formset.is_valid()
    assert "Each section can be chosen only once." in formset.non_form_errors()
    assert list(physio_group.comment_moderation_sections.values_list("page_id", flat=True)) != [
        section_b.pk
    ]


def test_a_section_on_another_branch_is_not_a_prefix_match(physio_group, section_moderator):
    # "Ask the physio" and its sibling share the first steps of their paths: a sibling whose
    # path merely starts like the section's is not in it (paths are fixed-width steps).
    sibling = _test_site_page(DiscussionPage, "Ask the physio too", "ask-the-physio-too")
    make_comment(sibling, status=CommentStatus.PENDING, name="Sib Ling")
    browser = Client()
    browser.force_login(section_moderator)
    assert "Sib Ling" not in browser.get(LIST_URL).content.decode()


def group_form_data(html: bytes) -> dict:
    """The group edit form's fields as the browser would send them unchanged."""
    form = (
        BeautifulSoup(html, "html.parser").find("input", attrs={"name": "name"}).find_parent("form")
    )
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.find_parent("template"):
            continue
        if field.name == "select":
            chosen = [
                o.get("value", "") for o in field.find_all("option") if o.has_attr("selected")
            ]
            data.setdefault(name, []).extend(chosen)
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data.setdefault(name, []).append(field.get("value", "") or field.text)
    return data


def test_the_group_screen_saves_a_new_section(physio_group, section_b, admin_client):
    url = reverse("wagtailusers_groups:edit", args=[physio_group.pk])
    data = group_form_data(admin_client.get(url).content)
    assert data["comment_sections-TOTAL_FORMS"] == ["1"]
    data["comment_sections-TOTAL_FORMS"] = ["2"]
    data["comment_sections-1-page"] = [str(section_b.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(physio_group.comment_moderation_sections.values_list("page__title", flat=True)) == {
        "Ask the physio",
        "Ask the nurse",
    }
    # The group's own permissions came through the round trip unchanged.
    assert physio_group.permissions.filter(codename="moderate_comment").exists()


def test_a_moderator_in_two_limited_groups_moderates_both_sections(
    comments, section_moderator, section_b
):
    nurses = Group.objects.create(name="Nurse moderators")
    nurses.permissions.add(Permission.objects.get(codename="moderate_comment"))
    ModerationSection.objects.create(group=nurses, page=section_b)
    section_moderator.groups.add(nurses)
    browser = Client()
    browser.force_login(section_moderator)
    assert listed_names(browser.get(LIST_URL)) == {"Anna A", "Alex Below", "Bea B"}
    assert section_moderator in comment_moderators(section_b)


def test_a_group_without_the_permission_does_not_limit_or_widen(
    comments, section_moderator, section_b
):
    # Sections on a group that cannot moderate count for nothing: the A-only scope stays.
    readers = Group.objects.create(name="Readers' panel")
    ModerationSection.objects.create(group=readers, page=section_b)
    section_moderator.groups.add(readers)
    browser = Client()
    browser.force_login(section_moderator)
    assert listed_names(browser.get(LIST_URL)) == {"Anna A", "Alex Below"}
    assert section_moderator not in comment_moderators(section_b)


def test_one_site_wide_group_gives_the_whole_site(comments, section_moderator):
    section_moderator.groups.add(Group.objects.get(name="Comment moderators"))
    browser = Client()
    browser.force_login(section_moderator)
    assert listed_names(browser.get(LIST_URL)) == {"Anna A", "Alex Below", "Bea B"}
