"""Keeps cached pages in step with what happens to pages, sites and (when the comments app is
installed) comments. Connected in ``PageCacheConfig.ready()``; nothing else imports this app's
internals to invalidate it."""

from __future__ import annotations

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .versions import (
    invalidate_pages,
    invalidate_pages_on_write,
    invalidate_site,
    invalidate_site_on_write,
)


def page_changed(sender, instance, **kwargs) -> None:
    invalidate_pages([instance.pk])
    # Other pages list it (related articles, menus), so every cached page is refreshed.
    invalidate_site()


def page_moved(sender, instance, **kwargs) -> None:
    invalidate_site()


def routing_changed(sender, instance, **kwargs) -> None:
    """A page made private (or public again), a new hostname or root page: where every URL
    leads, and who may see it, changed."""
    invalidate_site_on_write()


def settings_changed(setting: str, **kwargs) -> None:
    """Tests and sites overriding settings (of this app or of an app filling a hole)."""
    invalidate_site()


def comments_written(sender, page_ids=None, **kwargs) -> None:
    """The comments app's signal, sent as comments are written (inside the transaction):
    invalidated now and again after commit, so its after-commit ``comments_changed`` need
    not be heard too. ``page_ids`` None means every page (the Discussion settings changed)."""
    if page_ids is None:
        invalidate_site_on_write()
    else:  # comments fill holes: the article around them stays
        invalidate_pages_on_write(page_ids, holes_only=True)


def connect() -> None:
    page_published.connect(page_changed, dispatch_uid="pagecache-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-page-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-page-moved")
    # A deleted page sends no unpublish signal; its rows do (the Page row for every type).
    post_delete.connect(page_changed, sender=Page, dispatch_uid="pagecache-page-deleted")
    for model in (PageViewRestriction, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                routing_changed,
                sender=model,
                dispatch_uid=f"pagecache-{model.__name__}-{signal is post_save}",
            )
    setting_changed.connect(settings_changed, dispatch_uid="pagecache-setting-changed")


def connect_comments(signals) -> None:
    signals.comments_written.connect(comments_written, dispatch_uid="pagecache-comments-written")
