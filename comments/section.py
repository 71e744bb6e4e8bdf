"""The comment section under a page: its threads and the "Leave a Reply" form, as HTML.

For most requests (an anonymous reader opening the page or one of its comment pages) the
section is the same for everyone but the form's signed stamp: ``shared_section_parts`` gives
it as the parts around the stamp, which a page cache may keep (see ``page_cache.py``).
Anything personal (a logged-in user's details and CSRF token, a refused form with the
reader's input, their pending comment, a reply form) is rendered for that request alone.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import messages
from .author_links import author_window_open
from .forms import CommentForm, FollowForm, form_class
from .models import DISPLAYED_FIELDS, Comment, CommentStatus, DiscussionSettings
from .rendering import comment_list_html, template_names
from .threads import build_threads, displayed_comments
from .tokens import carried_form_stamp, make_form_stamp, read_preview_token

# The section's templates (rendering.template_names: the page type's own, then the app's).
SECTION_TEMPLATES = (
    "section",
    "includes/threads",
    "includes/form",
    "includes/follow",
    "includes/pagination",
)
# Cannot come from a reader: the form strips control characters from every field.
STAMP_PLACEHOLDER = "\x00comments-stamp\x00"
PIECE_BREAK = "\x00comments-piece\x00"
LINK_ID_PLACEHOLDER = 2147483647  # in the author links' URLs, replaced by comments.js


def _small_int(value: object) -> int | None:
    """A positive id from untrusted input; anything else (huge, signed, non-ASCII) is None."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def _int_param(request: HttpRequest, name: str) -> int | None:
    return _small_int(request.GET.get(name))


def _preview_comment(request: HttpRequest, page_id: int, options) -> Comment | None:
    """The reader's own comment, when their redirect carried a valid token: a pending one,
    or one published at once while its author may still change it (author_links.py)."""
    token = request.GET.get("moderation")
    comment_id = read_preview_token(token) if token else None
    if comment_id is None:
        return None
    comment = (
        Comment.objects.filter(pk=comment_id, page_id=page_id)
        .exclude(status=CommentStatus.TRASH)
        .only(*DISPLAYED_FIELDS, "publish_if_ham", "awaiting_confirmation")
        .first()
    )
    if comment is not None and comment.is_approved:
        return comment if author_window_open(comment.created, options) else None
    return comment


def threads_heading(approved_count: int, title: str) -> str:
    """ "3 Replies to “Title”", in the active language's plural; the reader's own pending
    comment alone is not counted."""
    if approved_count:
        return messages.THREADS_HEADING % {"count": approved_count, "title": title}
    return messages.THREADS_HEADING_PENDING_ONLY % {"title": title}


def initial_for(request: HttpRequest) -> dict:
    """Logged-in users comment with their account's details (their pages are never cached)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name() or user.get_username(), "email": user.email}


def _render(
    request: HttpRequest,
    page,
    options,
    comments_open: bool,
    form: CommentForm | None,
    parent_id: int | None,
    preview: Comment | None,
    stamp: str,
    piece_break: str = "",
) -> str:
    """The section from one query for the comments, the tree built in Python."""
    page_url = page.get_url(request)  # with the request, Wagtail looks the site up only once
    comments = displayed_comments(page.pk, options.newest_first)
    threads = build_threads(
        comments, options, page_number=comment_page_number(request), preview=preview
    )
    templates = {name.rpartition("/")[2]: template_names(page, name) for name in SECTION_TEMPLATES}
    threads_html = render_to_string(
        templates["threads"],
        {
            "threads": threads,
            "page": page,
            "page_url": page_url,
            "templates": templates,
            "comment_list_html": comment_list_html(
                threads, page, page_url, comments_open, piece_break
            ),
            "heading": threads_heading(threads.approved_count, page.title),
            "page_position": messages.COMMENT_PAGE_OF
            % {"number": threads.page_number, "count": threads.page_count},
            "text": messages,
        },
    )
    reply_to = None
    if parent_id:
        entry = threads.by_id.get(parent_id)
        reply_to = entry.comment if entry and entry.can_reply else None
    if form is not None and not form.is_bound and reply_to is not None:
        form.initial["parent"] = reply_to.pk
    return render_to_string(
        templates["section"],
        {
            "request": request,
            "page": page,
            "page_url": page_url,
            "threads_html": mark_safe(threads_html),  # noqa: S308 - rendered by a template
            "form": form,
            "follow_form": FollowForm(),
            "stamp": stamp,
            "comments_open": comments_open,
            # The section is named by the first heading it has: the threads' title, else
            # the form's, else the note that comments are closed.
            "labelled_by": (
                "comments-title"
                if threads.approved_count or threads.entries
                else "reply-title"
                if comments_open
                else "comments-closed-title"
            ),
            "reply_to": reply_to,
            "author_links": author_links_data(options),
            "options": options,
            "templates": templates,
            "text": messages,  # the sentences, written once in comments/messages.py
        },
        request=request,  # the CSRF token of a logged-in user
    )


def author_links_data(options) -> dict[str, str] | None:
    """What comments.js needs to add this reader's Edit and Delete links (author_links.py):
    the same for every reader, so it may be cached with the section."""
    if options.author_edit_minutes <= 0:
        return None
    return {
        "edit_url": reverse("comments:author_edit", args=[LINK_ID_PLACEHOLDER]),
        "delete_url": reverse("comments:author_delete", args=[LINK_ID_PLACEHOLDER]),
        "edit_label": str(messages.AUTHOR_EDIT_TITLE),
        "delete_label": str(messages.AUTHOR_DELETE_TITLE),
        "id_placeholder": str(LINK_ID_PLACEHOLDER),
        "until_reply": "1" if options.author_edit_until_reply else "",
    }


def _new_form(request: HttpRequest, page, options, comments_open: bool) -> CommentForm | None:
    if not comments_open:
        return None
    return form_class()(page=page, options=options, initial=initial_for(request))


def is_personal(request: HttpRequest) -> bool:
    """The section shows something for this reader alone: a reply form, their pending
    comment, a logged-in user's details."""
    return "replyto" in request.GET or "moderation" in request.GET or request.user.is_authenticated


def comment_page_number(request: HttpRequest) -> int:
    return _int_param(request, "cpage") or 1


def shared_section_parts(request: HttpRequest, page) -> list[str]:
    """The section every anonymous reader of this comment page gets, as the shared text
    around the form's stamp, with this request's stamp between: the odd-numbered parts are
    for this reader alone. The threads come in groups with an empty part between them, so
    a page cache keeps (and compresses) them apart."""
    options = DiscussionSettings.options_for_request(request)
    comments_open = page.comments_open(options)
    form = _new_form(request, page, options, comments_open)
    html = _render(
        request, page, options, comments_open, form, None, None, STAMP_PLACEHOLDER, PIECE_BREAK
    )
    parts: list[str] = []
    for index, shared in enumerate(html.split(STAMP_PLACEHOLDER)):
        if index:
            parts.append(make_form_stamp(page.pk))
        first, *others = shared.split(PIECE_BREAK)
        parts.append(first)
        for piece in others:
            parts += ["", piece]
    return parts


def render_section(
    request: HttpRequest, page, comment_form: CommentForm | None = None
) -> SafeString:
    """The section for this request; ``comment_form`` is a refused POST's bound form."""
    options = DiscussionSettings.options_for_request(request)
    comments_open = page.comments_open(options)
    if comment_form is not None:
        parent_id = _small_int(comment_form["parent"].value())
    else:
        parent_id = _int_param(request, "replyto")
    form = comment_form or _new_form(request, page, options, comments_open)
    if comment_form is not None:
        # The reader's fill time began when they were first shown the form, not now.
        stamp = carried_form_stamp(str(comment_form.data.get("stamp", "")), page.pk)
    else:
        stamp = make_form_stamp(page.pk)
    return mark_safe(  # noqa: S308 - rendered by templates that escape
        _render(
            request,
            page,
            options,
            comments_open,
            form,
            parent_id,
            _preview_comment(request, page.pk, options),
            stamp,
        )
    )
