"""The comment section's templates, looked up per page type, and the comment list as HTML.

Every template of the section is found as django-contrib-comments finds its own: first
``comments/<app_label>/<model_name>/<name>.html``, then ``comments/<name>.html``, so a site
restyles one page type without forking (``template_names``).

The comment list is a template too (``comments/includes/comment_list.html``). While the stock
file is the one found, the same markup is built here in one Python pass instead: Django's
template engine costs several times more per comment, and a page shows hundreds of them.
Bodies are already sanitised HTML (see ``sanitize.py``); everything else a reader typed is
escaped here. The markup matches WordPress's (``article.comment``, ``.comment-body``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from django.template.loader import select_template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone

from . import messages
from .threads import CommentThreads, ThreadEntry

COMMENT_LIST = "includes/comment_list"
_PK = "2147483647"  # reversed in place of a comment's id, then replaced by each one's id
# Threads per group when the list is written in groups (a page cache's pieces, ~30 KB each
# at 8 threads of 4 comments, about deflate's window).
THREADS_PER_PIECE = 8
STOCK_COMMENT_LIST = Path(__file__).parent / "templates" / "comments" / f"{COMMENT_LIST}.html"


def template_names(page, name: str) -> list[str]:
    """Where the section's template ``name`` is looked for: the page type's own, then the
    app's (``name`` is relative to ``comments/``, without ``.html``)."""
    meta = page._meta
    return [f"comments/{meta.app_label}/{meta.model_name}/{name}.html", f"comments/{name}.html"]


def comment_list_html(
    threads: CommentThreads, page, page_url: str, comments_open: bool, piece_break: str = ""
) -> SafeString:
    """The list from the template found for this page type; the stock markup in Python
    (with ``piece_break`` between groups of threads, see ``render_comment_list``)."""
    template = select_template(template_names(page, COMMENT_LIST))
    if Path(template.origin.name) == STOCK_COMMENT_LIST:
        return render_comment_list(threads, page_url, comments_open, piece_break)
    context = {
        "threads": threads,
        "page": page,
        "page_url": page_url,
        "comments_open": comments_open,
        "text": messages,
    }
    return mark_safe(template.render(context))  # noqa: S308 - rendered by a template


def date_formatter() -> Callable[[datetime.datetime], str]:
    """Django's ``j F Y \a\t H:i`` for one render: its ``dateformat`` costs ~30 µs a date,
    a tenth of a comment's whole markup, so the month names and the sentence around them
    ("2 December 2026 at 14:05") are translated once instead."""
    months = {number: escape(str(name)) for number, name in MONTHS.items()}
    pattern = escape(str(messages.COMMENT_DATE))
    return lambda moment: (
        pattern
        % {
            "day": moment.day,
            "month": months[moment.month],
            "year": moment.year,
            "time": f"{moment:%H:%M}",
        }
    )


def _comment_html(
    entry: ThreadEntry,
    reply_base: str,
    report_base: str,
    comments_open: bool,
    format_date: Callable[[datetime.datetime], str],
    words: dict[str, str],
    timezone: datetime.tzinfo,
) -> str:
    comment = entry.comment
    name = escape(comment.name)
    author = _author_html(comment)
    created = comment.created.astimezone(timezone)
    article_class = " comment-pending" if entry.awaiting_moderation else ""
    if comment.pinned:
        article_class += " comment-is-pinned"
    article_attrs = ""
    pending_status = ""
    if entry.awaiting_moderation or entry.published_own:
        # The reader who just posted lands here (the redirect's #comment-N; comments.js
        # focuses it): the status says in words what happens next, its heading names it.
        article_attrs = ' tabindex="-1" aria-labelledby="comment-status-title"'
        edit_url = reverse("comments:author_edit", args=[comment.pk])
        delete_url = reverse("comments:author_delete", args=[comment.pk])
        if entry.awaiting_moderation:
            # Only the reader's own preview is loaded with these fields. Held only for the
            # background spam check, it is published once found not spam.
            if comment.awaiting_confirmation:
                next_steps = words["confirm"]
            else:
                next_steps = words["next_checked"] if comment.publish_if_ham else words["next"]
            article_attrs += ' aria-describedby="comment-status-awaiting comment-status-next"'
            status_text = (
                f'<h3 id="comment-status-title">{words["sent"]}</h3>\n'
                '<p class="comment-awaiting-moderation" id="comment-status-awaiting">'
                f"{words['awaiting']}</p>\n"
                f'<p class="comment-next-steps" id="comment-status-next">{next_steps}</p>\n'
            )
        else:
            status_text = f'<h3 id="comment-status-title">{words["published"]}</h3>\n'
        pending_status = (
            '<div class="comment-status" id="comment-status" role="status">\n'
            f"{status_text}"
            # Only the reader who just posted sees this block (a private, uncached page);
            # the edit and delete pages check the browser's signed cookie again.
            f'<p class="comment-author-links"><a href="{edit_url}">'
            f'{words["edit"]}</a> <a href="{delete_url}">'
            f"{words['delete']}</a></p>\n"
            "</div>\n"
        )
    pinned_mark = ""
    if comment.pinned:
        pinned_mark = f'<span class="comment-pinned-mark">{words["pinned"]}</span>\n'
    edited = _edited_html(comment, format_date, words, timezone)
    reply = ""
    if entry.can_reply and comments_open:
        reply = (
            f'<p class="reply"><a class="comment-reply-link" '
            f'href="{reply_base}replyto={comment.pk}#respond" data-comment-id="{comment.pk}" '
            f'data-author="{name}" aria-label="{words["reply_to"]} {name}">{words["reply"]}</a>'
            "</p>\n"
        )
    report = ""
    if not entry.awaiting_moderation:
        # Every published comment, whether or not the page still takes comments.
        report = (
            f'<p class="comment-report"><a class="comment-report-link" rel="nofollow" '
            f'href="{report_base.replace(_PK, str(comment.pk), 1)}" '
            f'data-comment-id="{comment.pk}" '
            f'aria-label="{words["report_label"] % {"name": name}}">{words["report"]}</a></p>\n'
        )
    if entry.has_children:
        close = '<ol class="children">'
    else:
        close = "</li>" + "</ol></li>" * len(entry.closes)
    return (
        f'<li class="comment-item depth-{entry.depth}" id="li-comment-{comment.pk}">\n'
        f'<article id="comment-{comment.pk}" class="comment{article_class}"{article_attrs}>\n'
        f"{pending_status}"
        f'<footer class="comment-meta">\n'
        f'<span class="avatar avatar-tone-{comment.avatar_tone}" aria-hidden="true">'
        f"{escape(comment.initials)}</span>\n"
        f'<b class="comment-author">{author}</b>\n'
        f'<a class="comment-permalink" href="#comment-{comment.pk}">'
        f'<time datetime="{created.isoformat()}">{format_date(created)}'
        f"</time></a>\n"
        f"{edited}{pinned_mark}</footer>\n"
        f'<div class="comment-body">{comment.body_html}</div>\n'
        f"{reply}{report}</article>\n{close}\n"
    )


def _edited_html(
    comment,
    format_date: Callable[[datetime.datetime], str],
    words: dict[str, str],
    timezone: datetime.tzinfo,
) -> str:
    """The "Edited" mark and its time, for a comment its author changed; else nothing."""
    if comment.edited is None:
        return ""
    moment = comment.edited.astimezone(timezone)
    return (
        f'<span class="comment-edited">{words["edited"]} '
        f'<time datetime="{moment.isoformat()}">{format_date(moment)}</time></span>\n'
    )


def _author_html(comment) -> str:
    name = escape(comment.name)
    if comment.website:
        return f'<a href="{escape(comment.website)}" rel="nofollow ugc" class="url">{name}</a>'
    return name


def _pinned_html(
    threads: CommentThreads,
    page_url: str,
    format_date: Callable[[datetime.datetime], str],
    words: dict[str, str],
    timezone: datetime.tzinfo,
) -> str:
    """The editors' pick above the threads: a copy without the thread's ids, whose date
    links to the comment in its thread (on the comment page that shows it)."""
    comment = threads.pinned.comment
    created = comment.created.astimezone(timezone)
    where = ""
    if threads.pinned_page_number != threads.page_number:
        where = escape(page_url)
        if threads.pinned_page_number > 1:
            where += f"?cpage={threads.pinned_page_number}"
    edited = _edited_html(comment, format_date, words, timezone)
    return (
        '<section class="comment-pinned" aria-labelledby="comment-pinned-title">\n'
        f'<h3 id="comment-pinned-title" class="comment-pinned-title">{words["pinned_heading"]}'
        "</h3>\n"
        f'<article class="comment comment-pinned-copy" data-comment-id="{comment.pk}">\n'
        '<footer class="comment-meta">\n'
        f'<span class="avatar avatar-tone-{comment.avatar_tone}" aria-hidden="true">'
        f"{escape(comment.initials)}</span>\n"
        f'<b class="comment-author">{_author_html(comment)}</b>\n'
        f'<a class="comment-permalink" href="{where}#comment-{comment.pk}">'
        f'<time datetime="{created.isoformat()}">{format_date(created)}</time></a>\n'
        f"{edited}</footer>\n"
        f'<div class="comment-body">{comment.body_html}</div>\n'
        "</article>\n</section>\n"
    )


def render_comment_list(
    threads: CommentThreads, page_url: str, comments_open: bool, piece_break: str = ""
) -> SafeString:
    """The stock ``comment_list.html`` markup, built in Python. ``piece_break``, if given,
    is written before every THREADS_PER_PIECE-th thread: a page cache may keep the groups
    apart, so that a comment approved in one thread leaves the others' work reusable."""
    reply_base = f"{escape(page_url)}?"
    if threads.page_number > 1:
        reply_base += f"cpage={threads.page_number}&amp;"
    format_date = date_formatter()
    timezone = get_current_timezone()
    # Translated once for the list, as the month names are: ``escape`` of a lazy string is
    # lazy again, and would be translated anew in every comment it is written into.
    words = {
        "reply": escape(str(messages.REPLY)),
        "reply_to": escape(str(messages.REPLY_TO)),
        "sent": escape(str(messages.COMMENT_SENT)),
        "awaiting": escape(str(messages.AWAITING_MODERATION)),
        "next": escape(str(messages.AWAITING_MODERATION_NEXT)),
        "next_checked": escape(str(messages.AWAITING_SPAM_CHECK_NEXT)),
        "confirm": escape(str(messages.AWAITING_CONFIRMATION)),
        "edited": escape(str(messages.EDITED)),
        "edit": escape(str(messages.AUTHOR_EDIT_TITLE)),
        "delete": escape(str(messages.AUTHOR_DELETE_TITLE)),
        "published": escape(str(messages.COMMENT_PUBLISHED)),
        "pinned": escape(str(messages.PINNED_MARK)),
        "pinned_heading": escape(str(messages.PINNED_HEADING)),
        "report": escape(str(messages.REPORT_LINK)),
        "report_label": escape(str(messages.REPORT_LINK_LABEL)),
    }
    # Reversed once for the list, each comment's id put in place of the stand-in.
    report_base = reverse("comments:report", args=[_PK])
    parts = []
    if threads.pinned is not None:
        parts.append(_pinned_html(threads, page_url, format_date, words, timezone))
    parts.append('<ol class="comment-list">\n')
    threads_seen = 0
    for entry in threads.entries:
        if piece_break and entry.depth == 1:
            if threads_seen and not threads_seen % THREADS_PER_PIECE:
                parts.append(piece_break)
            threads_seen += 1
        parts.append(
            _comment_html(
                entry, reply_base, report_base, comments_open, format_date, words, timezone
            )
        )
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every reader-typed value is escaped above
