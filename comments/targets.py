"""The page a comment is posted to: live, of a type with ``CommentsMixin``, outside every
private section; with the site it belongs to and its URL there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction

from .models import CommentsMixin


@dataclass(frozen=True)
class CommentTarget:
    page: Page  # the specific page
    site_id: int | None  # the site it belongs to: its Discussion settings apply
    url: str  # its path on that site, where the reader is sent back to
    root_url: str = ""  # that site's root URL (scheme and host), for links given elsewhere


def comment_target(request: HttpRequest, page_id: int) -> CommentTarget | None:
    """The page, if it takes comments; None otherwise."""
    page = find_commentable_page(page_id)
    if page is None:
        return None
    url_parts = page.get_url_parts(request)
    site_id, root_url, path = url_parts if url_parts is not None else (None, None, None)
    return CommentTarget(page=page, site_id=site_id, url=path or "/", root_url=root_url or "")


def find_commentable_page(page_id: int) -> Page | None:
    """Three small indexed queries: Wagtail's ``public().specific().first()`` builds its query
    from every restriction of the site and costs half as much again."""
    found = _one_or_none(
        Page.objects.filter(pk=page_id, live=True).values_list("content_type_id", "path")
    )
    if found is None:
        return None
    content_type_id, path = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, CommentsMixin):
        return None
    # A restriction on the page or on any ancestor (whose paths are prefixes of its own).
    ancestry = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
    if PageViewRestriction.objects.filter(page__path__in=ancestry).exists():
        return None
    return _one_or_none(model.objects.filter(pk=page_id, live=True))


def _one_or_none(queryset: QuerySet) -> Any:
    """The row a primary-key lookup finds, or None; unlike ``first()``, without ordering."""
    try:
        return queryset.get()
    except ObjectDoesNotExist:
        return None


def commentable_pages() -> QuerySet[Page]:
    """Every page (live or not) of a type that takes comments: what an import matches."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, CommentsMixin)
    ]
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    return Page.objects.filter(content_type__in=list(content_types.values()))
