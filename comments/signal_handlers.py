"""Keeps cached pages and notifications in step with what happens to comments and pages.
Connected in ``CommentsConfig.ready()``."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import invalidate_pages, invalidate_pages_on_write, invalidate_site
from .models import Comment, DiscussionSettings
from .signals import comments_changed


def comment_saved_or_deleted(sender, instance: Comment, **kwargs) -> None:
    invalidate_pages_on_write([instance.page_id])


def page_changed(sender, instance, **kwargs) -> None:
    page_id = instance.pk
    invalidate_pages([page_id])
    # Other pages list it (related articles), so every cached page is refreshed.
    invalidate_site()


def page_moved(sender, instance, **kwargs) -> None:
    invalidate_site()


def view_restriction_changed(sender, instance, **kwargs) -> None:
    """A page made private (or public again) must never be served from a shared copy."""
    invalidate_site()
    transaction.on_commit(invalidate_site)


def site_changed(sender, instance, **kwargs) -> None:
    """A new hostname or root page changes where every URL leads (remembered routes)."""
    invalidate_site()
    transaction.on_commit(invalidate_site)


def discussion_settings_saved(sender, instance, **kwargs) -> None:
    invalidate_site()
    transaction.on_commit(invalidate_site)


def comments_setting_changed(setting: str, **kwargs) -> None:
    if setting.startswith(("COMMENTS_", "RECAPTCHA_")):
        invalidate_site()


def send_notifications(sender, approved_ids: list[int], **kwargs) -> None:
    if approved_ids:
        from .notifications import comments_approved

        comments_approved(approved_ids)


def connect() -> None:
    post_save.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-saved")
    post_delete.connect(comment_saved_or_deleted, sender=Comment, dispatch_uid="comments-deleted")
    page_published.connect(page_changed, dispatch_uid="comments-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="comments-page-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="comments-page-moved")
    post_save.connect(
        discussion_settings_saved, sender=DiscussionSettings, dispatch_uid="comments-settings"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"comments-restriction-{signal is post_save}",
        )
    for signal in (post_save, post_delete):
        signal.connect(
            site_changed, sender=Site, dispatch_uid=f"comments-site-{signal is post_save}"
        )
    setting_changed.connect(comments_setting_changed, dispatch_uid="comments-setting-changed")
    comments_changed.connect(send_notifications, dispatch_uid="comments-notifications")
