"""What the comments app does when comments and its settings change. Connected in
``CommentsConfig.ready()``."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import Comment, DiscussionSettings
from .notifications import comments_approved
from .signals import comments_changed, comments_written


def comment_saved_or_deleted(sender, instance: Comment, **kwargs) -> None:
    comments_written.send(sender=Comment, page_ids=[instance.page_id])


def discussion_settings_saved(sender, instance, **kwargs) -> None:
    comments_written.send(sender=DiscussionSettings, page_ids=None)


def send_notifications(sender, approved_ids: list[int], **kwargs) -> None:
    if approved_ids:
        comments_approved(approved_ids)


def connect() -> None:
    post_save.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-saved")
    post_delete.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-deleted")
    post_save.connect(
        discussion_settings_saved, sender=DiscussionSettings, dispatch_uid="comments-settings"
    )
    comments_changed.connect(send_notifications, dispatch_uid="comments-notifications")
