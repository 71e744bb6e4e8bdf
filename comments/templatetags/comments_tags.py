"""``{% comments_section %}``: the threads and the "Leave a Reply" form under a page; the
``comment_date`` filter for a comment list template of a site's own."""

from __future__ import annotations

import datetime

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from comments import messages
from comments.page_cache import CommentSectionHole
from comments.rendering import date_formatter
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


@register.filter
def comment_date(moment: datetime.datetime) -> SafeString:
    """A comment's date as the stock list shows it ("2 December 2026 at 14:05"), translated."""
    return mark_safe(date_formatter()(localtime(moment)))  # noqa: S308 - escaped parts only


@register.filter
def report_label(name: str) -> str:
    """The "Report this comment" link's accessible name: "Report the comment by Ann"."""
    return messages.REPORT_LINK_LABEL % {"name": name}


@register.simple_tag(takes_context=True)
def comments_feed_link(context: template.Context) -> SafeString:
    """The ``<link rel="alternate">`` to the page's comment feed, for the page's ``<head>``."""
    page = context["page"]
    title = messages.FEED_PAGE_TITLE % {"title": page.title}
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">',
        title,
        reverse("comments:page_feed", args=[page.pk]),
    )
