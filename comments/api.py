"""A read-only JSON API of a page's approved comments, for headless sites.

Plain Django views (no REST framework): the same threads and pagination as the HTML section
(``threads.build_threads``), never an email, IP address or user agent.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .models import Comment, CommentStatus, DiscussionSettings
from .section import _small_int
from .targets import find_commentable_page
from .threads import ThreadEntry, build_threads, displayed_comments

SCHEMA_PATH = Path(__file__).with_name("openapi.json")
MAX_AGE = 30  # seconds: the ETag makes revalidation cheap
MAX_COUNT_PAGES = 100


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _state_etag(page_id: int, options, number: int) -> str:
    """Changes whenever the approved comments shown on the page do (count, newest write)."""
    state = Comment.objects.filter(page_id=page_id).aggregate(
        count=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
        updated=Max("updated", filter=Q(status=CommentStatus.APPROVED)),
        top=Max("pk", filter=Q(status=CommentStatus.APPROVED)),
    )
    key = f"{page_id}:{number}:{state}:{options.per_page}:{options.order}:{options.thread_depth}"
    return '"' + hashlib.blake2s(key.encode(), digest_size=12).hexdigest() + '"'


def _cached(request: HttpRequest, etag: str, build) -> HttpResponse:
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = build()
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _entry_json(entry: ThreadEntry) -> dict:
    comment = entry.comment
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "depth": entry.depth,
        "author": {"name": comment.name, "website": comment.website or None},
        "created": comment.created.isoformat(),
        "html": comment.body_html,
        "replies": [_entry_json(child) for child in entry.children],
    }


@require_GET
def page_comments(request: HttpRequest) -> HttpResponse:
    """The approved threads of one live, public page, one page of top-level threads."""
    raw_page = request.GET.get("page")
    if raw_page is None:
        return _error(400, "The 'page' parameter (a page id) is required.")
    page_id = _small_int(raw_page)
    if page_id is None:
        return _error(400, "The 'page' parameter must be a positive integer.")
    raw_number = request.GET.get("p", "1")
    number = _small_int(raw_number)
    if number is None or number < 1:
        return _error(400, "The 'p' parameter must be a positive integer.")
    page = find_commentable_page(page_id)
    if page is None:
        return _error(404, "No live, public page taking comments has this id.")
    options = DiscussionSettings.options_for_request(request)

    def build() -> HttpResponse:
        comments = displayed_comments(page.pk, options.newest_first)
        threads = build_threads(comments, options, page_number=number)
        if number > threads.page_count:
            return _error(404, f"Comment page {number} does not exist (1 to {threads.page_count}).")
        roots = [entry for entry in threads.entries if entry.depth == 1]
        return JsonResponse(
            {
                "page": page.pk,
                "count": threads.approved_count,
                "page_number": threads.page_number,
                "page_count": threads.page_count,
                "per_page": options.per_page,
                "threads": [_entry_json(entry) for entry in roots],
            }
        )

    return _cached(request, _state_etag(page.pk, options, number), build)


@require_GET
def comment_counts(request: HttpRequest) -> HttpResponse:
    """Approved-comment counts of many pages, in one query (for listings)."""
    raw = request.GET.get("pages", "")
    if not raw.strip():
        return _error(400, "The 'pages' parameter (comma-separated page ids) is required.")
    ids = [_small_int(part.strip()) for part in raw.split(",")]
    if None in ids:
        return _error(400, "The 'pages' parameter must be comma-separated positive integers.")
    if len(set(ids)) > MAX_COUNT_PAGES:
        return _error(400, f"At most {MAX_COUNT_PAGES} pages at a time.")
    rows = (
        Comment.objects.approved()
        .filter(page_id__in=set(ids), page__live=True)
        .order_by()
        .values("page_id")
        .annotate(count=Count("pk"), updated=Max("updated"), top=Max("pk"))
    )
    rows = list(rows)
    counts = {str(page_id): 0 for page_id in sorted(set(ids))}
    for row in rows:
        counts[str(row["page_id"])] = row["count"]
    key = json.dumps(sorted((r["page_id"], r["count"], str(r["updated"]), r["top"]) for r in rows))
    etag = '"' + hashlib.blake2s(f"{raw}:{key}".encode(), digest_size=12).hexdigest() + '"'
    return _cached(request, etag, lambda: JsonResponse({"counts": counts}))


@require_GET
def schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 document of these endpoints, kept in the repository."""
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/json")


app_name = "comments_api"
urlpatterns = [
    path("", page_comments, name="threads"),
    path("counts/", comment_counts, name="counts"),
    path("schema/", schema, name="schema"),
]
