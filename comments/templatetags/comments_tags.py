"""``{% comments_section %}``: the threads and the "Leave a Reply" form under a page."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from comments.section import render_section
from comments.shells import SECTION_HOLE, is_rendering_shell

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_section(context: template.Context) -> SafeString:
    request = context["request"]
    if is_rendering_shell(request):
        return SECTION_HOLE  # filled in per request (see comments/shells.py)
    return render_section(request, context["page"], context.get("comment_form"))
