"""A page's HTML around its comment section, rendered once per version of the page.

Without the full-page cache every request renders the article again: its StreamField body,
rich-text links, topics, related articles, breadcrumbs, JSON-LD. None of that changes until
the page (or any page, for related lists and links) is published, which changes the versions
in the shell's key. So an anonymous GET renders the page once with a marker where
``{% comments_section %}`` stands, keeps the HTML before and after it, and from then on
only renders the comment section for each request (itself cached, see ``section.py``).
Logged-in users, previews, refused forms and routable sub-views always get a full render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from .cache import current_versions, get_versioned, is_cacheable_request, set_versioned
from .section import section_bytes

# Cannot come from an editor's rich text (Wagtail drops HTML comments) nor from a reader.
SECTION_HOLE = mark_safe("<!--comments:section-->")  # noqa: S308 - a constant
IGNORED_PARAMETERS = ("cpage", "replyto")  # the section reads these, the shell does not


def is_rendering_shell(request: HttpRequest) -> bool:
    return getattr(request, "_comments_rendering_shell", False)


def can_use_shell(request: HttpRequest) -> bool:
    return (
        is_cacheable_request(request)
        and not request.user.is_authenticated
        and request.headers.get("x-requested-with") != "XMLHttpRequest"
    )


def _shell_key(page, request: HttpRequest, template_name: str, versions: str) -> str:
    query = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in IGNORED_PARAMETERS
        for value in values
    )
    where = f"{request.get_host()}|{template_name}|{query}"
    digest = hashlib.blake2s(where.encode(), digest_size=12).hexdigest()
    return f"comments:shell:{versions}:{page.pk}:{digest}"


def serve_with_shell(
    page, request: HttpRequest, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page's response: its shell (``render_page()`` on a miss) around this request's
    comment section."""
    request.is_preview = False
    versions = current_versions(page.pk, request)
    key = _shell_key(page, request, page.get_template(request), versions)
    shell = get_versioned(key)
    if shell is None:
        request._comments_rendering_shell = True
        try:
            response = render_page()
            response.render()
        finally:
            request._comments_rendering_shell = False
        if response.status_code != 200:
            return response
        parts = response.content.split(SECTION_HOLE.encode())
        if len(parts) != 2:  # the template shows the section more than once, or not at all
            response.content = section_bytes(request, page, versions).join(parts)
            return response
        shell = tuple(parts)
        set_versioned(key, shell)
    before, after = shell
    return HttpResponse(b"".join((before, section_bytes(request, page, versions), after)))
