"""``{% comments_section %}``: the threads and the "Leave a Reply" form under a page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from comments.page_cache import CommentSectionHole
from comments.section import render_section

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_section(context: template.Context) -> SafeString:
    request = context["request"]
    page_cache_hole = getattr(request, "page_cache_hole", None)
    if page_cache_hole is not None:
        # A page cache is keeping the page around the section (see comments/page_cache.py).
        return page_cache_hole(CommentSectionHole.name)
    return render_section(request, context["page"], context.get("comment_form"))
