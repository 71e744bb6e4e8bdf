"""The links of the confirmation e-mail (``addresses.py``): confirm the address, or never
hear from the site's comments again.

Both links only ask on GET: mail scanners and link previews fetch every link in a message,
and must neither confirm an address nor opt it out. The confirmation is a POST from the
page's button; "never e-mail me" is a POST too, one-click from the mail client (RFC 8058).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import messages
from .addresses import (
    LinkError,
    confirm_address,
    never_email,
    read_confirm_token,
    read_never_email_token,
    set_verified_cookie,
)
from .models import CommentStatus
from .tokens import make_preview_token


def address_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = TemplateResponse(
        request, "comments/address.html", {**context, "text": messages}, status=status
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the address and a button; POST confirms it (and the comment it was for)."""
    context = {"title": messages.CONFIRM_TITLE}
    try:
        email, comment_id = read_confirm_token(token)
    except LinkError as error:
        message = (
            messages.CONFIRM_LINK_EXPIRED
            if error.reason == "expired"
            else messages.CONFIRM_LINK_INVALID
        )
        return address_page(request, {**context, "state": "invalid", "message": message}, 400)
    if request.method != "POST":
        context.update(
            state="ask",
            question=messages.CONFIRM_QUESTION % {"email": email},
            explanation=messages.CONFIRM_EXPLANATION,
            button=messages.CONFIRM_BUTTON,
        )
        return address_page(request, context)
    comment = confirm_address(email, comment_id, request)
    context.update(state="done", message=messages.CONFIRMED)
    if comment is not None:
        # A comment still held is shown to its author through the preview token only.
        query = (
            ""
            if comment.status == CommentStatus.APPROVED
            else f"?{urlencode({'moderation': make_preview_token(comment.pk)})}"
        )
        context["comment_url"] = f"{comment.page.url or '/'}{query}#comment-{comment.pk}"
        context["comment_message"] = {
            CommentStatus.APPROVED: messages.CONFIRMED_PUBLISHED,
            CommentStatus.PENDING: messages.AWAITING_MODERATION,
        }.get(comment.status, "")
    response = address_page(request, context)
    set_verified_cookie(response, request, email)
    return response


@csrf_exempt  # mail clients POST here without a CSRF token: one-click (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def never_email_again(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks; POST stops every e-mail to the address, confirmation e-mails too."""
    email = read_never_email_token(token)
    context = {"title": messages.NEVER_EMAIL_TITLE}
    if email is None:
        context.update(state="invalid", message=messages.NEVER_EMAIL_LINK_INVALID)
        return address_page(request, context, 400)
    if request.method == "POST":
        never_email(email)
        context.update(state="done", message=messages.NEVER_EMAILED)
    else:
        context.update(
            state="ask",
            question=messages.NEVER_EMAIL_QUESTION % {"email": email},
            button=messages.NEVER_EMAIL_BUTTON,
        )
    return address_page(request, context)
