"""Which page a post's comments go to: a mapping file's line for it, else the page of a
commenting type whose URL path, then whose slug, is the post's.

A mapping file is CSV (two columns, an optional header) or JSON (an object); on the left a
WordPress post id, slug or URL, or a Disqus thread's URL or id; on the right a Wagtail page
id or URL path (``/blog/my-article/``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wagtail.models import Page

from ..targets import commentable_pages
from .records import ImportFileError, SourcePost


def url_path(url: str) -> str:
    """The path of a URL (or of a path), with one trailing slash: how Wagtail writes it."""
    path = unquote(urlsplit(url.strip()).path) if url.strip() else ""
    return path.rstrip("/") + "/" if path else ""


class PageMatcher:
    """The pages that take comments, by slug and by URL path, read once for a whole file."""

    def __init__(self) -> None:
        self.mapping: dict[str, int] = {}
        pages = list(commentable_pages().only("pk", "slug", "url_path", "depth", "path"))
        self.page_ids = {page.pk for page in pages}
        self.by_slug: dict[str, list[int]] = {}
        self.by_path: dict[str, list[int]] = {}
        for page in pages:
            self.by_slug.setdefault(page.slug, []).append(page.pk)
            parts = page.get_url_parts()
            if parts is not None and parts[2]:
                self.by_path.setdefault(url_path(parts[2]), []).append(page.pk)

    def page_id_for(self, post: SourcePost) -> int | None:
        for key in (post.source_id, post.link, url_path(post.link), post.slug):
            if key and key in self.mapping:
                return self.mapping[key]
        for candidates in (self.by_path.get(url_path(post.link)), self.by_slug.get(post.slug)):
            if candidates and len(candidates) == 1:  # two pages with that slug: map it
                return candidates[0]
        return None

    def add(self, page: Page) -> None:
        self.by_slug.setdefault(page.slug, []).append(page.pk)
        self.page_ids.add(page.pk)


def read_mapping(path: str | Path, matcher: PageMatcher) -> dict[str, int]:
    """The mapping file's lines, each target checked to be a page that takes comments."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ImportFileError(f"Mapping file {path}: cannot be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"Mapping file {path}: not UTF-8 text.") from None
    rows = _json_rows(path, text) if path.suffix.lower() == ".json" else _csv_rows(text)
    mapping, problems = {}, []
    for where, source, target in rows:
        page_id = _target_page(target, matcher)
        if not source:
            problems.append(f"{where}: no post on the left")
        elif page_id is None:
            problems.append(
                f"{where}: {target!r} is not the id or URL path of a page that takes comments"
            )
        else:
            mapping[source] = page_id
            if source.startswith(("http://", "https://", "/")):
                mapping.setdefault(url_path(source), page_id)
    if problems:
        shown = "; ".join(problems[:10]) + ("; ..." if len(problems) > 10 else "")
        raise ImportFileError(f"Mapping file {path}: {shown}.")
    return mapping


def _target_page(target: str, matcher: PageMatcher) -> int | None:
    if target.isdigit():
        return int(target) if int(target) in matcher.page_ids else None
    candidates = matcher.by_path.get(url_path(target)) if target.startswith("/") else None
    return candidates[0] if candidates and len(candidates) == 1 else None


def _csv_rows(text: str) -> list[tuple[str, str, str]]:
    rows = []
    for line, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) != 2:
            raise ImportFileError(f"Mapping file line {line}: expected 2 columns, not {len(row)}.")
        source, target = row[0].strip(), row[1].strip()
        if line == 1 and not target.isdigit() and not target.startswith("/"):
            continue  # a header
        rows.append((f"line {line}", source, target))
    return rows


def _json_rows(path: Path, text: str) -> list[tuple[str, str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"Mapping file {path} is not valid JSON: {error}.") from None
    if not isinstance(data, dict):
        raise ImportFileError(f"Mapping file {path}: expected an object of post: page.")
    return [(f"entry {key!r}", str(key).strip(), str(value).strip()) for key, value in data.items()]
