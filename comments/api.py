"""A JSON API of a page's comments, for headless sites: its approved threads, counts, a
fresh form stamp, and the POST of a new comment.

Plain Django views (no REST framework): the same threads and pagination as the HTML section
(``threads.build_threads``), never an email, IP address or user agent. A comment posted
here (``api_post.py``) goes through the HTML form's own steps (``posting.py``: the form, its
checks, the policy) and is refused with the same messages, as JSON. Browser pages on other
origins may use the API when their origin is listed in ``COMMENTS_API_CORS_ORIGINS``
(``cors.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import messages
from .api_post import csrf_exempt_for_json, page_param, post_comment
from .cors import cors
from .counts import comment_counts
from .models import Comment, CommentStatus, DiscussionSettings
from .section import _small_int
from .targets import find_commentable_page
from .threads import ThreadEntry, build_threads, displayed_comments
from .views import fresh_stamp

SCHEMA_PATH = Path(__file__).with_name("openapi.json")
MAX_AGE = 30  # seconds: the ETag makes revalidation cheap


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


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
        "pinned": comment.pinned,
        "replies": [_entry_json(child) for child in entry.children],
    }


@require_GET
def page_comments(request: HttpRequest) -> HttpResponse:
    """The approved threads of one live, public page, one page of top-level threads."""
    raw_page = request.GET.get("page")
    if raw_page is None:
        return _error(400, messages.API_PAGE_REQUIRED)
    page_id = _small_int(raw_page)
    if page_id is None:
        return _error(400, messages.API_PAGE_INVALID)
    raw_number = request.GET.get("p", "1")
    number = _small_int(raw_number)
    if number is None or number < 1:
        return _error(400, messages.API_PAGE_NUMBER_INVALID)
    page = find_commentable_page(page_id)
    if page is None:
        return _error(404, messages.API_PAGE_UNKNOWN)
    options = DiscussionSettings.options_for_request(request)

    def build() -> HttpResponse:
        comments = displayed_comments(page.pk, options.newest_first)
        threads = build_threads(comments, options, page_number=number)
        if number > threads.page_count:
            return _error(
                404,
                messages.API_PAGE_NUMBER_OUT_OF_RANGE
                % {"number": number, "last": threads.page_count},
            )
        roots = [entry for entry in threads.entries if entry.depth == 1]
        return JsonResponse(
            {
                "page": page.pk,
                "count": threads.approved_count,
                "page_number": threads.page_number,
                "page_count": threads.page_count,
                "per_page": options.per_page,
                # The editors' pick (shown above the threads), wherever its thread is.
                "pinned": threads.pinned.comment.pk if threads.pinned else None,
                "threads": [_entry_json(entry) for entry in roots],
            }
        )

    return _cached(request, _state_etag(page.pk, options, number), build)


@require_GET
def stamp(request: HttpRequest) -> HttpResponse:
    """A new form stamp for the page (``?page=<id>``): a front end asks for one as its reader
    starts writing. The same never-cached answer comments.js gets (``views.fresh_stamp``)."""
    page_id, error = page_param(request.GET.get("page"))
    if error:
        return _error(400, error)
    if find_commentable_page(page_id) is None:
        return _error(404, messages.API_PAGE_UNKNOWN)
    return fresh_stamp(request, page_id)


@cors("GET", "POST")
@csrf_exempt_for_json
def threads_or_post(request: HttpRequest) -> HttpResponse:
    """/api/comments/: GET a page's threads, POST a comment."""
    if request.method == "POST":
        return post_comment(request)
    if request.method == "GET":
        return page_comments(request)
    return HttpResponseNotAllowed(["GET", "POST"])


@require_GET
def schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 document of these endpoints, kept in the repository."""
    return HttpResponse(SCHEMA_PATH.read_bytes(), content_type="application/json")


def read_only(view):
    """A GET endpoint changes nothing whatever the method, so CSRF's check has nothing to
    protect there: exempted, any other method gets its honest 405 (the OpenAPI document
    lists GET only) rather than the CSRF failure page."""
    return csrf_exempt(view)


app_name = "comments_api"
urlpatterns = [
    path("", threads_or_post, name="threads"),
    # The same view as /comments/counts/ (counts.py), under the API's prefix and schema.
    path("counts/", cors("GET")(read_only(comment_counts)), name="counts"),
    path("stamp/", cors("GET")(read_only(stamp)), name="stamp"),
    path("schema/", cors("GET")(read_only(schema)), name="schema"),
]


class CommentsAPIEndpoint:
    """The same endpoints under a site's own Wagtail API router (``wagtail.api.v2``):
    ``api_router.register_endpoint("comments", CommentsAPIEndpoint)`` serves the threads at
    ``<router prefix>/comments/?page=<id>`` (and ``counts/``, ``stamp/``, ``schema/``), with
    the answers, caching headers and OpenAPI document of ``/api/comments/``."""

    model = Comment

    @classmethod
    def get_urlpatterns(cls) -> list:
        return [path("", threads_or_post, name="listing"), *urlpatterns[1:]]

    @classmethod
    def get_model_listing_urlpath(cls, model, namespace: str = "") -> str:
        return reverse(f"{namespace}:listing" if namespace else "listing")

    @classmethod
    def get_object_detail_urlpath(cls, model, pk, namespace: str = "") -> None:
        return None  # comments are read a page's threads at a time, not one by one
