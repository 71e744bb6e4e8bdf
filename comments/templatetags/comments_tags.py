"""``{% comments_section %}``: the threads and the "Leave a Reply" form under a page."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from comments.conf import discussion_options
from comments.forms import CommentForm
from comments.models import Comment, CommentStatus
from comments.threads import build_threads
from comments.tokens import make_form_stamp, read_preview_token

register = template.Library()


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _preview_comment(request: HttpRequest, page_id: int) -> Comment | None:
    """The reader's own pending comment, when their redirect carried a valid token."""
    token = request.GET.get("moderation")
    comment_id = read_preview_token(token) if token else None
    if comment_id is None:
        return None
    return (
        Comment.objects.filter(pk=comment_id, page_id=page_id)
        .exclude(status=CommentStatus.APPROVED)
        .exclude(status=CommentStatus.TRASH)
        .only("pk", "parent_id", "name", "website", "body_html", "created", "status")
        .first()
    )


def initial_for(request: HttpRequest) -> dict:
    """Logged-in users comment with their account's details (their pages are never cached)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name() or user.get_username(), "email": user.email}


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context: template.Context) -> dict:
    request = context["request"]
    page = context["page"]
    options = discussion_options(request)
    comments = list(Comment.objects.for_display(page.pk, options.newest_first))
    threads = build_threads(
        comments,
        options,
        page_number=_int_param(request, "cpage") or 1,
        preview=_preview_comment(request, page.pk),
    )
    form = context.get("comment_form")
    open_for_comments = page.comments_open(options)
    if form is None and open_for_comments:
        form = CommentForm(page=page, options=options, initial=initial_for(request))
    reply_to = None
    parent_id = (form["parent"].value() if form is not None and form.is_bound else None) or (
        _int_param(request, "replyto")
    )
    if parent_id:
        entry = threads.by_id.get(int(parent_id)) if str(parent_id).isdigit() else None
        reply_to = entry.comment if entry and entry.can_reply else None
    if form is not None and not form.is_bound and reply_to is not None:
        form.initial["parent"] = reply_to.pk
    return {
        "request": request,
        "page": page,
        "threads": threads,
        "form": form,
        "stamp": make_form_stamp(page.pk),
        "comments_open": open_for_comments,
        "reply_to": reply_to,
        "options": options,
    }
