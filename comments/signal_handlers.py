"""What the comments app does when comments and its settings change. Connected in
``CommentsConfig.ready()``."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .follows import new_comments_published
from .models import Comment, DiscussionSettings
from .notifications import comments_approved
from .signals import (
    comment_reported,
    comment_was_posted,
    comments_changed,
    comments_moderated,
    comments_published,
    comments_written,
)
from .webhooks import (
    comment_posted_events,
    comment_reported_event,
    comments_moderated_events,
    site_reply_events,
)


def comment_saved_or_deleted(sender, instance: Comment, **kwargs) -> None:
    comments_written.send(sender=Comment, page_ids=[instance.page_id])


def discussion_settings_saved(sender, instance, **kwargs) -> None:
    comments_written.send(sender=DiscussionSettings, page_ids=None)


def send_notifications(sender, approved_ids: list[int], **kwargs) -> None:
    if approved_ids:
        comments_approved(approved_ids)


def send_posted_webhooks(sender, comment: Comment, **kwargs) -> None:
    comment_posted_events(comment)


def send_moderated_webhooks(sender, comment_ids: list[int], to_status: str | None, **kwargs):
    comments_moderated_events(comment_ids, to_status)


def send_site_reply_webhooks(sender, action: str, approved_ids: list[int], **kwargs) -> None:
    # Approvals through apply_action have had their webhooks (comments_moderated).
    if action == "reply" and approved_ids:
        site_reply_events(approved_ids)


def send_reported_webhooks(sender, comment: Comment, reason: str = "", **kwargs) -> None:
    comment_reported_event(comment, reason)


def connect() -> None:
    post_save.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-saved")
    post_delete.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-deleted")
    post_save.connect(
        discussion_settings_saved, sender=DiscussionSettings, dispatch_uid="comments-settings"
    )
    comments_changed.connect(send_notifications, dispatch_uid="comments-notifications")
    comment_was_posted.connect(send_posted_webhooks, dispatch_uid="comments-webhooks-posted")
    comments_moderated.connect(send_moderated_webhooks, dispatch_uid="comments-webhooks-moderated")
    comments_changed.connect(send_site_reply_webhooks, dispatch_uid="comments-webhooks-reply")
    comment_reported.connect(send_reported_webhooks, dispatch_uid="comments-webhooks-reported")
    comments_published.connect(new_comments_published, dispatch_uid="comments-followers")
