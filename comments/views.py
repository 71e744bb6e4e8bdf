"""The reader's HTML views: the comment POST (its steps are ``posting.py``'s) and its
redirect back to the page, a fresh form stamp, the author's own edit and delete, and the
one-click unsubscribe."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import ModelLogEntry, Page

from . import addresses, messages
from .author_links import (
    LINKS_COOKIE,
    author_edit_until,
    author_window_open,
    read_links_cookie,
    set_links_cookie,
)
from .conf import ApprovalPolicy, DiscussionOptions
from .forms import AuthorEditForm, CommentForm
from .models import Comment, CommentStatus, DiscussionSettings
from .notifications import read_unsubscribe_token
from .policy import policy_for
from .posting import comment_location, size_refusal, start_posting, submit_comment
from .proof_of_work import make_challenge
from .signals import comments_moderated
from .spam import Refusal
from .targets import CommentTarget, comment_target
from .tokens import (
    AUTHOR_COOKIE,
    AUTHOR_COOKIE_MAX_AGE,
    POSTED_COOKIE,
    make_author_token,
    make_form_stamp,
    make_posted_ids_token,
    read_posted_ids,
)

AUTHOR_LOG_ACTION = "comments.author_change"


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A plain page with the reason, for requests that have no article to show the form on."""
    response = TemplateResponse(
        request, "comments/refused.html", {"message": message, "text": messages}, status=status
    )
    add_never_cache_headers(response)
    return response


def render_form_again(
    request: HttpRequest, page: Page, form: CommentForm, status: int, message: str = ""
) -> HttpResponse:
    """The article again, with the reader's input and the errors beside the fields."""
    if message:
        form.add_error(None, message)
    response = page.serve(request, comment_form=form)
    response.status_code = status
    add_never_cache_headers(response)
    return response


def _csrf_failure(request: HttpRequest) -> bool:
    """Anonymous forms are cacheable, so they carry a signed stamp instead of a CSRF token;
    logged-in users keep Django's CSRF protection."""
    if not request.user.is_authenticated:
        return False
    check = CsrfViewMiddleware(lambda req: HttpResponse())
    return check.process_view(request, None, (), {}) is not None


@csrf_exempt
@require_POST
def post_comment(request: HttpRequest, page_id: int) -> HttpResponse:
    """The "Leave a Reply" form's POST (the steps are ``posting.py``'s, shared with the JSON
    API): back to the page at the comment, or the article again with the errors."""
    started = size_refusal(request) or start_posting(request, page_id)
    if isinstance(started, Refusal):
        return refuse(request, started.status, started.message)
    if _csrf_failure(request):
        return refuse(request, 403, messages.CSRF_FAILED)
    outcome = submit_comment(request, started, request.POST)
    if outcome.comment is not None:
        return comment_accepted(request, started.target, outcome.comment, started.options)
    response = render_form_again(
        request, started.target.page, outcome.form, outcome.status, outcome.message
    )
    if outcome.retry_after:
        response["Retry-After"] = str(outcome.retry_after)
    return response


def comment_accepted(
    request: HttpRequest, target: CommentTarget, comment: Comment, options: DiscussionOptions
) -> HttpResponse:
    response = redirect_to_comment(target, comment, options)
    # Sent only to /comments/, so cached article pages never see it.
    response.set_cookie(
        AUTHOR_COOKIE,
        make_author_token(comment.email),
        max_age=AUTHOR_COOKIE_MAX_AGE,
        path=author_cookie_path(request),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    # Which comments this browser posted: proves the right to edit or delete them a while.
    response.set_cookie(
        POSTED_COOKIE,
        make_posted_ids_token(request.COOKIES.get(POSTED_COOKIE), comment.pk),
        max_age=AUTHOR_COOKIE_MAX_AGE,
        path=author_cookie_path(request),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if comment.address_verified:
        # Proved (perhaps by a confirmed comment of this browser's): kept for the next ones.
        addresses.set_verified_cookie(response, request, comment.email)
    # Where comments.js adds this browser's Edit and Delete links (author_links.py).
    until = author_edit_until(comment.created, options)
    if until is not None:
        entries = read_links_cookie(request.COOKIES.get(LINKS_COOKIE))
        entries[comment.pk] = int(until.timestamp())
        set_links_cookie(response, request, entries, settings.SESSION_COOKIE_SECURE)
    return response


@require_http_methods(["GET"])
def altcha_challenge(request: HttpRequest) -> HttpResponse:
    """A new ALTCHA challenge, which the widget fetches when the reader ticks the box. Each
    is new and signed: never stored by a browser or a cache (Cache-Control: no-store)."""
    response = JsonResponse(make_challenge())
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET"])
def fresh_stamp(request: HttpRequest, page_id: int) -> HttpResponse:
    """A new form stamp, for a form on a page a CDN or proxy kept (comments.js asks when the
    reader starts writing; the JSON API's /stamp/ too). Never cached; the POST checks the page."""
    response = JsonResponse({"stamp": make_form_stamp(page_id)})
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def redirect_to_comment(
    target: CommentTarget, comment: Comment, options: DiscussionOptions
) -> HttpResponse:
    """303 back to the page and the comment. A pending one is shown through a signed token;
    so is one published at once while its author may change it: that response alone (never
    cached) says it is published and offers the Edit and Delete links."""
    location = comment_location(target, comment, options, author_links=True)
    return HttpResponseRedirect(location, status=303)


def author_cookie_path(request: HttpRequest) -> str:
    """The folder of this POST's URL (``.../comments/``): the browser sends the author token
    back to the comment URLs only, never to (cached) article pages."""
    return request.path.rsplit("/post/", 1)[0] + "/"


# The author's own edit and delete ------------------------------------------------------------


def _own_page(request: HttpRequest, comment: Comment, context: dict, status: int = 200):
    response = TemplateResponse(
        request, "comments/author_change.html", {**context, "text": messages}, status=status
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def author_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The browser that posted a comment edits it for a while (its signed cookie proves it)."""
    comment, refusal = author_comment_or_refusal(request, comment_id)
    if refusal is not None:
        return refusal
    context = {"title": messages.AUTHOR_EDIT_TITLE, "state": "edit", "comment": comment}
    if request.method == "GET":
        context["body"] = comment.body
        return _own_page(request, comment, context)
    form = AuthorEditForm(request.POST)
    if not form.is_valid():
        context.update(body=request.POST.get("body", ""), errors=form.errors.get("body", []))
        return _own_page(request, comment, context, status=400)
    previous = comment.body
    comment.body, comment.body_html = form.cleaned_data["body"], form.body_html
    options = DiscussionSettings.options_for_request(request, site_id=comment.page.get_site().pk)
    # The policy's rules (keywords, links) judge the new text; the approval policy does not
    # (the comment was already judged). An edit never publishes a held comment.
    rules_only = dataclasses.replace(options, approval_policy=ApprovalPolicy.APPROVE)
    status = policy_for(comment.page.specific, rules_only).initial_status(comment, request)
    if status != CommentStatus.APPROVED:
        comment.status = status
        comment.pinned = False  # held again: readers no longer see the editors' pick
    comment.edited = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body", "body_html", "status", "edited", "updated", "pinned"])
        log_author_change(comment, "edit", {"previous": previous, "status": comment.status})
    return redirect_after_change(request, comment)


@require_http_methods(["GET", "POST"])
def author_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The author deletes their comment: one with replies keeps its place in the thread."""
    comment, refusal = author_comment_or_refusal(request, comment_id)
    if refusal is not None:
        return refusal
    if request.method == "GET":
        context = {"title": messages.AUTHOR_DELETE_TITLE, "state": "delete", "comment": comment}
        return _own_page(request, comment, context)
    comment_pk = comment.pk  # None once the row is deleted
    with transaction.atomic():
        log_author_change(comment, "delete", {"previous": comment.body})
        if comment.replies.exists():
            comment.body = ""
            comment.body_html = f"<p>{escape(messages.DELETED_BY_AUTHOR)}</p>"
            comment.website = ""
            comment.edited = timezone.now()
            comment.pinned = False
            comment.save(
                update_fields=["body", "body_html", "website", "edited", "updated", "pinned"]
            )
        else:
            comments_moderated.send(
                sender=Comment, action="author_delete", comment_ids=[comment.pk], to_status=None
            )
            comment.delete()
    response = HttpResponseRedirect(comment.page.url or "/", status=303)
    entries = read_links_cookie(request.COOKIES.get(LINKS_COOKIE))
    if entries.pop(comment_pk, None) is not None:
        set_links_cookie(response, request, entries, settings.SESSION_COOKIE_SECURE)
    return response


def author_comment_or_refusal(
    request: HttpRequest, comment_id: int
) -> tuple[Comment | None, HttpResponse | None]:
    """The comment, if this browser posted it and may still change it; else the refusal."""
    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    if comment is None:
        return None, refuse(request, 404, messages.PAGE_NOT_FOUND)
    if comment.pk not in read_posted_ids(request.COOKIES.get(POSTED_COOKIE)):
        return None, refuse(request, 403, messages.AUTHOR_NOT_YOURS)
    options = DiscussionSettings.options_for_request(request, site_id=comment.page.get_site().pk)
    if not author_may_change(comment, options):
        return None, refuse(request, 403, messages.AUTHOR_WINDOW_CLOSED)
    return comment, None


def author_may_change(comment: Comment, options: DiscussionOptions) -> bool:
    """Within the site's window (and, if asked, before the first reply)."""
    if not author_window_open(comment.created, options):
        return False
    return not (options.author_edit_until_reply and comment.replies.exists())


def log_author_change(comment: Comment, change: str, data: dict) -> None:
    """The audit log: the moderator sees what the author changed, and the previous text."""
    ModelLogEntry.objects.log_action(comment, AUTHOR_LOG_ACTION, data={"change": change, **data})


def redirect_after_change(request: HttpRequest, comment: Comment) -> HttpResponse:
    options = DiscussionSettings.options_for_request(request)
    target = comment_target(request, comment.page_id)
    if target is None:
        return HttpResponseRedirect("/", status=303)
    return redirect_to_comment(target, comment, options)


@csrf_exempt  # mail clients POST here without a CSRF token: one-click unsubscribe (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks (link scanners follow links); POST stops reply e-mails to the address."""
    email = read_unsubscribe_token(token)
    context = {"title": messages.UNSUBSCRIBE_TITLE, "text": messages}
    if email is None:
        context.update(state="invalid", message=messages.UNSUBSCRIBE_LINK_INVALID)
        status = 400
    elif request.method == "POST":
        Comment.objects.filter(email__iexact=email).update(notify_replies=False)
        context.update(state="done", message=messages.UNSUBSCRIBED)
        status = 200
    else:
        context.update(
            state="confirm",
            question=messages.UNSUBSCRIBE_QUESTION,
            button=messages.UNSUBSCRIBE_BUTTON,
        )
        status = 200
    response = TemplateResponse(request, "comments/unsubscribe.html", context, status=status)
    add_never_cache_headers(response)
    return response
