"""Holes: parts of a cached page that another app fills in for each request.

A page is cached as its "shell": the HTML around the parts that change more often than the
page or that differ between readers, such as a comment section with its form stamp. An app
registers such a part with the ``register_page_cache_hole`` Wagtail hook, whose function
returns an object (made once per process and shared by every request: it keeps no state of
its own) with:

- ``name``: a short unique string;
- ``vary(request, page) -> str | None``: the part of the cache key the hole's content
  depends on besides the page's versions (a comment page number...), or None when this
  request must get content of its own (then the response is private and never stored);
- ``fill(request, page) -> Sequence[bytes]``: the hole's HTML, as parts: the odd-numbered
  ones are values for one reader only (a form stamp), the others are shared; an empty
  odd-numbered part only separates two shared ones, kept (and compressed) apart so that a
  change in one leaves the work on the others reusable;
- ``refresh(value: bytes) -> bytes``: a new per-reader value to put in place of ``value`` in
  a stored copy (a fresh stamp for every reader of a cached page).

While a page is rendered for its shell, ``request.page_cache_hole(name)`` gives the marker
the app puts where its HTML goes; an app that finds no such attribute on the request renders
its HTML as usual, so it never needs this app installed. The page is invalidated through
signals (see ``signal_handlers.py``), the hole's cached content with it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

# Unguessable, so that no editor's or reader's text can open a hole.
_MARKER_PREFIX = f"<!--pagecache:{secrets.token_hex(8)}:"
_MARKER = re.compile(re.escape(_MARKER_PREFIX).encode() + rb"([\w:.-]+)-->")


class Hole(Protocol):
    name: str

    def vary(self, request, page) -> str | None: ...

    def fill(self, request, page) -> Sequence[bytes]: ...

    def refresh(self, value: bytes) -> bytes: ...


@dataclass(frozen=True)
class Fresh:
    """A per-reader value inside cached content, and the hole that can renew it."""

    hole: str
    value: bytes


# Cached content: shared bytes and per-reader values, in page order.
Chunks = tuple[bytes | Fresh, ...]


_made: dict[tuple, dict[str, Hole]] = {}


def registered_holes() -> dict[str, Hole]:
    """The holes the ``register_page_cache_hole`` hooks make, made once per set of hooks."""
    makers = tuple(hooks.get_hooks("register_page_cache_hole"))
    holes = _made.get(makers)
    if holes is None:
        holes = _made[makers] = {hole.name: hole for hole in (make() for make in makers)}
    return holes


def marker(name: str) -> SafeString:
    return mark_safe(f"{_MARKER_PREFIX}{name}-->")  # noqa: S308 - a constant and a hole name


def split_shell(content: bytes) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """The page's HTML between its holes, and the holes' names in order."""
    pieces = _MARKER.split(content)
    return tuple(pieces[0::2]), tuple(name.decode() for name in pieces[1::2])


def chunks_of(hole_name: str, parts: Sequence[bytes]) -> Chunks:
    return tuple(
        Fresh(hole_name, part) if index % 2 else part for index, part in enumerate(parts) if part
    )


def refreshed(chunks: Chunks, holes: dict[str, Hole] | None = None) -> Chunks:
    """The same content with a new value for each reader's part."""
    holes = holes if holes is not None else registered_holes()
    return tuple(
        Fresh(chunk.hole, holes[chunk.hole].refresh(chunk.value))
        if isinstance(chunk, Fresh)
        else chunk
        for chunk in chunks
    )


def joined(chunks: Chunks) -> bytes:
    return b"".join(chunk.value if isinstance(chunk, Fresh) else chunk for chunk in chunks)
