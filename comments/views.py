"""The comment POST: form -> checks -> model -> moderation -> redirect back to the page."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from . import messages, spam
from .client import client_ip
from .conf import DiscussionOptions, app_setting
from .forms import CommentForm
from .models import Comment, DiscussionSettings
from .moderation import initial_status
from .notifications import comment_posted, read_unsubscribe_token
from .targets import CommentTarget, comment_target
from .threads import page_number_of
from .tokens import (
    AUTHOR_COOKIE,
    AUTHOR_COOKIE_MAX_AGE,
    form_stamp_digest,
    make_author_token,
    make_form_stamp,
    make_preview_token,
)

USER_AGENT_MAX_LENGTH = 300


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

    form = CommentForm(request.POST, page=page, options=options)
    if not form.is_valid():
        return render_form_again(request, page, form, status=400)

    ip = client_ip(request)
    email = form.cleaned_data["email"]
    stamp = form_stamp_digest(form.cleaned_data["stamp"])
    recent = spam.recent_comments(ip, email, stamp)
    if recent.stamp_used:
        return stamp_used_again(request, target, page, form, stamp, options)
    refusal = (
        spam.check_flood(recent)
        or spam.check_rate_limit(recent)
        or spam.check_duplicate(page.pk, email, form.cleaned_data["body"], stamp)
    )
    if refusal is not None:
        if refusal.same_submission:
            return stamp_used_again(request, target, page, form, stamp, options)
        return render_form_again(request, page, form, refusal.status, refusal.message)

    comment = Comment(
        page=page,
        parent=form.parent_comment,
        name=form.cleaned_data["name"],
        email=email,
        website=form.cleaned_data["website"],
        body=form.cleaned_data["body"],
        body_html=form.body_html,
        ip_address=ip,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        user=request.user if request.user.is_authenticated else None,
        notify_replies=form.cleaned_data["notify_replies"],
        form_stamp=stamp,
    )
    comment.status = initial_status(comment, options, request.COOKIES.get(AUTHOR_COOKIE))
    try:
        with transaction.atomic():  # the comment and its queued e-mail task: one commit
            comment.save()
            comment_posted(comment)
    except IntegrityError:
        # The same stamp sent twice at once (a double click): the other request stored it.
        return stamp_used_again(request, target, page, form, stamp, options)
    return comment_accepted(request, target, comment, options)


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
