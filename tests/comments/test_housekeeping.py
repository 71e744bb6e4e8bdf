"""The daily ``comments_housekeeping`` command: old Spam and Bin go, old IP addresses too."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def aged(comment: Comment, created_days: float, updated_days: float | None = None) -> Comment:
    """``updated`` is auto_now: only a queryset update can put it in the past."""
    updated = days_ago(created_days if updated_days is None else updated_days)
    Comment.objects.filter(pk=comment.pk).update(created=days_ago(created_days), updated=updated)
    comment.refresh_from_db()
    return comment


def housekeeping() -> list[str]:
    out = io.StringIO()
    call_command("comments_housekeeping", stdout=out)
    return out.getvalue().splitlines()


def test_spam_and_bin_unchanged_for_30_days_are_deleted(commented_page):
    old_spam = aged(make_comment(commented_page, status=CommentStatus.SPAM), 31)
    old_bin = aged(make_comment(commented_page, status=CommentStatus.TRASH), 45)
    recent_spam = aged(make_comment(commented_page, status=CommentStatus.SPAM), 29)
    binned_yesterday = aged(make_comment(commented_page, status=CommentStatus.TRASH), 60, 1)
    old_approved = aged(make_comment(commented_page), 400)
    old_pending = aged(make_comment(commented_page, status=CommentStatus.PENDING), 400)
    reply_to_spam = make_comment(commented_page, parent=old_spam)

    lines = housekeeping()

    assert lines[0] == "Deleted 2 spam and bin comments older than 30 days."
    assert not Comment.objects.filter(pk__in=[old_spam.pk, old_bin.pk]).exists()
    kept = [recent_spam, binned_yesterday, old_approved, old_pending, reply_to_spam]
    assert Comment.objects.filter(pk__in=[c.pk for c in kept]).count() == 5
    reply_to_spam.refresh_from_db()
    assert reply_to_spam.parent_id is None


def test_ip_address_and_user_agent_are_forgotten_after_90_days(commented_page):
    details = {"ip_address": "203.0.113.5", "user_agent": "Safari"}
    old = aged(make_comment(commented_page, **details), 91, 10)
    only_agent = aged(make_comment(commented_page, user_agent="Edge"), 200)
    recent = aged(make_comment(commented_page, **details), 89)
    already_clean = aged(make_comment(commented_page), 300)

    lines = housekeeping()

    assert lines[1] == ("Cleared the IP address and user agent of 2 comments older than 90 days.")
    old_updated = old.updated
    old.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert old.updated == old_updated  # the Spam/Bin clock is not reset
    only_agent.refresh_from_db()
    assert only_agent.user_agent == ""
    recent.refresh_from_db()
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.5", "Safari")
    already_clean.refresh_from_db()
    assert already_clean.ip_address is None


def test_periods_come_from_settings_read_live(commented_page, settings):
    settings.COMMENTS_PURGE_AFTER_DAYS = 7
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    spam = aged(make_comment(commented_page, status=CommentStatus.SPAM), 8)
    comment = aged(make_comment(commented_page, ip_address="203.0.113.5"), 31)

    assert housekeeping() == [
        "Deleted 1 spam and bin comments older than 7 days.",
        "Cleared the IP address and user agent of 1 comments older than 30 days.",
        "Deleted 0 webhook deliveries older than 30 days.",
    ]
    assert not Comment.objects.filter(pk=spam.pk).exists()
    comment.refresh_from_db()
    assert comment.ip_address is None


def test_nothing_to_do_reports_zero(commented_page):
    make_comment(commented_page, ip_address="203.0.113.5")
    assert housekeeping() == [
        "Deleted 0 spam and bin comments older than 30 days.",
        "Cleared the IP address and user agent of 0 comments older than 90 days.",
        "Deleted 0 webhook deliveries older than 30 days.",
    ]


def test_housekeeping_uses_a_few_queries_however_many_comments(
    commented_page, django_assert_max_num_queries
):
    for number in range(60):
        status = CommentStatus.SPAM if number % 2 else CommentStatus.APPROVED
        aged(make_comment(commented_page, status=status, ip_address="203.0.113.5"), 100)
    # Bulk statements plus a fixed few to invalidate cached pages (the versions are in the
    # database with these settings: about 70 queries, a fixed number whatever the count; one
    # more deletes the comments' readers' reports with them), one UPDATE forgetting the IPs
    # that asked for confirmation e-mails, one DELETE of old webhook deliveries, one of
    # expired ALTCHA challenges and one of the article follows nobody confirmed.
    with django_assert_max_num_queries(75):
        housekeeping()
    assert Comment.objects.count() == 30
    assert not Comment.objects.filter(ip_address__isnull=False).exists()
