"""``GET /comments/counts/?pages=1,2,3``: approved comment counts of many pages in one query,
for a list of articles that shows "3 comments" beside each. Only live, public pages are
answered; the others are left out. Cacheable: an ETag, a short max-age, 304 when unchanged."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.views.decorators.http import require_http_methods

from . import messages
from .conf import app_setting
from .feeds import public_live_pages
from .models import with_comment_counts

MAX_PAGE_ID = 2**31 - 1  # the largest id of a page's integer primary key


class BadPages(ValueError):
    """The ``pages`` parameter cannot be read; its message is for the caller."""


def parse_page_ids(raw: str) -> list[int]:
    """The ids of ``?pages=``, refused (with a message) unless all are positive integers and
    there are not too many."""
    parts = [part.strip() for part in raw.split(",")]
    limit = app_setting("COUNTS_MAX_PAGES")
    if len(parts) > limit:
        raise BadPages(messages.COUNTS_TOO_MANY_PAGES % {"limit": limit})
    # Ten digits at most: a longer number is no page id (and a huge one overflows the query).
    if not raw.strip() or not all(
        part.isascii() and part.isdigit() and len(part) <= 10 for part in parts
    ):
        raise BadPages(messages.COUNTS_PAGES_INVALID)
    ids = sorted({int(part) for part in parts})
    if ids[-1] > MAX_PAGE_ID:
        raise BadPages(messages.COUNTS_PAGES_INVALID)
    return ids


def approved_counts(page_ids: list[int]) -> dict[str, int]:
    """Page id -> approved comments, for the live public pages among ``page_ids``."""
    pages = with_comment_counts(public_live_pages().filter(pk__in=page_ids)).order_by()
    return {str(pk): count for pk, count in pages.values_list("pk", "comment_count")}


@require_http_methods(["GET", "HEAD"])
def comment_counts(request: HttpRequest) -> HttpResponse:
    try:
        page_ids = parse_page_ids(request.GET.get("pages", ""))
    except BadPages as error:
        response = JsonResponse({"error": str(error)}, status=400)
        add_never_cache_headers(response)
        return response
    counts = approved_counts(page_ids)
    body = json.dumps({"counts": counts}, sort_keys=True)
    etag = f'"{hashlib.blake2s(body.encode(), digest_size=16).hexdigest()}"'
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=app_setting("COUNTS_MAX_AGE"))
    return get_conditional_response(request, etag=etag, response=response)
