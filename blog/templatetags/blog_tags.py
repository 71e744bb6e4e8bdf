"""Structured data for article pages."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comments.structured_data import json_ld_members

register = template.Library()

PUBLISHER_NAME = "Clinic Blog"

# json.dumps leaves these as-is; inside <script> they could end the element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_json_ld(context: template.Context, page) -> SafeString:
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.seo_title or page.title,
        "description": page.search_description or page.intro,
        "datePublished": page.date.isoformat(),
        "dateModified": (page.last_published_at or page.date).isoformat(),
        "author": {"@type": "Person", "name": page.author_name},
        "publisher": {"@type": "Organization", "name": PUBLISHER_NAME},
        "mainEntityOfPage": page.get_full_url(request),
        "url": page.get_full_url(request),
    }
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # The comments app's members (commentCount, comment), a page cache hole when cached.
    payload = f"{payload[:-1]}, {json_ld_members(request, page)}}}"
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
