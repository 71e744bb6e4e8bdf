"""schema.org data about a page's comments, for a site's JSON-LD: ``commentCount`` and its
first approved comments as ``Comment`` items (author's name, date, text; never the e-mail).
The site merges it into its own Article object (the blog's ``article_json_ld`` tag)."""

from __future__ import annotations

from typing import Any

from django.utils.html import strip_tags

from .conf import app_setting
from .models import Comment


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
