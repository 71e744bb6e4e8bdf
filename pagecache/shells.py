"""A page's HTML around its holes, rendered once per version of the page.

Without the full-page cache every request would render the article again: its StreamField
body, rich-text links, related articles, breadcrumbs, JSON-LD. None of that changes until the
page (or any page, for related lists and links) is published, which changes the versions in
the shell's key; what fills the holes has a version of its own, so a new comment renders
the section again, not the article around it. So an anonymous GET renders the page once
with a marker where each hole stands (see ``holes.py``), keeps the HTML between them, and
from then on only fills the holes for each request, their shared content itself cached per
version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .holes import (
    Chunks,
    Fresh,
    chunks_of,
    joined,
    marker,
    refreshed,
    registered_holes,
    split_shell,
)
from .memo import get_versioned, set_versioned
from .versions import hole_versions, page_versions


def _shell_key(page, request: HttpRequest, versions: str, holes) -> str:
    """Per host, template and query, less the parameters only the holes read (a comment
    page number)."""
    read_by_holes = {name for hole in holes.values() for name in getattr(hole, "parameters", ())}
    query = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in read_by_holes
        for value in values
    )
    where = f"{request.get_host()}|{page.get_template(request)}|{query}"
    digest = hashlib.blake2s(where.encode(), digest_size=12).hexdigest()
    return f"pagecache:shell:{versions}:{page.pk}:{digest}"


def _render_shell(request: HttpRequest, render_page: Callable[[], HttpResponse]):
    """The page rendered with markers for its holes: (parts, hole names), or the response
    itself when it is not a page to keep (an error, a redirect)."""
    request.page_cache_hole = marker
    try:
        response = render_page()
        if hasattr(response, "render"):
            response.render()
    finally:
        del request.page_cache_hole
    if response.status_code != 200 or response.streaming:
        return response
    return split_shell(response.content)


def _hole_chunks(request: HttpRequest, page, name: str, holes) -> tuple[Chunks, bool]:
    """A hole's content for this request, and whether it is shared with other readers."""
    hole = holes.get(name)
    if hole is None:  # the app that made the hole is gone: leave nothing behind
        return (), True
    vary = hole.vary(request, page)
    if vary is None:
        return chunks_of(name, hole.fill(request, page)), False
    key = f"pagecache:hole:{hole_versions(page.pk, request)}:{page.pk}:{name}:{vary}"
    chunks = get_versioned(key)
    if chunks is None:
        chunks = chunks_of(name, hole.fill(request, page))  # minted for this request
        set_versioned(key, chunks, request)
        return chunks, True
    return refreshed(chunks, holes), True


def serve_with_shell(
    page, request: HttpRequest, render_page: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page's response: its shell (``render_page()`` on a miss) around this request's
    holes. The response carries its chunks (``page_cache_chunks``) for the middleware, which
    stores and compresses them."""
    versions = page_versions(page.pk, request)
    holes = registered_holes()
    key = _shell_key(page, request, versions, holes)
    shell = get_versioned(key)
    if shell is None:
        shell = _render_shell(request, render_page)
        if isinstance(shell, HttpResponse):
            return shell
        set_versioned(key, shell, request)
    parts, names = shell
    chunks: list[bytes | Fresh] = [parts[0]]
    shared = True
    for name, after in zip(names, parts[1:], strict=True):
        hole_chunks, hole_shared = _hole_chunks(request, page, name, holes)
        chunks.extend(hole_chunks)
        chunks.append(after)
        shared = shared and hole_shared
    chunks = tuple(chunk for chunk in chunks if chunk)
    response = HttpResponse(joined(chunks))
    response.page_cache_chunks = chunks
    if not shared:
        patch_cache_control(response, private=True, no_store=True)
    return response
