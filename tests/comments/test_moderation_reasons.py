"""Spam, bin and unapprove take an optional reason, kept in the log and shown in the history."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from comments.models import Comment, CommentStatus
from comments.reasons import REASON_TEXT_MAX_LENGTH
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/comments/"


def _entry(comment) -> ModelLogEntry:
    return ModelLogEntry.objects.get(object_id=str(comment.pk), action="comments.moderate")


def _edit_page(client, comment) -> str:
    return client.get(reverse("reader_comments:edit", args=[comment.pk])).content.decode()


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("spam", "approved", "spam"),
        ("trash", "pending", "trash"),
        ("unapprove", "approved", "pending"),
    ],
)
def test_row_action_keeps_reason_in_log_and_history(
    commented_page, moderator_client, action, start, end
):
    comment = make_comment(commented_page, status=start)
    url = reverse("reader_comments:moderate", args=[comment.pk, action])
    confirm = moderator_client.get(url).content.decode()
    assert 'name="reason"' in confirm and "Misleading health information" in confirm
    response = moderator_client.post(
        url, {"next": LIST_URL, "reason": "health_misinformation", "reason_text": "cures flu"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == end
    assert _entry(comment).data == {
        "action": action,
        "from": start,
        "to": end,
        "reason": "health_misinformation",
        "reason_text": "cures flu",
    }
    assert "Reason: Misleading health information: cures flu" in _edit_page(
        moderator_client, comment
    )


def test_row_action_without_reason_logs_no_reason(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.APPROVED)
    url = reverse("reader_comments:moderate", args=[comment.pk, "spam"])
    assert moderator_client.post(url, {"next": LIST_URL}).status_code == 302
    assert _entry(comment).data == {"action": "spam", "from": "approved", "to": "spam"}
    assert "Reason:" not in _edit_page(moderator_client, comment)


def test_free_text_alone_is_a_reason(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    url = reverse("reader_comments:moderate", args=[comment.pk, "trash"])
    moderator_client.post(url, {"reason_text": "  duplicate of #12  "})
    assert _entry(comment).data["reason_text"] == "duplicate of #12"
    assert "reason" not in _entry(comment).data
    assert "Reason: duplicate of #12" in _edit_page(moderator_client, comment)


def test_approve_offers_no_reason(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
    assert 'name="reason"' not in moderator_client.get(url).content.decode()
    moderator_client.post(url, {"reason": "other"})
    assert _entry(comment).data == {"action": "approve", "from": "pending", "to": "approved"}


def test_over_long_reason_is_refused_with_a_message(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.APPROVED)
    url = reverse("reader_comments:moderate", args=[comment.pk, "spam"])
    response = moderator_client.post(
        url, {"reason": "other", "reason_text": "x" * (REASON_TEXT_MAX_LENGTH + 1)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"at most {REASON_TEXT_MAX_LENGTH} characters" in page
    assert "Nothing was changed" in page
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert not ModelLogEntry.objects.filter(object_id=str(comment.pk)).exists()


def test_unknown_reason_is_refused(commented_page, moderator_client):
    comment = make_comment(commented_page, status=CommentStatus.APPROVED)
    url = reverse("reader_comments:moderate", args=[comment.pk, "spam"])
    assert moderator_client.post(url, {"reason": "because"}).status_code == 200
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


def _bulk_url(action: str, comments) -> str:
    return f"/admin/bulk/comments/comment/{action}/?" + "&".join(f"id={c.pk}" for c in comments)


def test_bulk_action_keeps_reason_for_each_comment(commented_page, moderator_client, moderator):
    comments = [make_comment(commented_page, status=CommentStatus.APPROVED) for _ in range(2)]
    url = _bulk_url("comments-spam", comments)
    assert 'name="reason"' in moderator_client.get(url).content.decode()
    response = moderator_client.post(url, {"reason": "spam", "reason_text": "shop links"})
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.SPAM}
    for comment in comments:
        entry = _entry(comment)
        assert entry.data["reason"] == "spam" and entry.data["reason_text"] == "shop links"
        assert entry.user == moderator
        assert "Reason: Spam or advertising: shop links" in _edit_page(moderator_client, comment)


def test_bulk_action_without_reason(commented_page, moderator_client):
    comments = [make_comment(commented_page, status=CommentStatus.APPROVED) for _ in range(2)]
    assert moderator_client.post(_bulk_url("comments-unapprove", comments)).status_code == 302
    for comment in comments:
        assert _entry(comment).data == {"action": "unapprove", "from": "approved", "to": "pending"}


def test_bulk_over_long_reason_is_refused(commented_page, moderator_client):
    comments = [make_comment(commented_page, status=CommentStatus.PENDING) for _ in range(2)]
    response = moderator_client.post(
        _bulk_url("comments-trash", comments), {"reason_text": "x" * (REASON_TEXT_MAX_LENGTH + 1)}
    )
    assert response.status_code == 200
    assert f"at most {REASON_TEXT_MAX_LENGTH} characters" in response.content.decode()
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.PENDING}
