"""``{% comments_section %}``: the threads and the "Leave a Reply" form under a page."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string

from comments import messages
from comments.cache import threads_cache_key
from comments.conf import app_setting, discussion_options
from comments.forms import CommentForm
from comments.models import Comment, CommentStatus
from comments.rendering import render_comment_list
from comments.threads import CommentThreads, build_threads, displayed_comments
from comments.tokens import make_form_stamp, read_preview_token

register = template.Library()

THREADS_TEMPLATE = "comments/includes/threads.html"


def _small_int(value: object) -> int | None:
    """A positive id from untrusted input; anything else (huge, signed, non-ASCII) is None."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def _int_param(request: HttpRequest, name: str) -> int | None:
    return _small_int(request.GET.get(name))


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


def render_threads(
    request: HttpRequest, page, options, comments_open: bool, needs_tree: bool
) -> tuple[str, CommentThreads | None]:
    """The threads' HTML: from the cache when nothing personal is asked for, else built from
    one query. Returns the tree too when it was built (replying needs it)."""
    page_number = _int_param(request, "cpage") or 1
    preview = _preview_comment(request, page.pk)
    cacheable = preview is None and not needs_tree
    key = threads_cache_key(page.pk, f"{page_number}:{int(comments_open)}")
    if cacheable:
        html = cache.get(key)
        if html is not None:
            return html, None
    comments = displayed_comments(page.pk, options.newest_first)
    threads = build_threads(comments, options, page_number=page_number, preview=preview)
    html = render_to_string(
        THREADS_TEMPLATE,
        {
            "threads": threads,
            "page": page,
            "comment_list_html": render_comment_list(threads, page.url, comments_open),
        },
    )
    if cacheable:
        cache.set(key, html, timeout=app_setting("PAGE_CACHE_SECONDS"))
    return html, threads


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context: template.Context) -> dict:
    request = context["request"]
    page = context["page"]
    options = discussion_options(request)
    form = context.get("comment_form")
    comments_open = page.comments_open(options)
    if form is None and comments_open:
        form = CommentForm(page=page, options=options, initial=initial_for(request))
    parent_id = (
        _small_int(form["parent"].value()) if form is not None and form.is_bound else None
    ) or _int_param(request, "replyto")
    threads_html, threads = render_threads(
        request, page, options, comments_open, needs_tree=bool(parent_id)
    )
    reply_to = None
    if parent_id and threads is not None:
        entry = threads.by_id.get(parent_id)
        reply_to = entry.comment if entry and entry.can_reply else None
    if form is not None and not form.is_bound and reply_to is not None:
        form.initial["parent"] = reply_to.pk
    return {
        "request": request,
        "page": page,
        "threads_html": threads_html,
        "form": form,
        "stamp": make_form_stamp(page.pk),
        "comments_open": comments_open,
        "reply_to": reply_to,
        "options": options,
        "text": messages,  # the sentences, written once in comments/messages.py
    }
