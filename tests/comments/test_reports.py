"""Readers report a comment; enough reports hold it; moderators see and resolve the reports."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from comments import messages
from comments.models import CommentReport, CommentStatus, DiscussionSettings
from comments.privacy import erase_comments
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def report_url(comment) -> str:
    return f"/comments/{comment.pk}/report/"


def reader(ip: str = "203.0.113.7", agent: str = "Firefox") -> Client:
    """A browser of its own: each reader is told apart by IP address and user agent."""
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


def report(browser: Client, comment, **fields):
    data = {"reason": "spam", "note": "", "email": ""}
    data.update(fields)
    return browser.post(report_url(comment), data)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def comment(commented_page):
    return make_comment(commented_page, name="Sam", body="Buy cheap pills at my shop.")


def test_every_approved_comment_has_a_report_link_to_its_own_page(client, commented_page, comment):
    link = soup_of(client.get(commented_page.url)).find("a", class_="comment-report-link")
    assert link.get_text() == str(messages.REPORT_LINK)
    assert link["href"] == report_url(comment)
    assert link["aria-label"] == messages.REPORT_LINK_LABEL % {"name": "Sam"}
    page = client.get(link["href"])
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    form = soup_of(page).find("form", class_="comment-report-form")
    reasons = [radio["value"] for radio in form.find_all("input", attrs={"name": "reason"})]
    assert reasons == ["spam", "abuse", "off_topic", "health_misinformation", "illegal"]
    assert form.find("textarea", attrs={"name": "note"})["maxlength"] == "1000"
    assert form.find("input", attrs={"name": "email"})


def test_accepted_report_is_stored_and_thanked_for(comment):
    response = report(
        reader(), comment, reason="abuse", note="Insults another reader.", email="r@example.com"
    )
    assert response.status_code == 200
    assert soup_of(response).find(class_="report-result").get_text() == str(messages.REPORT_THANKS)
    stored = CommentReport.objects.get()
    assert (stored.comment, stored.reason, stored.note, stored.email) == (
        comment,
        "abuse",
        "Insults another reader.",
        "r@example.com",
    )
    # The reader is a keyed hash, never their address.
    assert "203.0.113.7" not in stored.reporter_key + stored.ip_key
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED  # one report does not hold it


def test_invalid_reason_shows_the_form_again_with_the_error(comment):
    response = report(reader(), comment, reason="boring", note="Keep this note")
    assert response.status_code == 400
    soup = soup_of(response)
    assert str(messages.REPORT_REASON_INVALID) in soup.find(id="id_reason-error").get_text()
    assert soup.find("textarea", attrs={"name": "note"}).get_text().strip() == "Keep this note"
    assert not CommentReport.objects.exists()


def test_missing_reason_overlong_note_and_bad_email_are_named_beside_their_fields(
    comment, settings
):
    settings.COMMENTS_REPORT_NOTE_MAX_LENGTH = 10
    response = report(reader(), comment, reason="", note="x" * 11, email="not-an-email")
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.find(id="id_reason-error").get_text() == str(messages.REPORT_REASON_REQUIRED)
    assert "at most 10 characters" in soup.find(id="id_note-error").get_text()
    assert soup.find(id="id_email-error").get_text() == str(messages.EMAIL_INVALID)
    assert not CommentReport.objects.exists()


def test_rate_limit_exceeded_gets_a_clear_429_page(commented_page, settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = 2
    comments = [make_comment(commented_page) for _ in range(3)]
    browser = reader()
    assert report(browser, comments[0]).status_code == 200
    assert report(browser, comments[1]).status_code == 200
    refused = report(browser, comments[2])
    assert refused.status_code == 429
    assert soup_of(refused).find(class_="report-result").get_text() == str(
        messages.REPORT_RATE_LIMITED
    )
    assert CommentReport.objects.count() == 2
    # Another IP address is not limited by this one's reports.
    assert report(reader(ip="198.51.100.9"), comments[2]).status_code == 200


def test_rate_limit_window_passes(commented_page, settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = 1
    first, second = make_comment(commented_page), make_comment(commented_page)
    assert report(reader(), first).status_code == 200
    settings.COMMENTS_REPORT_RATE_WINDOW = 0
    assert report(reader(), second).status_code == 200


def test_the_same_reader_reporting_twice_is_thanked_but_counted_once(comment):
    report(reader(), comment)
    again = report(reader(), comment, reason="abuse")
    assert again.status_code == 200
    assert soup_of(again).find(class_="report-result").get_text() == str(
        messages.REPORT_ALREADY_SENT
    )
    assert CommentReport.objects.count() == 1
    # The same address with another browser is another reader.
    report(reader(agent="Safari"), comment)
    assert CommentReport.objects.count() == 2


def test_threshold_of_distinct_readers_holds_the_comment_as_the_system(
    client, commented_page, comment, django_capture_on_commit_callbacks
):
    for number in range(2):
        report(reader(ip=f"203.0.113.{number + 1}"), comment)
    report(reader(ip="203.0.113.1"), comment)  # a repeat: still two readers
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        report(reader(ip="203.0.113.3"), comment, reason="off_topic")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    entry = ModelLogEntry.objects.get(action="comments.moderate", object_id=str(comment.pk))
    assert entry.user is None
    assert entry.data["by"] == "system" and entry.data["reason"] == "reported"
    assert (entry.data["from"], entry.data["to"]) == ("approved", "pending")
    assert "comment-report-link" not in client.get(commented_page.url).content.decode()
    # Held, it can no longer be reported.
    assert report(reader(ip="203.0.113.4"), comment).status_code == 404


def test_threshold_is_the_sites_discussion_setting_and_zero_never_holds(
    comment, commented_page, admin_user
):
    site = commented_page.get_site()
    DiscussionSettings.objects.create(site=site, report_threshold=0)
    for number in range(5):
        report(reader(ip=f"203.0.113.{number + 1}"), comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    DiscussionSettings.objects.filter(site=site).update(report_threshold=1)
    other = make_comment(commented_page)
    report(reader(ip="198.51.100.1"), other)
    other.refresh_from_db()
    assert other.status == CommentStatus.PENDING


def test_report_threshold_is_on_the_discussion_screen(admin_client, commented_page):
    site = commented_page.get_site()
    url = f"/admin/settings/comments/discussionsettings/{site.pk}/"
    field = soup_of(admin_client.get(url)).find("input", attrs={"name": "report_threshold"})
    assert field["value"] == "3"


def test_pending_and_binned_comments_have_no_report_link_and_cannot_be_reported(
    client, commented_page, post_comment
):
    response = post_comment(commented_page, follow=True)  # held for moderation
    assert "comment-awaiting-moderation" in response.content.decode()
    assert "comment-report-link" not in response.content.decode()
    binned = make_comment(commented_page, status=CommentStatus.TRASH)
    assert client.get(report_url(binned)).status_code == 404
    assert report(reader(), binned).status_code == 404
    assert client.get("/comments/999999/report/").status_code == 404
    assert not CommentReport.objects.exists()


@pytest.fixture
def reported(commented_page):
    """Sam's comment with three open reports (two spam, one abuse), Ann's with none."""
    sam = make_comment(commented_page, name="Sam", email="sam@example.com")
    make_comment(commented_page, name="Ann")
    for number, reason in enumerate(["spam", "spam", "abuse"]):
        CommentReport.objects.create(
            comment=sam, reason=reason, reporter_key=f"r{number}", ip_key=f"i{number}"
        )
    return sam


def test_reported_tab_lists_reported_comments_with_their_reasons_and_counts(
    reported, moderator_client
):
    queue = soup_of(moderator_client.get("/admin/comments/"))
    tab = queue.find("a", attrs={"data-status": "reported"})
    assert tab.get_text(" ", strip=True) == f"{messages.REPORTED_TAB} (1)"
    listing = soup_of(moderator_client.get(tab["href"]))
    rows = listing.select("tbody tr")
    assert len(rows) == 1 and "Sam" in rows[0].get_text()
    assert listing.find("a", attrs={"data-status": "reported"}).get("aria-current") == "page"
    cell = rows[0].find(class_="comment-reports-cell")
    assert cell.find(class_="comment-reports-count").get_text() == "3 open reports"
    assert [li.get_text() for li in cell.find_all("li")] == ["Spam (2)", "Abuse or harassment (1)"]


def test_reported_tab_is_refused_to_an_editor_without_moderation_permission(
    reported, client, django_user_model
):
    user = django_user_model.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    assert client.get("/admin/comments/?reported=true").status_code in (302, 403)


def test_approving_dismisses_the_reports_with_a_reason_in_the_log(reported, moderator_client):
    reported.status = CommentStatus.PENDING
    reported.save()
    response = moderator_client.post(f"/admin/comments/moderate/{reported.pk}/approve/")
    assert response.status_code == 302
    assert not CommentReport.objects.open().exists()
    assert set(CommentReport.objects.values_list("decision", flat=True)) == {"approve"}
    entry = ModelLogEntry.objects.get(action="comments.moderate", object_id=str(reported.pk))
    assert entry.data["reason"] == "reports_dismissed" and entry.data["reports_resolved"] == 3
    listing = soup_of(moderator_client.get("/admin/comments/?reported=true"))
    assert not listing.select("tbody tr .comment-reports-cell li")


def test_spam_without_a_reason_takes_the_reports_reason(reported, moderator_client):
    moderator_client.post(f"/admin/comments/moderate/{reported.pk}/spam/")
    entry = ModelLogEntry.objects.get(action="comments.moderate", object_id=str(reported.pk))
    assert entry.data["reason"] == "spam" and entry.data["reports_resolved"] == 3
    assert set(CommentReport.objects.values_list("decision", flat=True)) == {"spam"}


def test_bin_keeps_the_moderators_own_reason(reported, moderator_client):
    moderator_client.post(
        f"/admin/comments/moderate/{reported.pk}/trash/",
        {"reason": "personal_data", "reason_text": "Names a patient"},
    )
    entry = ModelLogEntry.objects.get(action="comments.moderate", object_id=str(reported.pk))
    assert (entry.data["reason"], entry.data["reason_text"]) == ("personal_data", "Names a patient")
    assert not CommentReport.objects.open().exists()


def test_unapproving_leaves_the_reports_open(reported, moderator_client):
    moderator_client.post(f"/admin/comments/moderate/{reported.pk}/unapprove/")
    assert CommentReport.objects.open().count() == 3


def test_illegal_content_decision_is_mailed_to_the_reporter_and_the_author(
    commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, name="Sam", email="sam@example.com", body="Bad words")
    report(reader(), comment, reason="illegal", email="reporter@example.com")
    report(reader(ip="198.51.100.2"), comment, reason="illegal")  # no address: not mailed
    report(reader(ip="198.51.100.3"), comment, reason="spam", email="spam@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            f"/admin/comments/moderate/{comment.pk}/trash/",
            {"reason": "illegal", "reason_text": "Incites hatred"},
        )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "reporter@example.com",
        "sam@example.com",
    ]
    subject = messages.EMAIL_REPORT_DECISION_SUBJECT % {"title": commented_page.title}
    for message in mail.outbox:
        assert message.subject == subject
        assert str(messages.DECISION_REMOVED) in message.body
        assert "Illegal content: Incites hatred" in message.body
        assert str(messages.EMAIL_LABEL_DATE) in message.body
        assert "Bad words" in message.body
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert (
        str(messages.EMAIL_REPORT_DECISION_REPORTER_INTRO % {"title": commented_page.title})
        in (by_address["reporter@example.com"])
    )
    assert (
        str(messages.EMAIL_REPORT_DECISION_AUTHOR_INTRO % {"title": commented_page.title})
        in (by_address["sam@example.com"])
    )
    # The reporter's address is never shown to the author.
    assert "reporter@example.com" not in by_address["sam@example.com"]


def test_kept_comment_tells_the_reporter_it_stays(
    commented_page, moderator_client, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, email="", status=CommentStatus.APPROVED)
    report(reader(), comment, reason="illegal", email="reporter@example.com")
    comment.status = CommentStatus.PENDING
    comment.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(f"/admin/comments/moderate/{comment.pk}/approve/")
    assert [message.to for message in mail.outbox] == [["reporter@example.com"]]
    body = mail.outbox[0].body
    assert str(messages.DECISION_KEPT) in body and "Readers' reports dismissed" in body


def test_reports_of_other_reasons_send_no_decision_mail(
    reported, moderator_client, django_capture_on_commit_callbacks
):
    reported.reports.update(email="reporter@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(f"/admin/comments/moderate/{reported.pk}/spam/")
    assert mail.outbox == []


def test_reported_tab_query_count_does_not_grow_with_reports(
    commented_page, moderator_client, django_assert_max_num_queries
):
    def reported_comments(count: int, start: int) -> None:
        for number in range(start, start + count):
            comment = make_comment(commented_page)
            for reason in ("spam", "abuse"):
                CommentReport.objects.create(
                    comment=comment, reason=reason, reporter_key=f"{reason}{number}", ip_key="i"
                )

    reported_comments(2, 0)
    moderator_client.get("/admin/comments/?reported=true")  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as few:
        moderator_client.get("/admin/comments/?reported=true")
    reported_comments(25, 2)
    with django_assert_max_num_queries(len(few)):
        response = moderator_client.get("/admin/comments/?reported=true")
    assert len(soup_of(response).select("tbody .comment-reports-cell li")) == 40


def test_erasing_a_readers_data_takes_their_address_off_their_reports(comment):
    report(reader(), comment, reason="illegal", email="Reporter@Example.com")
    erase_comments("reporter@example.com")
    assert CommentReport.objects.get().email == ""


def test_bulk_binning_resolves_each_comments_reports_and_shows_the_reason_in_history(
    reported, commented_page, moderator_client
):
    other = make_comment(commented_page, name="Bo")
    CommentReport.objects.create(comment=other, reason="off_topic", reporter_key="b", ip_key="b")
    ids = "&".join(f"id={pk}" for pk in (reported.pk, other.pk))
    response = moderator_client.post(f"/admin/bulk/comments/comment/comments-trash/?{ids}", {})
    assert response.status_code == 302
    assert not CommentReport.objects.open().exists()
    entries = {
        entry.object_id: entry.data
        for entry in ModelLogEntry.objects.filter(action="comments.moderate")
    }
    assert entries[str(reported.pk)]["reason"] == "spam"  # what most readers said
    assert entries[str(other.pk)]["reason"] == "off_topic"
    history = moderator_client.get(f"/admin/comments/edit/{other.pk}/").content.decode()
    assert "Reason: Off topic" in history


def test_system_hold_shows_in_the_comments_history(comment, moderator_client, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 1
    report(reader(), comment)
    history = moderator_client.get(f"/admin/comments/edit/{comment.pk}/").content.decode()
    assert "Reason: Held automatically: reported by several readers" in history


def test_a_reported_comments_screen_and_confirmation_show_the_reports_and_their_notes(
    comment, moderator_client
):
    report(reader(), comment, reason="illegal", note="Sells prescription drugs", email="r@x.org")
    screen = soup_of(moderator_client.get(f"/admin/comments/edit/{comment.pk}/"))
    reports = screen.find(class_="comment-open-reports")
    assert "Illegal content" in reports.get_text() and "Sells prescription drugs" in (
        reports.find("blockquote").get_text()
    )
    assert str(messages.REPORT_WANTS_ANSWER) in reports.get_text()
    confirm = soup_of(moderator_client.get(f"/admin/comments/moderate/{comment.pk}/trash/"))
    assert confirm.find(class_="comment-decision-mailed").get_text() == str(
        messages.DECISION_WILL_BE_MAILED
    )
    # Unapproving holds the comment and decides nothing: no mail is announced.
    hold = soup_of(moderator_client.get(f"/admin/comments/moderate/{comment.pk}/unapprove/"))
    assert hold.find(class_="comment-open-reports") and not hold.find(
        class_="comment-decision-mailed"
    )


def test_reports_and_their_limit_hold_while_the_cache_is_down(comment, commented_page, settings):
    """The limit is counted from the reports stored: a cache that keeps nothing (as the site's
    Redis backend degrades to misses while Redis is down) neither opens nor closes it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.COMMENTS_REPORT_RATE_LIMIT = 1
    assert report(reader(), comment).status_code == 200
    assert report(reader(), make_comment(commented_page)).status_code == 429
    assert CommentReport.objects.count() == 1
