"""The author's Edit and Delete links on their own published comment, without ever putting
them in HTML a page cache shares.

The right to change a comment is proved by the signed, HttpOnly ``comment_posted`` cookie
(tokens.py), sent to the comment URLs only. A published comment's page is shared by every
reader, so the links are added per reader instead: right after posting, the redirect's
preview token makes that one response private (the section shows "published" and the links,
also without JavaScript); afterwards ``comments.js`` reads a companion cookie, readable by
scripts and sent to every page, naming this browser's comments and when each one's window
ends. It proves nothing (the edit views check the signed cookie and the window again); it
only says where to show the links.
"""

from __future__ import annotations

import datetime
import re
import time

from django.utils import timezone

from .conf import DiscussionOptions

LINKS_COOKIE = "comment_editable"
LINKS_KEEP = 20  # the most comments one browser's cookie lists
# "12-1733250000.15-1733250300": comment id, then the end of its window (Unix seconds).
_ENTRY = re.compile(r"^(\d{1,12})-(\d{1,12})$")


def author_edit_until(created: datetime.datetime, options: DiscussionOptions):
    """When the author's window to change a comment written at ``created`` ends (None: never
    open). The edit views also close it at the first reply when the site asks so."""
    if options.author_edit_minutes <= 0:
        return None
    return created + datetime.timedelta(minutes=options.author_edit_minutes)


def author_window_open(created: datetime.datetime, options: DiscussionOptions) -> bool:
    until = author_edit_until(created, options)
    return until is not None and timezone.now() < until


def read_links_cookie(value: str | None, now: float | None = None) -> dict[int, int]:
    """The cookie's comments whose window is still open: {id: window end}. Anything
    malformed is skipped (the cookie is the browser's to change)."""
    now = now if now is not None else time.time()
    entries = {}
    for part in (value or "").split(".")[:LINKS_KEEP]:
        match = _ENTRY.match(part)
        if match and int(match[2]) > now:
            entries[int(match[1])] = int(match[2])
    return entries


def links_cookie_value(entries: dict[int, int]) -> str:
    newest = sorted(entries.items(), key=lambda item: item[1])[-LINKS_KEEP:]
    return ".".join(f"{pk}-{until}" for pk, until in newest)


def set_links_cookie(response, request, entries: dict[int, int], secure: bool) -> None:
    """Kept as long as the latest window; deleted when no window is open."""
    if not entries:
        if LINKS_COOKIE in request.COOKIES:
            response.delete_cookie(LINKS_COOKIE, path="/", samesite="Lax")
        return
    max_age = max(1, max(entries.values()) - int(time.time()))
    response.set_cookie(
        LINKS_COOKIE,
        links_cookie_value(entries),
        max_age=max_age,
        path="/",  # read by comments.js on the article pages
        secure=secure,
        httponly=False,
        samesite="Lax",
    )
