"""Moderators run the queue from the Wagtail admin: listing, row and bulk actions, replies."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from comments.models import Comment, CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/comments/"
# A moderator's listing: session, user and permissions, the status counts, Wagtail's own
# (locale, sidebar pages), the page filter's choices, the rows and their pages.
# 14, the "Reported" tab's count of open reports, and the moderator's sections (permissions.py)
# 16; a search also collects its matches' ids first, up to the exact count limit: 17.
LISTING_MAX_QUERIES = 17


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_moderators_group_exists_with_permission_and_admin_access():
    group = Group.objects.get(name="Comment moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_comment", "access_admin"} <= codenames


def test_menu_shows_comments_with_pending_badge(commented_page, moderator_client):
    make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(commented_page)
    html = moderator_client.get("/admin/").content.decode()
    assert '"label": "Comments (2)"' in html or "Comments (2)" in html


def test_listing_has_status_tabs_with_counts_and_hides_spam_and_bin_from_all(
    commented_page, moderator_client
):
    make_comment(commented_page, status=CommentStatus.PENDING, name="Pending Pat")
    make_comment(commented_page, name="Approved Al")
    make_comment(commented_page, status=CommentStatus.SPAM, name="Spammy Sam")
    make_comment(commented_page, status=CommentStatus.TRASH, name="Binned Bo")
    soup = soup_of(moderator_client.get(LIST_URL))
    tabs = {
        a["data-status"]: a.get_text(" ", strip=True)
        for a in soup.select(".comment-status-tabs a[data-status]")
    }
    assert tabs == {
        "": "All (2)",
        "pending": "Pending (1)",
        "approved": "Approved (1)",
        "spam": "Spam (1)",
        "trash": "Bin (1)",
        "reported": "Reported (0)",
    }
    names = soup.select_one("#listing-results").get_text()
    assert "Pending Pat" in names and "Approved Al" in names
    assert "Spammy Sam" not in names and "Binned Bo" not in names
    spam_view = (
        soup_of(moderator_client.get(LIST_URL, {"status": "spam"}))
        .select_one("#listing-results")
        .get_text()
    )
    assert "Spammy Sam" in spam_view and "Pending Pat" not in spam_view


def test_listing_shows_author_details_excerpt_page_and_dates(commented_page, moderator_client):
    comment = make_comment(
        commented_page,
        name="Dee",
        email="dee@example.com",
        website="https://dee.example",
        ip_address="192.0.2.7",
        body="Stretching helped a lot",
        created=timezone.now() - datetime.timedelta(minutes=5),  # "just now" under a minute
    )
    soup = soup_of(moderator_client.get(LIST_URL))
    row = soup.select_one("#listing-results tbody tr")
    text = row.get_text(" ", strip=True)
    for expected in [
        "Dee",
        "dee@example.com",
        "https://dee.example",
        "192.0.2.7",
        "Stretching helped a lot",
        commented_page.title,
        "ago",
    ]:
        assert expected in text
    assert row.find("a", href=f"/admin/pages/{commented_page.pk}/edit/")
    assert row.find("a", href=f"{commented_page.url}#comment-{comment.pk}")
    assert row.find("time")["datetime"] == comment.created.isoformat()


def test_search_covers_name_email_website_body_and_ip_address(commented_page, moderator_client):
    make_comment(commented_page, name="Findme Name", body="x", ip_address="192.0.2.1")
    make_comment(commented_page, email="needle@example.com", body="y", ip_address="192.0.2.2")
    make_comment(commented_page, website="https://haystack.example", body="z")
    make_comment(commented_page, body="the word sciatica here")
    make_comment(commented_page, name="Other", body="unrelated", ip_address="203.0.113.77")
    make_comment(commented_page, name="Six", body="over IPv6", ip_address="2001:db8::beef")
    for query, expected in [
        ("findme", "Findme Name"),
        ("needle", "needle@example.com"),
        ("haystack", "haystack"),
        ("sciatica", "sciatica"),
        ("113.77", "unrelated"),  # an IP fragment, as a moderator pastes it from a log
        ("DB8::BE", "over IPv6"),  # case does not matter, as for the other fields
    ]:
        results = soup_of(moderator_client.get(LIST_URL, {"q": query})).select(
            "#listing-results tbody tr"
        )
        assert len(results) == 1, query
        assert expected in results[0].get_text()


def test_filter_by_page(commented_page, other_commented_page, moderator_client):
    make_comment(commented_page, body="on back")
    make_comment(other_commented_page, body="on knee")
    rows = soup_of(moderator_client.get(LIST_URL, {"page": other_commented_page.pk})).select(
        "#listing-results tbody tr"
    )
    assert [r.select_one(".comment-excerpt-cell p").get_text() for r in rows] == ["on knee"]


def test_newest_first(commented_page, moderator_client):
    make_comment(commented_page, body="older")
    make_comment(commented_page, body="newer")
    rows = soup_of(moderator_client.get(LIST_URL)).select(
        "#listing-results tbody tr .comment-excerpt-cell > p"
    )
    assert [p.get_text() for p in rows] == ["newer", "older"]


def test_excerpt_shows_the_comment_text_unescaped_once(commented_page, moderator_client):
    make_comment(commented_page, body="Fish & chips <b>twice</b> a week")
    excerpt = soup_of(moderator_client.get(LIST_URL)).select_one(".comment-excerpt-cell > p")
    assert excerpt.get_text() == "Fish & chips twice a week"


def test_counts_in_tabs_pagination_and_menu_agree(commented_page, moderator_client):
    for _ in range(21):
        make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(commented_page)
    make_comment(commented_page, status=CommentStatus.SPAM)
    html = moderator_client.get(LIST_URL).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('.comment-status-tabs a[data-status=""]').get_text(" ", strip=True) == (
        "All (22)"
    )
    assert "Page 1 of 2" in html
    assert "Comments (21)" in html
    pending = moderator_client.get(LIST_URL, {"status": "pending", "p": 2}).content.decode()
    assert "There are 21 matches" in pending and "Page 2 of 2" in pending
    spam = moderator_client.get(LIST_URL, {"status": "spam"}).content.decode()
    assert "There is 1 match" in spam


def test_filtered_and_searched_totals_are_counted(
    commented_page, other_commented_page, moderator_client
):
    make_comment(other_commented_page, body="knee one")
    make_comment(other_commented_page, body="knee two", status=CommentStatus.PENDING)
    make_comment(other_commented_page, body="knee spam", status=CommentStatus.SPAM)
    make_comment(commented_page, body="back one")
    by_page = moderator_client.get(LIST_URL, {"page": other_commented_page.pk}).content.decode()
    assert "There are 2 matches" in by_page
    searched = moderator_client.get(LIST_URL, {"q": "knee"}).content.decode()
    assert "There are 2 matches" in searched
    dated = moderator_client.get(LIST_URL, {"created_from": "2000-01-01"}).content.decode()
    assert "There are 3 matches" in dated


def test_listing_counts_the_comments_once_per_request(commented_page, moderator_client):
    make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(commented_page)
    for params in ({}, {"status": "pending"}, {"p": 1}):
        with CaptureQueriesContext(connection) as queries:
            assert moderator_client.get(LIST_URL, params).status_code == 200
        counts = [
            query["sql"]
            for query in queries.captured_queries
            if "COUNT(" in query["sql"]
            and "comments_comment" in query["sql"]
            and "comments_commentreport" not in query["sql"]  # the "Reported" tab's count
        ]
        assert len(counts) == 1, counts  # the status GROUP BY: tabs, paginator and menu share it


def _fill_queue(pages, per_status: int) -> None:
    for page in pages:
        for status in CommentStatus.values:
            for _ in range(per_status):
                parent = make_comment(page, status=status)
                make_comment(page, status=status, parent=parent, website="https://w.example")


@pytest.mark.parametrize(
    "params", [{}, {"status": "pending"}, {"status": "spam", "p": 2}, {"q": "number"}]
)
def test_listing_query_count_does_not_grow_with_comments(
    commented_page, other_commented_page, moderator_client, django_assert_max_num_queries, params
):
    _fill_queue([commented_page], per_status=1)
    moderator_client.get(LIST_URL, params)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as few:
        assert moderator_client.get(LIST_URL, params).status_code == 200
    _fill_queue([commented_page, other_commented_page], per_status=12)
    with django_assert_max_num_queries(len(few)):
        response = moderator_client.get(LIST_URL, params)
    assert len(soup_of(response).select("#listing-results tbody tr")) == 20
    assert len(few) <= LISTING_MAX_QUERIES


def test_row_actions_post_through_the_listing_form(commented_page, moderator):
    """Each row's buttons submit the listing's one form, with its CSRF token and return URL."""
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    soup = soup_of(browser.get(LIST_URL, {"status": "pending"}))
    approve = soup.select_one("button[data-comment-action=approve]")
    url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
    assert approve["formaction"] == url
    form = soup.find("form", id=approve["form"])
    assert form["method"] == "post"
    fields = {field["name"]: field["value"] for field in form.find_all("input")}
    assert fields["next"] == f"{LIST_URL}?status=pending"
    response = browser.post(url, fields)
    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?status=pending"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


def test_row_actions_return_to_the_listing_when_filters_reloaded_the_results(
    commented_page, moderator_client
):
    make_comment(commented_page, status=CommentStatus.SPAM)
    results = moderator_client.get(
        reverse("reader_comments:list_results"), {"status": "spam", "_w_filter_fragment": "1"}
    )
    form = soup_of(results).find("form", id="comment-row-actions")
    assert form.find("input", attrs={"name": "next"})["value"] == f"{LIST_URL}?status=spam"


def test_rows_link_to_reply_edit_history_and_commenter_history(commented_page, moderator_client):
    pending = make_comment(commented_page, status=CommentStatus.PENDING)
    spam = make_comment(commented_page, status=CommentStatus.SPAM)

    def links(params, comment):
        row = next(
            tr
            for tr in soup_of(moderator_client.get(LIST_URL, params)).select("#listing-results tr")
            if tr.find("input", attrs={"data-object-id": str(comment.pk)})
        )
        return {a["href"] for a in row.select(".comment-row-actions a")}

    assert links({}, pending) == {
        reverse("reader_comments:reply", args=[pending.pk]),
        reverse("reader_comments:edit", args=[pending.pk]),
        reverse("reader_comments:history", args=[pending.pk]),
        reverse("reader_comments:commenter", args=[pending.pk]),
    }
    assert links({"status": "spam"}, spam) == {  # restore it before replying
        reverse("reader_comments:edit", args=[spam.pk]),
        reverse("reader_comments:history", args=[spam.pk]),
        reverse("reader_comments:commenter", args=[spam.pk]),
    }


def test_row_checkbox_is_described_by_the_author_name(commented_page, moderator_client):
    make_comment(commented_page, name="Described Dee")
    row = soup_of(moderator_client.get(LIST_URL)).select_one("#listing-results tbody tr")
    described_by = row.find("input", attrs={"data-bulk-action-checkbox": True})["aria-describedby"]
    assert row.find(id=described_by).get_text() == "Described Dee"


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("approve", "pending", "approved"),
        ("unapprove", "approved", "pending"),
        ("spam", "approved", "spam"),
        ("not_spam", "spam", "pending"),
        ("trash", "pending", "trash"),
        ("restore", "trash", "pending"),
    ],
)
def test_row_action_moves_comment_and_logs_it(
    commented_page, moderator_client, moderator, action, start, end
):
    comment = make_comment(commented_page, status=start)
    url = reverse("reader_comments:moderate", args=[comment.pk, action])
    confirm = moderator_client.get(url)
    assert confirm.status_code == 200
    comment.refresh_from_db()
    assert comment.status == start  # GET only asks
    response = moderator_client.post(url, {"next": LIST_URL})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    comment.refresh_from_db()
    assert comment.status == end
    entry = ModelLogEntry.objects.get(object_id=str(comment.pk), action="comments.moderate")
    assert entry.user == moderator
    assert entry.data == {"action": action, "from": start, "to": end}
    history = moderator_client.get(reverse("reader_comments:history", args=[comment.pk]))
    assert history.status_code == 200
    assert f"{start.title() if start != 'trash' else 'Bin'} → " in history.content.decode()


def test_listing_row_offers_one_click_actions_for_its_status(commented_page, moderator_client):
    make_comment(commented_page, status=CommentStatus.PENDING)
    buttons = [
        b["data-comment-action"]
        for b in soup_of(moderator_client.get(LIST_URL)).select("button[data-comment-action]")
    ]
    assert buttons == ["approve", "spam", "trash"]
    make_comment(commented_page, status=CommentStatus.SPAM)
    spam_buttons = [
        b["data-comment-action"]
        for b in soup_of(moderator_client.get(LIST_URL, {"status": "spam"})).select(
            "button[data-comment-action]"
        )
    ]
    assert spam_buttons == ["not_spam", "delete"]


def test_delete_permanently_only_from_spam_and_bin(commented_page, moderator_client):
    live = make_comment(commented_page)
    spam = make_comment(commented_page, status=CommentStatus.SPAM)
    moderator_client.post(reverse("reader_comments:moderate", args=[live.pk, "delete"]))
    moderator_client.post(reverse("reader_comments:moderate", args=[spam.pk, "delete"]))
    assert list(Comment.objects.values_list("pk", flat=True)) == [live.pk]
    assert moderator_client.get(reverse("reader_comments:delete", args=[live.pk])).status_code in (
        302,
        403,
    )


def test_edit_resanitises_body(commented_page, moderator_client):
    comment = make_comment(commented_page, body="before")
    url = reverse("reader_comments:edit", args=[comment.pk])
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(
        url,
        {
            "name": "Renamed",
            "email": comment.email,
            "website": "",
            "body": "after <script>x()</script> https://a.com",
            "status": "approved",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.name == "Renamed"
    assert "<script" not in comment.body_html and 'rel="nofollow ugc noopener"' in comment.body_html


def test_moderator_reply_is_published_as_site_reply_and_approves_parent(
    commented_page, moderator_client, moderator, client
):
    parent = make_comment(commented_page, status=CommentStatus.PENDING, name="Asker")
    url = reverse("reader_comments:reply", args=[parent.pk])
    assert b"Reply to Asker" in moderator_client.get(url).content
    assert moderator_client.post(url, {"body": ""}).status_code == 200
    response = moderator_client.post(url, {"body": "Thanks for asking!"})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    parent.refresh_from_db()
    assert parent.status == CommentStatus.APPROVED
    assert reply.status == CommentStatus.APPROVED and reply.is_site_reply
    assert reply.user == moderator and reply.name == "Mo Derator"
    assert ModelLogEntry.objects.filter(object_id=str(reply.pk), action="comments.reply").exists()
    client.logout()
    page = soup_of(client.get(commented_page.url))
    nested = page.select_one(f"#li-comment-{parent.pk} ol.children article#comment-{reply.pk}")
    assert "Thanks for asking!" in nested.get_text()


def test_bulk_approve_selected_rows(commented_page, moderator_client):
    pending = [make_comment(commented_page, status=CommentStatus.PENDING) for _ in range(3)]
    spam = make_comment(commented_page, status=CommentStatus.SPAM)
    ids = [c.pk for c in pending[:2]] + [spam.pk]
    url = "/admin/bulk/comments/comment/comments-approve/?" + "&".join(f"id={pk}" for pk in ids)
    confirm = moderator_client.get(url)
    assert confirm.status_code == 200
    assert b"left as they are" in confirm.content
    response = moderator_client.post(url)
    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[pending[0].pk] == statuses[pending[1].pk] == CommentStatus.APPROVED
    assert statuses[pending[2].pk] == CommentStatus.PENDING
    assert statuses[spam.pk] == CommentStatus.SPAM


@pytest.mark.parametrize(
    ("bulk", "start", "end"),
    [
        ("comments-unapprove", "approved", "pending"),
        ("comments-spam", "pending", "spam"),
        ("comments-not-spam", "spam", "pending"),
        ("comments-trash", "approved", "trash"),
        ("comments-restore", "trash", "pending"),
    ],
)
def test_each_bulk_action(commented_page, moderator_client, bulk, start, end):
    comments = [make_comment(commented_page, status=start) for _ in range(2)]
    url = f"/admin/bulk/comments/comment/{bulk}/?" + "&".join(f"id={c.pk}" for c in comments)
    assert moderator_client.post(url).status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {end}


def test_bulk_delete_only_removes_spam_and_bin(commented_page, moderator_client):
    keep = make_comment(commented_page)
    gone = make_comment(commented_page, status=CommentStatus.TRASH)
    url = f"/admin/bulk/comments/comment/delete/?id={keep.pk}&id={gone.pk}"
    moderator_client.post(url)
    assert list(Comment.objects.values_list("pk", flat=True)) == [keep.pk]


def test_empty_spam_and_empty_bin(commented_page, moderator_client):
    make_comment(commented_page, status=CommentStatus.SPAM)
    make_comment(commented_page, status=CommentStatus.SPAM)
    make_comment(commented_page, status=CommentStatus.TRASH)
    kept = make_comment(commented_page, status=CommentStatus.PENDING)
    assert b"Empty spam" in moderator_client.get(LIST_URL, {"status": "spam"}).content
    spam_url = reverse("reader_comments:empty", args=["spam"])
    assert b"Delete 2 comments" in moderator_client.get(spam_url).content
    moderator_client.post(spam_url)
    moderator_client.post(reverse("reader_comments:empty", args=["trash"]))
    assert list(Comment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert (
        moderator_client.get(reverse("reader_comments:empty", args=["approved"])).status_code == 404
    )


def test_dashboard_panel_lists_five_newest_pending_with_buttons(commented_page, moderator_client):
    for number in range(7):
        make_comment(commented_page, status=CommentStatus.PENDING, body=f"pending {number}")
    soup = soup_of(moderator_client.get("/admin/"))
    panel = soup.find(id="pending-comments") or soup.find(
        attrs={"id": lambda v: v and "pending-comments" in v}
    )
    text = panel.get_text(" ", strip=True)
    assert "7 comments are awaiting moderation." in text
    assert len(panel.select("button[data-comment-action=approve]")) == 5
    assert len(panel.select("button[data-comment-action=spam]")) == 5
    assert "pending 6" in text and "pending 1" not in text


def test_dashboard_counts_pending_comments_once(commented_page, moderator_client):
    for _ in range(6):
        make_comment(commented_page, status=CommentStatus.PENDING)
    with CaptureQueriesContext(connection) as queries:
        html = moderator_client.get("/admin/").content.decode()
    assert "Comments (6)" in html and "6 comments are awaiting moderation." in html
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len([sql for sql in counts if "comments_comment" in sql]) == 1


def test_page_editor_has_allow_comments_switch_and_count_link(
    commented_page, moderator_client, admin_client
):
    make_comment(commented_page)
    make_comment(commented_page, status=CommentStatus.PENDING)
    soup = soup_of(admin_client.get(f"/admin/pages/{commented_page.pk}/edit/"))
    assert soup.find("input", attrs={"name": "allow_comments"})
    link = soup.select_one(".comment-count-panel a")
    assert link["href"] == f"/admin/comments/?page={commented_page.pk}"
    assert "1 published comment, 1 awaiting moderation" in link.get_text(" ", strip=True)


def test_approving_in_admin_publishes_to_readers(commented_page, moderator_client, client):
    comment = make_comment(commented_page, status=CommentStatus.PENDING, body="Now you see me")
    moderator_client.post(reverse("reader_comments:moderate", args=[comment.pk, "approve"]))
    client.logout()
    assert b"Now you see me" in client.get(commented_page.url).content
    moderator_client.force_login(comment.page.owner) if comment.page.owner else None


def test_page_filter_offers_only_the_pages_with_comments(
    commented_page, other_commented_page, moderator_client
):
    make_comment(commented_page, status=CommentStatus.SPAM)  # any status counts
    choices = soup_of(moderator_client.get(LIST_URL)).select("select[name=page] option")
    offered = {option.get_text(strip=True) for option in choices if option.get("value")}
    assert offered == {commented_page.title}


@pytest.mark.parametrize(
    "before,after",
    [
        (b, a)
        for b in ("pending", "approved", "spam", "trash")
        for a in ("pending", "approved", "spam", "trash")
        if a != b
    ],
)
def test_every_status_change_on_the_comments_screen_goes_through_the_queues_actions(before, after):
    from comments.moderation import moves_between

    moves = moves_between(before, after)
    assert moves, f"no action takes a comment from {before} to {after}"
    status = before
    for action in moves:
        assert action.applies_to(status)
        status = action.to_status
    assert status == after


def test_approving_a_spam_comment_on_its_screen_publishes_it(
    commented_page, moderator_client, client
):
    comment = make_comment(commented_page, body="Not spam at all", status="spam")
    url = reverse("reader_comments:edit", args=[comment.pk])
    form = {"name": comment.name, "email": comment.email, "website": "", "body": "Not spam at all"}
    assert "Not spam at all" not in client.get(commented_page.url).content.decode()
    assert moderator_client.post(url, {**form, "status": "approved"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "Not spam at all" in client.get(commented_page.url).content.decode()
