"""The page a comment is posted to, looked up once per site version.

Whether a page takes comments (live, of a type with ``CommentsMixin``, outside every private
section), which site it belongs to and its URL only change when a page is published,
unpublished, moved or deleted, or a view restriction, a site or the Discussion settings are
edited; each of those changes the site version (see ``signal_handlers.py``), as for the
remembered routes of ``routing.py``. So what a POST found is kept, pickled, under that
version: this worker's memory answers the next POSTs to the page without SQL or a lookup of
Wagtail's site root paths, and each request unpickles its own copy.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction

from .cache import get_versioned, set_versioned, site_version
from .models import CommentsMixin


@dataclass(frozen=True)
class CommentTarget:
    page: Page  # the specific page
    site_id: int | None  # the site it belongs to: its Discussion settings apply
    url: str  # its path on that site, where the reader is sent back to


def comment_target(request: HttpRequest, page_id: int) -> CommentTarget | None:
    """The live page, if it takes comments and no view restriction covers it; None
    otherwise (such answers are not kept)."""
    # Per host: a page in two sites has a URL (and Discussion settings) for each.
    key = f"comments:target:{request.get_host()}:{page_id}:{site_version(request)}"
    pickled = get_versioned(key)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301 - written by this site, in its own cache
    page = find_commentable_page(page_id)
    if page is None:
        return None
    url_parts = page.get_url_parts(request)
    site_id, _, path = url_parts if url_parts is not None else (None, None, None)
    target = CommentTarget(page=page, site_id=site_id, url=path or "/")
    set_versioned(key, pickle.dumps(target, pickle.HIGHEST_PROTOCOL))
    return target


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
