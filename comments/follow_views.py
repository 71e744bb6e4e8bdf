"""The pages of "Notify me of new comments on this article" (``follows.py``): the form (also
shown below the comment form), and the two links its e-mails carry.

Like ``address_views.py``, the links only ask on GET (mail scanners fetch every link): the
follow is confirmed by the page's POST button, and "stop following" is a POST too, one-click
from the mail client (RFC 8058).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from . import messages
from .address_views import address_page
from .addresses import LinkError, set_verified_cookie
from .follows import (
    confirm_follow,
    read_follow_token,
    read_unfollow_token,
    request_follow,
    unfollow,
)
from .forms import FollowForm
from .targets import comment_target
from .views import refuse


def _follow_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = TemplateResponse(
        request, "comments/follow.html", {**context, "text": messages}, status=status
    )
    add_never_cache_headers(response)
    return response


# The form of a page cached for everybody carries no CSRF token; all a forged POST can do is
# what anybody typing the address can: have one confirmation e-mail sent (within the limits).
# The browser's proof (the SameSite=Lax verified cookie) never travels with a cross-site POST.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the form on a page of its own; POST: the follow, or the form with its errors."""
    target = comment_target(request, page_id)
    if target is None:
        return refuse(request, 404, messages.PAGE_NOT_FOUND)
    page = target.page
    context = {
        "title": messages.FOLLOW_PAGE_TITLE % {"title": page.title},
        "page": page,
        "page_url": target.url,
    }
    if request.method != "POST":
        return _follow_page(request, {**context, "follow_form": FollowForm()})
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _follow_page(request, {**context, "follow_form": form}, 400)
    followed = request_follow(page, form.cleaned_data["email"], form.cleaned_data["mode"], request)
    message = messages.FOLLOW_STARTED if followed else messages.FOLLOW_ASKED
    return _follow_page(request, {**context, "message": message})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is asked and a button; POST confirms the follow (and the address)."""
    context = {"title": messages.FOLLOW_CONFIRM_TITLE}
    try:
        page_id, email, mode = read_follow_token(token)
    except LinkError as error:
        message = (
            messages.FOLLOW_LINK_EXPIRED
            if error.reason == "expired"
            else messages.FOLLOW_LINK_INVALID
        )
        return address_page(request, {**context, "state": "invalid", "message": message}, 400)
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        context.update(state="invalid", message=messages.FOLLOW_LINK_INVALID)
        return address_page(request, context, 400)
    if request.method != "POST":
        context.update(
            state="ask",
            question=messages.FOLLOW_CONFIRM_QUESTION % {"title": page.title, "email": email},
            button=messages.FOLLOW_CONFIRM_BUTTON,
        )
        return address_page(request, context)
    confirm_follow(page_id, email, mode, request)
    context.update(state="done", message=messages.FOLLOW_CONFIRMED % {"title": page.title})
    response = address_page(request, context)
    set_verified_cookie(response, request, email)
    return response


@csrf_exempt  # mail clients POST here without a CSRF token: one-click (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def stop_following(request: HttpRequest, token: str) -> HttpResponse:
    """GET only asks; POST stops the e-mails about this article to the address."""
    found = read_unfollow_token(token)
    context = {"title": messages.UNFOLLOW_TITLE}
    if found is None:
        context.update(state="invalid", message=messages.FOLLOW_LINK_INVALID)
        return address_page(request, context, 400)
    page_id, email = found
    if request.method == "POST":
        unfollow(page_id, email)
        context.update(state="done", message=messages.UNFOLLOWED)
    else:
        title = Page.objects.filter(pk=page_id).values_list("title", flat=True).first() or ""
        context.update(
            state="ask",
            question=messages.UNFOLLOW_QUESTION % {"title": title, "email": email},
            button=messages.UNFOLLOW_BUTTON,
        )
    return address_page(request, context)
