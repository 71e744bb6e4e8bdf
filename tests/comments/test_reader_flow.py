"""The reader's "Leave a Reply" flow: the form, posting, the pending preview, remembered details."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from comments.models import Comment, CommentStatus
from tests.factories import add_threaded_comments, approved_comments, make_comment

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_article_shows_leave_a_reply_form_with_every_field(commented_page, client):
    soup = soup_of(client.get(commented_page.url))
    respond = soup.find("div", id="respond") or soup.find(id="respond")
    assert respond.find("h2").get_text(strip=True).startswith("Leave a Reply")
    notes = respond.find(class_="comment-notes").get_text(" ", strip=True)
    assert "Your email address will not be published." in notes
    assert "Required fields are marked *" in notes
    form = respond.find("form", id="commentform")
    assert form["method"] == "post" and form["action"] == f"/comments/post/{commented_page.pk}/"
    for name, autocomplete, required in [
        ("name", "name", True),
        ("email", "email", True),
        ("website", "url", False),
    ]:
        field = form.find("input", attrs={"name": name})
        assert field["autocomplete"] == autocomplete
        assert field.has_attr("required") is required
        label = form.find("label", attrs={"for": field["id"]})
        assert ("*" in label.get_text()) is required
    body = form.find("textarea", attrs={"name": "body"})
    assert body.has_attr("required") and body["aria-required"] == "true"
    assert form.find("label", attrs={"for": body["id"]}).get_text(strip=True) == "Comment*"
    consent = form.find("input", attrs={"name": "save_details"})
    assert consent["type"] == "checkbox"
    assert form.find("label", attrs={"for": consent["id"]}).get_text() == (
        "Save my name, email, and website in this browser for the next time I comment."
    )
    notify = form.find("input", attrs={"name": "notify_replies"})
    assert (
        "Notify me of follow-up replies by email"
        in form.find("label", attrs={"for": notify["id"]}).get_text()
    )
    assert form.find("input", attrs={"name": "parent", "type": "hidden"})


def test_valid_comment_is_stored_pending_and_redirects_with_303(commented_page, post_comment):
    response = post_comment(
        commented_page, website="https://jane.example.org", notify_replies="yes"
    )
    comment = Comment.objects.get()
    assert response.status_code == 303
    location = urlsplit(response["Location"])
    assert location.path == commented_page.url
    assert location.fragment == f"comment-{comment.pk}"
    assert "moderation" in parse_qs(location.query)
    assert comment.status == CommentStatus.PENDING
    assert comment.name == "Jane Reader" and comment.email == "jane@example.com"
    assert comment.website == "https://jane.example.org"
    assert comment.notify_replies is True
    assert comment.ip_address == "127.0.0.1"
    assert comment.body_html == "<p>Thank you, this helped my back.</p>"


def test_author_sees_pending_comment_and_nobody_else_does(commented_page, post_comment, client):
    response = post_comment(commented_page, body="My pending words")
    own_view = client.get(response["Location"])
    comment = Comment.objects.get()
    article = soup_of(own_view).find("article", id=f"comment-{comment.pk}")
    assert "Your comment is awaiting moderation." in article.get_text()
    assert "My pending words" in article.select_one(".comment-body").get_text()
    assert "no-store" in own_view["Cache-Control"] and "private" in own_view["Cache-Control"]

    other = client.get(commented_page.url)
    assert b"My pending words" not in other.content
    assert b"awaiting moderation" not in other.content


def test_forged_or_foreign_preview_token_shows_nothing(
    commented_page, other_commented_page, post_comment, client
):
    from comments.tokens import make_preview_token

    post_comment(commented_page, body="Secret pending")
    comment = Comment.objects.get()
    for token in ["garbage", make_preview_token(comment.pk) + "x"]:
        assert (
            b"Secret pending" not in client.get(commented_page.url, {"moderation": token}).content
        )
    foreign = client.get(other_commented_page.url, {"moderation": make_preview_token(comment.pk)})
    assert b"Secret pending" not in foreign.content


def test_expired_preview_token_shows_nothing(commented_page, post_comment, client, settings):
    response = post_comment(commented_page, body="Old pending words")
    settings.COMMENTS_PREVIEW_MAX_AGE = -1
    assert b"Old pending words" not in client.get(response["Location"]).content


def test_approved_comment_appears_for_everyone(commented_page, post_comment, client):
    post_comment(commented_page, body="Now visible")
    Comment.objects.update(status=CommentStatus.APPROVED)
    soup = soup_of(client.get(commented_page.url))
    comment = Comment.objects.get()
    article = soup.find("article", id=f"comment-{comment.pk}")
    assert "comment" in article["class"]
    assert article.select_one(".comment-body").get_text(strip=True) == "Now visible"
    assert "awaiting moderation" not in article.get_text()


def test_heading_counts_approved_comments(commented_page, client):
    make_comment(commented_page)
    make_comment(commented_page)
    make_comment(commented_page, status=CommentStatus.PENDING)
    make_comment(commented_page, status=CommentStatus.SPAM)
    soup = soup_of(client.get(commented_page.url))
    assert soup.find(id="comments-title").get_text() == f"2 Replies to “{commented_page.title}”"
    Comment.objects.filter(status=CommentStatus.APPROVED).first().delete()
    soup = soup_of(client.get(commented_page.url))
    assert soup.find(id="comments-title").get_text() == f"1 Reply to “{commented_page.title}”"


def test_comment_shows_author_link_date_body_and_reply_link(commented_page, client):
    comment = make_comment(commented_page, name="Sam", website="https://sam.example.com")
    article = soup_of(client.get(commented_page.url)).find("article", id=f"comment-{comment.pk}")
    author_link = article.select_one(".comment-author a")
    assert author_link.get_text() == "Sam"
    assert author_link["href"] == "https://sam.example.com"
    assert author_link["rel"] == ["nofollow", "ugc"]
    assert article.find("time")["datetime"] == comment.created.isoformat()
    reply = article.select_one(".comment-reply-link")
    # Absolute to the article: after a refused post the page is shown at the POST URL.
    assert reply["href"] == f"{commented_page.url}?replyto={comment.pk}#respond"
    assert article.select_one(".avatar").get_text() == "S"


def test_reply_without_javascript_sets_parent_and_offers_cancel(commented_page, client):
    comment = make_comment(commented_page, name="Ana Lopez")
    soup = soup_of(client.get(commented_page.url, {"replyto": comment.pk}))
    title = soup.find(id="reply-title").get_text(" ", strip=True)
    assert title.startswith("Reply to Ana Lopez")
    assert "Cancel reply" in title
    assert soup.find("input", attrs={"name": "parent"})["value"] == str(comment.pk)


def test_replyto_an_unknown_or_pending_comment_is_ignored(commented_page, client):
    pending = make_comment(commented_page, status=CommentStatus.PENDING, name="Hidden Name")
    for value in [pending.pk, 999999, "abc", "-1"]:
        soup = soup_of(client.get(commented_page.url, {"replyto": value}))
        assert soup.find(id="reply-title").get_text(strip=True).startswith("Leave a Reply")
        assert soup.find("input", attrs={"name": "parent"})["value"] == ""
    assert b"Hidden Name" not in client.get(commented_page.url, {"replyto": pending.pk}).content


def test_reply_is_stored_under_its_parent_and_shown_nested(commented_page, post_comment, client):
    parent = make_comment(commented_page)
    response = post_comment(commented_page, parent=str(parent.pk), body="A reply")
    assert response.status_code == 303
    reply = Comment.objects.get(body="A reply")
    assert reply.parent_id == parent.pk
    reply.status = CommentStatus.APPROVED
    reply.save()
    soup = soup_of(client.get(commented_page.url))
    nested = soup.select_one(f"#li-comment-{parent.pk} > ol.children > li > article")
    assert nested["id"] == f"comment-{reply.pk}"


def test_consent_details_are_remembered_client_side_only(commented_page, client):
    """The page carries the script that remembers details, never the details themselves."""
    response = client.get(commented_page.url)
    soup = soup_of(response)
    script = soup.find("script", src=lambda src: src and src.endswith("comments/comments.js"))
    assert script is not None
    assert finders.find("comments/comments.js")  # the app ships it; the site serves it
    for name in ["name", "email", "website"]:
        assert not soup.find("input", attrs={"name": name}).get("value")
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies


def test_logged_in_user_gets_account_details_prefilled(commented_page, client, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", email="editor@example.com", password="pw", first_name="Eda", last_name="Tor"
    )
    client.force_login(user)
    soup = soup_of(client.get(commented_page.url))
    assert soup.find("input", attrs={"name": "name"})["value"] == "Eda Tor"
    assert soup.find("input", attrs={"name": "email"})["value"] == "editor@example.com"
    assert soup.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_logged_in_comment_is_linked_to_the_account(
    commented_page, client, post_comment, django_user_model
):
    from django.test import Client

    user = django_user_model.objects.create_user("reader", email="r@example.com", password="pw")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    page = csrf_client.get(commented_page.url)
    token = soup_of(page).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    import time

    from comments.tokens import make_form_stamp

    data = {
        "name": "Reader",
        "email": "r@example.com",
        "body": "Logged in words",
        "stamp": make_form_stamp(commented_page.pk, now=time.time() - 10),
    }
    refused = csrf_client.post(f"/comments/post/{commented_page.pk}/", data)
    assert refused.status_code == 403
    assert not Comment.objects.exists()
    accepted = csrf_client.post(
        f"/comments/post/{commented_page.pk}/", {**data, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 303
    assert Comment.objects.get().user == user


def test_threads_paginate_oldest_first(commented_page, client, settings):
    settings.COMMENTS_PER_PAGE = 2
    first, second, third = (make_comment(commented_page, body=f"Thread {n}") for n in range(3))
    make_comment(commented_page, parent=first, body="Reply to first")
    page1 = soup_of(client.get(commented_page.url))
    ids = [a["id"] for a in page1.select("article.comment")]
    assert ids[0] == f"comment-{first.pk}" and f"comment-{second.pk}" in ids
    assert f"comment-{third.pk}" not in ids
    assert "Comment page 1 of 2" in page1.get_text()
    page2 = soup_of(client.get(commented_page.url, {"cpage": 2}))
    assert [a["id"] for a in page2.select("article.comment")] == [f"comment-{third.pk}"]
    assert client.get(commented_page.url, {"cpage": "999"}).status_code == 200


def test_pending_comment_redirect_goes_to_last_comment_page(commented_page, post_comment, settings):
    settings.COMMENTS_PER_PAGE = 2
    for _ in range(3):
        make_comment(commented_page)
    response = post_comment(commented_page)
    assert parse_qs(urlsplit(response["Location"]).query)["cpage"] == ["2"]


def test_display_query_count_is_the_same_for_0_and_2000_comments(
    commented_page, client, site_queries
):
    url = commented_page.url
    client.get(url)
    with site_queries() as empty:
        client.get(url)
    add_threaded_comments(commented_page, 2000)
    client.get(url)  # the first view after a change renders (and may cache) again
    with site_queries() as full:
        response = client.get(url)
    assert len(full.sql) == len(empty.sql)
    assert "2000 Replies" in response.content.decode()


def test_posting_takes_the_same_few_queries_with_0_or_2000_comments(
    commented_page, post_comment, client, django_assert_max_num_queries, settings
):
    # Production's queue: the e-mail task is one INSERT, in the comment's transaction.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_FLOOD_SECONDS = 0
    client.get(commented_page.url)  # a running site has its sites and settings cached
    # The page (3 small queries), its site's Discussion settings, the block list, the
    # poster's recent comments (flood, rate limit, stamp reuse), the duplicate check, the
    # comment and its task (2 INSERTs in a savepoint here, a transaction in production), the
    # page cache's versions and where its page was cached (in the database with these
    # settings, in Redis in production) and the comment's page of threads.
    with django_assert_max_num_queries(14):
        assert post_comment(commented_page, body="First!").status_code == 303
    Comment.objects.bulk_create(approved_comments(commented_page, 2000))
    with django_assert_max_num_queries(14):
        response = post_comment(commented_page, body="Number 2002.", email="late@example.com")
    assert parse_qs(urlsplit(response["Location"]).query)["cpage"] == ["41"]


def test_reply_whose_parent_was_removed_is_still_shown(commented_page, client):
    parent = make_comment(commented_page)
    reply = make_comment(commented_page, parent=parent, body="Orphaned reply")
    Comment.objects.filter(pk=parent.pk).update(status=CommentStatus.TRASH)
    soup = soup_of(client.get(commented_page.url))
    assert soup.find("article", id=f"comment-{reply.pk}")
    assert soup.find(id="comments-title").get_text().startswith("1 Reply")


def test_newest_first_order_setting(commented_page, client, settings):
    settings.COMMENTS_ORDER = "newest"
    older = make_comment(commented_page)
    newer = make_comment(commented_page)
    ids = [a["id"] for a in soup_of(client.get(commented_page.url)).select("article.comment")]
    assert ids == [f"comment-{newer.pk}", f"comment-{older.pk}"]


def test_the_pending_comment_says_what_happens_next(commented_page, post_comment, client):
    from comments import messages

    location = post_comment(commented_page, body="My own words.")["Location"]
    soup = soup_of(client.get(location))
    comment_id = location.rsplit("#", 1)[1]
    own = soup.find("article", id=comment_id)
    # Focusable (the redirect's #comment-N lands on it) and named by its status heading.
    assert own["tabindex"] == "-1"
    heading = soup.find(id=own["aria-labelledby"])
    assert heading.name == "h3" and heading.get_text() == str(messages.COMMENT_SENT)
    assert heading in own.find_all("h3")
    described = [soup.find(id=ref).get_text() for ref in own["aria-describedby"].split()]
    assert described == [str(messages.AWAITING_MODERATION), str(messages.AWAITING_MODERATION_NEXT)]
    assert "My own words." in own.get_text()


@pytest.mark.parametrize(
    ("comments", "allow_comments", "heading_id"),
    [(0, True, "reply-title"), (1, True, "comments-title"), (0, False, "comments-closed-title")],
)
def test_the_comment_section_is_labelled_by_a_heading_it_has(
    commented_page, client, comments, allow_comments, heading_id
):
    for _ in range(comments):
        make_comment(commented_page)
    if not allow_comments:
        commented_page.allow_comments = False
        commented_page.save_revision().publish()
    soup = soup_of(client.get(commented_page.url))
    section = soup.find("section", id="comments")
    assert section["aria-labelledby"] == heading_id
    assert section.find(id=heading_id) is not None
