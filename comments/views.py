"""The comment POST: form -> checks -> moderation -> model -> redirect back to the page.

The form (``COMMENTS_FORM_CLASS``) validates the POST and builds the unsaved comment; the
page type's moderation policy (``policy.py``) runs its spam checks, may refuse the comment
and sets its status; ``comment_will_be_posted`` receivers may refuse it too; then it is
saved, its e-mails queued, and ``comment_was_posted`` sent once the transaction commits.
"""

from __future__ import annotations

import dataclasses
import datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import ModelLogEntry, Page

from . import messages, spam
from .conf import ApprovalPolicy, DiscussionOptions, app_setting
from .forms import AuthorEditForm, CommentForm, form_class
from .models import Comment, CommentStatus, DiscussionSettings
from .notifications import read_unsubscribe_token
from .policy import policy_for
from .proof_of_work import make_challenge
from .signals import comment_was_posted, comment_will_be_posted
from .targets import CommentTarget, comment_target
from .threads import page_number_of
from .tokens import (
    AUTHOR_COOKIE,
    AUTHOR_COOKIE_MAX_AGE,
    POSTED_COOKIE,
    make_author_token,
    make_form_stamp,
    make_posted_ids_token,
    make_preview_token,
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
    max_bytes = app_setting("MAX_POST_BYTES")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = max_bytes + 1
    if length > max_bytes:
        return refuse(request, 413, messages.POST_TOO_LARGE)

    target = comment_target(request, page_id)
    if target is None:
        return refuse(request, 404, messages.PAGE_NOT_FOUND)
    page = target.page
    options = DiscussionSettings.options_for_request(request, site_id=target.site_id)
    if not page.comments_open(options):
        return refuse(request, 403, messages.COMMENTS_CLOSED)
    if _csrf_failure(request):
        return refuse(request, 403, messages.CSRF_FAILED)

    # The form: its layers check the stamp, the honeypot, the fields and the parent.
    form = form_class()(request.POST, page=page, options=options)
    if not form.is_valid():
        return render_form_again(request, page, form, status=400)
    comment = form.get_comment_object(request)

    # The checks: one stamp sends one comment, then the policy's spam checks.
    policy = policy_for(page, options)
    submission = spam.Submission(comment, request)
    if submission.recent.stamp_used:
        return stamp_used_again(request, target, page, form, comment.form_stamp, options)
    refusal = spam.first_refusal(submission, policy.spam_checks())
    if refusal is not None:
        if refusal.same_submission:
            return stamp_used_again(request, target, page, form, comment.form_stamp, options)
        return render_form_again(request, page, form, refusal.status, refusal.message)

    # Moderation: the policy may refuse the comment, then decides its status; a receiver of
    # comment_will_be_posted may still refuse it.
    if not policy.allow(comment, request):
        return render_form_again(request, page, form, 403, messages.COMMENT_NOT_ACCEPTED)
    comment.status = policy.initial_status(comment, request)
    if vetoed(comment_will_be_posted.send(sender=Comment, comment=comment, request=request)):
        return render_form_again(request, page, form, 403, messages.COMMENT_NOT_ACCEPTED)

    # The model: the comment, its queued e-mails and the after-commit signal in one commit.
    try:
        with transaction.atomic():
            comment.save()
            policy.notify(comment, request)
            transaction.on_commit(
                partial(comment_was_posted.send, sender=Comment, comment=comment, request=request)
            )
    except IntegrityError:
        # The same stamp sent twice at once (a double click): the other request stored it.
        return stamp_used_again(request, target, page, form, comment.form_stamp, options)
    # Display: back to the page, at the comment.
    return comment_accepted(request, target, comment, options)


def vetoed(responses: list[tuple[object, object]]) -> bool:
    """A receiver of ``comment_will_be_posted`` returned False (django-contrib-comments'
    contract): the comment is not stored."""
    return any(response is False for _, response in responses)


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
    return response


def stamp_used_again(
    request: HttpRequest,
    target: CommentTarget,
    page: Page,
    form: CommentForm,
    stamp: str,
    options: DiscussionOptions,
) -> HttpResponse:
    """A stamp sends one comment. Sent again with the same comment (a double click, a
    reload of the POST), the reader is shown the comment they sent; with another, refused."""
    sent = Comment.objects.filter(form_stamp=stamp).first()
    same = sent is not None and (sent.email, sent.body) == (
        form.cleaned_data["email"],
        form.cleaned_data["body"],
    )
    if same:
        return comment_accepted(request, target, sent, options)
    return render_form_again(request, page, form, 409, messages.FORM_ALREADY_USED)


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
    reader starts writing). Never cached; the POST checks the page."""
    response = JsonResponse({"stamp": make_form_stamp(page_id)})
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def redirect_to_comment(
    target: CommentTarget, comment: Comment, options: DiscussionOptions
) -> HttpResponse:
    """303 back to the page and the comment; a pending one is shown through a signed token."""
    params = {}
    if not comment.is_approved:
        params["moderation"] = make_preview_token(comment.pk)
    page_number = page_number_of(comment, options)
    if page_number > 1:
        params["cpage"] = page_number
    query = f"?{urlencode(params)}" if params else ""
    return HttpResponseRedirect(f"{target.url}{query}#comment-{comment.pk}", status=303)


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
    comment.edited = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body", "body_html", "status", "edited", "updated"])
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
    with transaction.atomic():
        log_author_change(comment, "delete", {"previous": comment.body})
        if comment.replies.exists():
            comment.body = ""
            comment.body_html = f"<p>{escape(messages.DELETED_BY_AUTHOR)}</p>"
            comment.website = ""
            comment.edited = timezone.now()
            comment.save(update_fields=["body", "body_html", "website", "edited", "updated"])
        else:
            comment.delete()
    return HttpResponseRedirect(comment.page.url or "/", status=303)


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
    window = datetime.timedelta(minutes=options.author_edit_minutes)
    if options.author_edit_minutes <= 0 or timezone.now() - comment.created > window:
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
