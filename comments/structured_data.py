"""schema.org data about a page's comments, for a site's JSON-LD: ``commentCount`` and its
first approved comments as ``Comment`` items (author's name, date, text; never the e-mail).

A site puts ``json_ld_members(request, page)`` inside its own JSON-LD object (the blog's
``article_json_ld`` tag). Under a page cache those members are a hole of the cached page
(``JsonLdHole`` in page_cache.py), filled for each request: a newly approved comment is
counted at once, although the page's head around it stays cached.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from .conf import app_setting
from .models import Comment

JSON_LD_HOLE = "comments:json_ld"
# json.dumps leaves these as-is; inside <script> they could end the element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def comments_json_ld(page) -> dict[str, Any]:
    """``commentCount`` and ``comment`` for the page's JSON-LD: two small queries."""
    approved = Comment.objects.approved().filter(page_id=page.pk)
    first = approved.order_by("created", "pk").only("name", "body_html", "created")[
        : app_setting("JSON_LD_COMMENTS")
    ]
    items = [
        {
            "@type": "Comment",
            "author": {"@type": "Person", "name": comment.name},
            "dateCreated": comment.created.isoformat(),
            "text": strip_tags(comment.body_html).strip(),
        }
        for comment in first
    ]
    data: dict[str, Any] = {"commentCount": approved.count()}
    if items:
        data["comment"] = items
    return data


def json_ld_members_text(page) -> str:
    """The members of ``comments_json_ld`` as JSON text without its braces, safe in a
    ``<script>``: ``"commentCount": 3, "comment": [...]``."""
    text = json.dumps(comments_json_ld(page), ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return text[1:-1]


def json_ld_members(request: HttpRequest | None, page) -> SafeString:
    """What a site's JSON-LD object takes after its own members (and a comma): the text, or
    the page cache's marker where the text goes when a page cache keeps the page."""
    page_cache_hole = getattr(request, "page_cache_hole", None)
    if page_cache_hole is not None:
        return page_cache_hole(JSON_LD_HOLE)
    return mark_safe(json_ld_members_text(page))  # noqa: S308 - JSON escaped for <script>
