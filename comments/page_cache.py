"""The comment section as a hole in a cached page (the ``register_page_cache_hole`` hook of
a page cache such as the site's ``pagecache`` app; unused when no page cache is installed).

The page around the section changes when the page is published; the section when a comment
on it is written (``signals.comments_written``, which the page cache listens to). Its
content is shared by every anonymous reader of one comment page, except the form's signed
stamp, which each reader gets fresh.
"""

from __future__ import annotations

from django.http import HttpRequest

from .section import comment_page_number, is_personal, render_section, shared_section_parts
from .structured_data import JSON_LD_HOLE, json_ld_members_text
from .tokens import refreshed_form_stamp


class CommentSectionHole:
    name = "comments:section"
    parameters = ("cpage", "replyto", "moderation")  # read by the section, not the page

    def vary(self, request: HttpRequest, page) -> str | None:
        if is_personal(request):
            return None
        return str(comment_page_number(request))

    def fill(self, request: HttpRequest, page) -> list[bytes]:
        if is_personal(request):
            return [str(render_section(request, page)).encode()]
        return [part.encode() for part in shared_section_parts(request, page)]

    def refresh(self, value: bytes) -> bytes:
        return refreshed_form_stamp(value.decode()).encode()


class JsonLdHole:
    """``commentCount`` and the first comments inside the page's JSON-LD (structured_data.py):
    the same for every reader, changed when a comment on the page is written."""

    name = JSON_LD_HOLE
    parameters = ()

    def vary(self, request: HttpRequest, page) -> str | None:
        return ""

    def fill(self, request: HttpRequest, page) -> list[bytes]:
        return [json_ld_members_text(page).encode()]

    def refresh(self, value: bytes) -> bytes:
        return value  # nothing per reader
