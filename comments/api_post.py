"""Posting a comment through the JSON API (``POST /api/comments/``, routed by ``api.py``).

The comment goes through the HTML form's own steps (``posting.py``: the form, its checks,
the moderation policy); only the answer differs: JSON, with the same messages, by field as
Django's forms give them, and the statuses a front end acts on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import add_never_cache_headers

from . import messages
from .forms import CommentForm
from .models import Comment
from .posting import Posting, comment_location, size_refusal, start_posting, submit_comment
from .section import _small_int
from .spam import Refusal
from .tokens import make_preview_token

JSON_CONTENT_TYPE = "application/json"
# The reCAPTCHA v2 widget reads its answer under this name; the API takes it as "captcha".
RECAPTCHA_RESPONSE_NAME = "g-recaptcha-response"
# Fields that cannot be typed in: a wrong stamp or captcha means the post is not a form
# this site gave a person (403), not a mistake to correct (400).
FORBIDDEN_FIELDS = ("stamp", "captcha")


def page_param(raw: object) -> tuple[int | None, str]:
    """The page id from a query or a JSON body, or the message saying what is wrong."""
    if raw is None or raw == "":
        return None, messages.API_PAGE_REQUIRED
    page_id = _small_int(raw) if not isinstance(raw, bool | float) else None
    return (page_id, "") if page_id is not None else (None, messages.API_PAGE_INVALID)


def csrf_exempt_for_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CSRF protection is exempted for JSON bodies only. A forgery is a page on another site
    making its visitor's browser send a request with that visitor's cookies. Without asking,
    a browser sends only form, multipart or text/plain bodies across origins; a JSON body
    needs a CORS preflight, which only the origins in COMMENTS_API_CORS_ORIGINS pass, and
    never for a request with credentials (``cors.py`` sends no Allow-Credentials). So a JSON
    request comes from the site itself, from a listed front end without cookies, or from a
    client that is no browser: none is forged. Any other body keeps Django's CSRF check
    (refused with a JSON 403) and is then refused anyway (415)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # An oversized body is refused (413) before anything reads it, CSRF's check too.
        checked = request.method == "POST" and size_refusal(request) is None
        if checked and request.content_type != JSON_CONTENT_TYPE:
            check = CsrfViewMiddleware(lambda req: HttpResponse())
            if check.process_view(request, None, (), {}) is not None:
                return _post_error(403, messages.CSRF_FAILED)
        return view(request, *args, **kwargs)

    wrapped.csrf_exempt = True
    return wrapped


def _no_store(response: HttpResponse) -> HttpResponse:
    """Every answer to a POST is its sender's alone (a pending comment's preview token)."""
    add_never_cache_headers(response)
    return response


def _post_error(status: int, message: str, field: str = "__all__") -> JsonResponse:
    """``errors`` as Django's forms give them (``__all__`` for the post as a whole);
    ``error`` the first message, for a front end that shows one line."""
    return _post_errors(status, {field: [str(message)]})


def _post_errors(status: int, errors: dict[str, list[str]]) -> JsonResponse:
    first = next(iter(errors.values()))[0]
    return _no_store(JsonResponse({"error": first, "errors": errors}, status=status))


def _refused(refusal: Refusal) -> JsonResponse:
    response = _post_error(refusal.status, refusal.message)
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _form_errors(form: CommentForm) -> dict[str, list[str]]:
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}


def _form_error_status(form: CommentForm) -> int:
    return 403 if any(name in form.errors for name in FORBIDDEN_FIELDS) else 400


def _json_fields(body: bytes) -> dict[str, Any] | None:
    """The posted fields of a JSON object; None for anything else (lists and objects as
    values too: no form field takes them). A null is a field left out."""
    try:
        data = json.loads(body)
    except ValueError:  # not JSON, or not UTF-8
        return None
    if not isinstance(data, dict):
        return None
    if any(isinstance(value, dict | list) for value in data.values()):
        return None
    fields = {name: value for name, value in data.items() if value is not None}
    if "captcha" in fields:
        fields.setdefault(RECAPTCHA_RESPONSE_NAME, fields["captcha"])
    return fields


def post_comment(request: HttpRequest) -> HttpResponse:
    """POST a comment as a JSON object: ``page`` (its id) and the form's fields (``stamp``
    from /stamp/, ``name``, ``email``, ``body``, ``website``, ``parent``, ``notify_replies``,
    ``honeypot``, ``captcha``). 201 with the comment's id and state; its author alone gets,
    in this answer, the preview token and URL of a comment held for moderation. No cookies
    are set: the author's browser token is the HTML form's."""
    refusal = size_refusal(request)
    if refusal is not None:
        return _refused(refusal)
    if request.content_type != JSON_CONTENT_TYPE:
        return _post_error(415, messages.API_JSON_REQUIRED)
    data = _json_fields(request.body)
    if data is None:
        return _post_error(400, messages.API_JSON_INVALID)
    page_id, error = page_param(data.get("page"))
    if error:
        return _post_error(400, error, field="page")
    started = start_posting(request, page_id)
    if isinstance(started, Refusal):
        return _refused(started)
    outcome = submit_comment(request, started, data)
    if outcome.comment is not None:
        return _created(request, started, outcome.comment)
    if outcome.message:
        return _refused(Refusal(outcome.status, outcome.message, retry_after=outcome.retry_after))
    return _post_errors(_form_error_status(outcome.form), _form_errors(outcome.form))


def _created(request: HttpRequest, posting: Posting, comment: Comment) -> JsonResponse:
    """Where the comment is on its page; a pending one's URL carries its preview token. A
    comment the checks marked as spam looks pending to its author."""
    approved = comment.is_approved
    token = "" if approved else make_preview_token(comment.pk)
    location = comment_location(posting.target, comment, posting.options, preview_token=token)
    root_url = posting.target.root_url  # the page's own site, which may not be this host
    data = {
        "id": comment.pk,
        "page": comment.page_id,
        "parent": comment.parent_id,
        "state": "approved" if approved else "pending",
        "url": root_url + location if root_url else request.build_absolute_uri(location),
    }
    if not approved:
        data["preview_token"] = token
    return _no_store(JsonResponse(data, status=201))
