"""The moderators' pick: one approved comment a page, pinned from the queue, shown on top."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from comments import messages
from comments.conf import DiscussionOptions
from comments.models import Comment, CommentStatus
from comments.moderation import ACTIONS, apply_action
from comments.pinning import PIN_LOG_ACTION, pin_comment
from comments.rendering import render_comment_list
from comments.signals import comments_changed
from comments.threads import build_threads, displayed_comments
from comments.tokens import POSTED_COOKIE, make_posted_ids_token
from tests.factories import make_comment

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/comments/"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def pin_url(comment, pinned=True) -> str:
    return reverse("reader_comments:pin" if pinned else "reader_comments:unpin", args=[comment.pk])


def pinned_ids(page) -> list[int]:
    return list(Comment.objects.filter(page=page, pinned=True).values_list("pk", flat=True))


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))  # admin access, no moderation
    client.force_login(user)
    return client


@pytest.fixture
def changes():
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    comments_changed.connect(receiver)
    yield sent
    comments_changed.disconnect(receiver)


def test_moderator_pins_from_the_queue_and_it_shows_above_the_threads(
    commented_page, moderator_client, client, moderator, changes, django_capture_on_commit_callbacks
):
    first = make_comment(commented_page, name="Ann", body="First thoughts")
    pick = make_comment(commented_page, name="Bea", body="The best answer")
    queue = soup_of(moderator_client.get(LIST_URL))
    button = queue.find("button", attrs={"data-comment-action": "pin", "formaction": pin_url(pick)})
    assert button is not None and button.get_text() == "Pin"
    assert button["aria-keyshortcuts"] == "p"  # as WordPress's queue has keys for its actions

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(pin_url(pick), {"next": LIST_URL})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    assert pinned_ids(commented_page) == [pick.pk]
    assert changes[-1]["action"] == "pin" and changes[-1]["page_ids"] == [commented_page.pk]
    followed = soup_of(moderator_client.get(LIST_URL))
    assert "Comment by Bea pinned above the threads." in followed.get_text()
    assert followed.find("button", attrs={"data-comment-action": "unpin"}).get_text() == "Unpin"

    soup = soup_of(client.get(commented_page.url))
    box = soup.select_one("section.comment-pinned")
    assert box.find("h3").get_text() == "Pinned by the editors"
    assert box.select_one(".comment-body").get_text() == "The best answer"
    # Above the threads, and still in its place in the thread, marked; no id twice.
    assert box.find_next("ol", class_="comment-list") is not None
    order = [article["id"] for article in soup.select("ol.comment-list article")]
    assert order == [f"comment-{first.pk}", f"comment-{pick.pk}"]
    in_thread = soup.find("article", id=f"comment-{pick.pk}")
    assert "comment-is-pinned" in in_thread["class"]
    assert in_thread.select_one(".comment-pinned-mark").get_text() == "Pinned"
    assert len(soup.select(f"#comment-{pick.pk}")) == 1
    assert box.select_one(".comment-permalink")["href"] == f"#comment-{pick.pk}"
    assert not soup.find("article", id=f"comment-{first.pk}").select(".comment-pinned-mark")

    entry = ModelLogEntry.objects.get(action=PIN_LOG_ACTION, object_id=str(pick.pk))
    assert entry.user == moderator and entry.data == {"change": "pin"}
    own_screen = soup_of(moderator_client.get(reverse("reader_comments:edit", args=[pick.pk])))
    assert own_screen.select_one(".comment-details .comment-pinned-badge").get_text() == "Pinned"
    history = moderator_client.get(reverse("reader_comments:history", args=[pick.pk]))
    assert "Pinned above the threads" in history.content.decode()


def test_unpin_restores_the_normal_display(commented_page, moderator_client, client):
    pick = make_comment(commented_page, body="Pinned words")
    moderator_client.post(pin_url(pick))
    response = moderator_client.post(pin_url(pick, pinned=False), follow=True)
    assert "Comment by" in response.content.decode() and "unpinned." in response.content.decode()
    assert pinned_ids(commented_page) == []
    html = client.get(commented_page.url).content.decode()
    assert "comment-pinned" not in html and "Pinned by the editors" not in html
    assert html.count("Pinned words") == 1
    log = ModelLogEntry.objects.filter(action=PIN_LOG_ACTION, object_id=str(pick.pk))
    assert [entry.data["change"] for entry in log.order_by("pk")] == ["pin", "unpin"]
    again = moderator_client.post(pin_url(pick, pinned=False), follow=True)
    assert "is not pinned" in again.content.decode()


def test_pinning_another_comment_unpins_the_first(commented_page, other_commented_page, moderator):
    first = make_comment(commented_page)
    second = make_comment(commented_page)
    elsewhere = make_comment(other_commented_page)
    assert pin_comment(first.pk, moderator).done
    assert pin_comment(elsewhere.pk, moderator).done  # another page keeps its own pick
    result = pin_comment(second.pk, moderator)
    assert result.done and result.replaced == first.pk
    assert pinned_ids(commented_page) == [second.pk]
    assert pinned_ids(other_commented_page) == [elsewhere.pk]
    unpinned = ModelLogEntry.objects.get(
        action=PIN_LOG_ACTION, object_id=str(first.pk), data__change="unpin"
    )
    assert unpinned.user == moderator
    replacing = ModelLogEntry.objects.get(action=PIN_LOG_ACTION, object_id=str(second.pk))
    assert replacing.data == {"change": "pin", "replaced": first.pk}


def test_the_database_refuses_two_pinned_comments_on_one_page(commented_page):
    make_comment(commented_page, pinned=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_comment(commented_page, pinned=True)


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH])
def test_a_comment_readers_cannot_see_is_not_pinned(commented_page, moderator_client, status):
    held = make_comment(commented_page, name="Hal", status=status)
    response = moderator_client.post(pin_url(held), follow=True)
    assert response.status_code == 200
    assert "Only an approved comment can be pinned: approve the comment by Hal first." in (
        response.content.decode()
    )
    assert pinned_ids(commented_page) == []
    assert not ModelLogEntry.objects.filter(action=PIN_LOG_ACTION).exists()


def test_pending_rows_offer_no_pin_button(commented_page, moderator_client):
    held = make_comment(commented_page, status=CommentStatus.PENDING)
    queue = soup_of(moderator_client.get(LIST_URL))
    assert not queue.find("button", attrs={"formaction": pin_url(held)})


def test_an_editor_without_the_permission_cannot_pin(commented_page, editor_client):
    """Refused as Wagtail refuses any admin view (its PermissionDenied handling): sent to the
    dashboard with "you do not have permission", or a 403 to a script."""
    comment = make_comment(commented_page)
    refused = editor_client.post(pin_url(comment), follow=True)
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "do not have permission" in refused.content.decode()
    scripted = editor_client.post(pin_url(comment), headers={"x-requested-with": "XMLHttpRequest"})
    assert scripted.status_code == 403
    Comment.objects.filter(pk=comment.pk).update(pinned=True)
    assert editor_client.post(pin_url(comment, pinned=False)).status_code == 302
    assert pinned_ids(commented_page) == [comment.pk]
    assert not ModelLogEntry.objects.filter(action=PIN_LOG_ACTION).exists()


def test_pinning_is_a_post(commented_page, moderator_client):
    comment = make_comment(commented_page)
    assert moderator_client.get(pin_url(comment)).status_code == 405
    assert pinned_ids(commented_page) == []


@pytest.mark.parametrize("action", ["unapprove", "spam", "trash"])
def test_moving_the_pick_out_of_approved_unpins_it(commented_page, moderator, client, action):
    pick = make_comment(commented_page, body="Soon gone")
    pin_comment(pick.pk, moderator)
    apply_action(ACTIONS[action], [pick.pk], moderator)
    pick.refresh_from_db()
    assert not pick.pinned
    entry = ModelLogEntry.objects.get(action="comments.moderate", object_id=str(pick.pk))
    assert entry.data["unpinned"] is True
    assert b"Pinned by the editors" not in client.get(commented_page.url).content
    # Approved again, it is back in the thread, not on top: a moderator pins it anew.
    if action == "unapprove":
        apply_action(ACTIONS["approve"], [pick.pk], moderator)
        assert b"Pinned by the editors" not in client.get(commented_page.url).content


def test_the_pick_links_to_its_thread_on_another_comment_page(commented_page, moderator, client):
    first = make_comment(commented_page)
    make_comment(commented_page)
    make_comment(commented_page)
    pick = make_comment(commented_page, body="On page two")
    pin_comment(pick.pk, moderator)
    with translation.override("en"):
        threads = build_threads(
            displayed_comments(commented_page.pk), DiscussionOptions(per_page=2), page_number=1
        )
    assert threads.pinned.comment.pk == pick.pk and threads.pinned_page_number == 2
    html = render_comment_list(threads, "/page/", comments_open=True)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".comment-pinned .comment-permalink")["href"] == (
        f"/page/?cpage=2#comment-{pick.pk}"
    )
    assert soup.find("article", id=f"comment-{first.pk}") is not None
    assert soup.find("article", id=f"comment-{pick.pk}") is None  # its thread is on page 2


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_template_and_the_python_renderer_agree_on_the_pick(
    commented_page, moderator, language
):
    with translation.override(language):
        first = make_comment(commented_page, name="Ann <b>", website="https://ann.example/")
        pick = make_comment(commented_page, parent=first, name="Bo", edited=timezone.now())
        make_comment(commented_page)
        pin_comment(pick.pk, moderator)
        for page_number in (1, 2):
            threads = build_threads(
                displayed_comments(commented_page.pk),
                DiscussionOptions(per_page=1),
                page_number=page_number,
            )
            context = {
                "threads": threads,
                "page": commented_page,
                "page_url": "/ask/",
                "comments_open": True,
                "text": messages,
            }
            from_template = render_to_string("comments/includes/comment_list.html", context)
            from_python = render_comment_list(threads, "/ask/", comments_open=True)
            assert _markup(from_template) == _markup(from_python)
            assert "comment-pinned-copy" in from_python


def _markup(html: str) -> str:
    return BeautifulSoup(html, "html.parser").prettify()


def test_the_read_api_says_which_comment_is_pinned(commented_page, moderator, client):
    first = make_comment(commented_page)
    pick = make_comment(commented_page, parent=first)
    before = client.get("/api/comments/", {"page": commented_page.pk})
    assert before.json()["pinned"] is None
    pin_comment(pick.pk, moderator)
    fresh = client.get(
        "/api/comments/", {"page": commented_page.pk}, HTTP_IF_NONE_MATCH=before["ETag"]
    )
    assert fresh.status_code == 200
    data = fresh.json()
    assert data["pinned"] == pick.pk
    top = data["threads"][0]
    assert top["pinned"] is False and top["replies"][0]["pinned"] is True


def test_displaying_the_pick_costs_no_extra_query(
    commented_page, moderator, client, django_assert_max_num_queries
):
    """The pick is one of the page's approved comments, read in the same query."""
    for _ in range(5):
        make_comment(commented_page)
    url = f"{commented_page.url}?moderation=none"  # the section rendered for this request
    client.get(url)
    with django_assert_max_num_queries(50) as unpinned:
        client.get(url)
    unpinned_count = len(unpinned.captured_queries)
    assert unpinned_count
    pin_comment(Comment.objects.first().pk, moderator)
    client.get(url)
    with django_assert_max_num_queries(unpinned_count):
        assert b"Pinned by the editors" in client.get(url).content


def test_holding_the_pick_from_its_own_screen_unpins_it(
    commented_page, moderator, moderator_client
):
    pick = make_comment(commented_page, name="Ann", email="ann@example.com", body="Good")
    pin_comment(pick.pk, moderator)
    response = moderator_client.post(
        reverse("reader_comments:edit", args=[pick.pk]),
        {
            "name": "Ann",
            "email": "ann@example.com",
            "website": "",
            "body": "Good",
            "status": "pending",
        },
    )
    assert response.status_code == 302
    pick.refresh_from_db()
    assert pick.status == CommentStatus.PENDING and not pick.pinned


def test_an_edit_the_rules_hold_again_unpins_the_pick(commented_page, moderator, client, settings):
    """The author edits the pick within the window and adds links: held, so no longer pinned."""
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    pick = make_comment(commented_page)
    pin_comment(pick.pk, moderator)
    client.cookies[POSTED_COOKIE] = make_posted_ids_token(None, pick.pk)
    links = " ".join(f"https://spam{i}.example.org" for i in range(5))
    client.post(f"/comments/{pick.pk}/edit/", {"body": f"See {links}"})
    pick.refresh_from_db()
    assert pick.status == CommentStatus.PENDING and not pick.pinned
