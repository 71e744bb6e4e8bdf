"""Writing what an export file holds as comments, once.

Every comment keeps its source id (``import_source`` + ``import_id``, unique together), so a
second run skips what the first stored, and a reply in a later export finds a parent that an
earlier one imported. Replies are resolved within the file in any order; a reply whose parent
is not imported (a skipped pingback, an empty comment) hangs from the nearest ancestor that
is. Threads deeper than the site's thread depth are kept as they were: the page shows them
nested at their real depth, with no Reply link past the setting, as for comments made while
the setting was higher. Bodies go through ``sanitize_comment`` as a posted comment does.
Rows are inserted in bulk, one level of replies after another, without per-row signals: no
notification is sent, and caches hear once, at the end, that the pages' comments changed.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from wagtail.models import Page

from .. import messages
from ..models import Comment
from ..moderation import announce_change
from ..sanitize import is_blank, sanitize_comment, visible_text
from ..signals import comments_written
from .matching import PageMatcher
from .records import SourceComment, SourceFile, SourcePost

BATCH_SIZE = 500
PINGBACK_KINDS = frozenset({"pingback", "trackback"})
COMMENT_KINDS = frozenset({"comment", ""})
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class ImportSummary:
    label: str
    posts: int = 0
    comments_read: int = 0
    imported: Counter = field(default_factory=Counter)  # by status
    duplicates: int = 0
    pingbacks: int = 0
    other_kinds: Counter = field(default_factory=Counter)
    unmatched: list[tuple[SourcePost, int]] = field(default_factory=list)
    created_pages: list[Page] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source id, problem)
    notes: list[tuple[str, str]] = field(default_factory=list)  # imported, with a change
    page_ids: set[int] = field(default_factory=set)


@dataclass
class _Pending:
    source: SourceComment
    page_id: int
    comment: Comment
    parent: _Pending | None = None


class CommentImporter:
    """One run over a file: pages matched (or created), comments checked, then written."""

    def __init__(
        self,
        source_file: SourceFile,
        matcher: PageMatcher,
        *,
        include_pingbacks: bool = False,
        create_page: Callable[[SourcePost], Page] | None = None,
        can_create: Callable[[SourcePost], bool] = lambda post: False,
        progress: Callable[[int, int], None] = lambda done, total: None,
        announce: bool = True,
    ) -> None:
        self.file = source_file
        self.matcher = matcher
        self.include_pingbacks = include_pingbacks
        self.create_page = create_page
        self.can_create = can_create
        self.progress = progress
        self.announce = announce
        self.summary = ImportSummary(label=source_file.label)

    def run(self) -> ImportSummary:
        summary = self.summary
        summary.posts = len(self.file.posts)
        summary.comments_read = self.file.comment_count
        # Every comment of the file by id, to walk up past the ones not imported.
        self.parents_in_file = {
            comment.source_id: comment.parent_id
            for post in self.file.posts
            for comment in post.comments
        }
        accepted: list[tuple[SourceComment, int]] = []
        for post in self.file.posts:
            page_id = self._page_for(post)
            if page_id is None:
                if post.comments:
                    summary.unmatched.append((post, len(post.comments)))
                continue
            accepted.extend((comment, page_id) for comment in self._accepted(post.comments))
        existing = self._already_imported([comment.source_id for comment, _ in accepted])
        pending: dict[str, _Pending] = {}
        for source, page_id in accepted:
            if source.source_id in existing:
                summary.duplicates += 1
            elif source.source_id in pending:
                summary.errors.append((source.source_id, "its id appears twice; kept the first"))
            else:
                comment = self._comment(source, page_id)
                if is_blank(visible_text(comment.body_html)):
                    summary.errors.append((source.source_id, "empty comment"))
                else:
                    pending[source.source_id] = _Pending(source, page_id, comment)
        for item in pending.values():
            self._attach(item, pending, existing)
        self._write(list(pending.values()))
        return summary

    # Pages ------------------------------------------------------------------------------

    def _page_for(self, post: SourcePost) -> int | None:
        page_id = self.matcher.page_id_for(post)
        if page_id is None and self.create_page is not None and self.can_create(post):
            page = self.create_page(post)
            self.matcher.add(page)
            self.summary.created_pages.append(page)
            page_id = page.pk
        return page_id

    # Comments ---------------------------------------------------------------------------

    def _accepted(self, comments: list[SourceComment]):
        for comment in comments:
            if comment.kind in PINGBACK_KINDS and not self.include_pingbacks:
                self.summary.pingbacks += 1
            elif comment.kind not in COMMENT_KINDS | PINGBACK_KINDS:
                self.summary.other_kinds[comment.kind] += 1
            elif not comment.source_id:
                self.summary.errors.append(("?", f"a comment by {comment.name!r} has no id"))
            elif comment.created is None:
                self.summary.errors.append((comment.source_id, "no date"))
            else:
                yield comment

    def _already_imported(self, source_ids: list[str]) -> dict[str, tuple[int, int]]:
        found = {}
        for start in range(0, len(source_ids), BATCH_SIZE):
            rows = Comment.objects.filter(
                import_source=self.file.source, import_id__in=source_ids[start : start + BATCH_SIZE]
            ).values_list("import_id", "pk", "page_id")
            found.update({import_id: (pk, page_id) for import_id, pk, page_id in rows})
        return found

    def _comment(self, source: SourceComment, page_id: int) -> Comment:
        body = source.body.strip()
        return Comment(
            page_id=page_id,
            name=(source.name.strip() or str(messages.ANONYMOUS_NAME))[:100],
            email=self._checked(source, "e-mail", source.email, _valid_email),
            website=self._checked(source, "website", source.website, _valid_website),
            body=body,
            body_html=sanitize_comment(body),
            status=source.status,
            created=source.created,
            ip_address=self._checked(source, "IP address", source.ip_address, _valid_ip) or None,
            user_agent=source.user_agent[:300],
            import_source=self.file.source,
            import_id=source.source_id[:100],
        )

    def _checked(self, source: SourceComment, label: str, value: str, valid) -> str:
        value = value.strip()
        if value and not valid(value):
            self.summary.notes.append((source.source_id, f"invalid {label} {value!r} left out"))
            return ""
        return value

    def _attach(self, item: _Pending, pending: dict, existing: dict) -> None:
        """The nearest ancestor that is, or will be, stored on the same page."""
        parent_id, seen = item.source.parent_id, {item.source.source_id}
        while parent_id is not None and parent_id not in seen:
            seen.add(parent_id)
            if parent_id in pending:
                if pending[parent_id].page_id == item.page_id:
                    item.parent = pending[parent_id]
                return
            if parent_id in existing:
                pk, page_id = existing[parent_id]
                if page_id == item.page_id:
                    item.comment.parent_id = pk
                return
            if parent_id not in self.parents_in_file:
                self.summary.notes.append(
                    (
                        item.source.source_id,
                        f"its parent {parent_id} is not in the file; "
                        "imported as a top-level comment",
                    )
                )
                return
            parent_id = self.parents_in_file[parent_id]

    def _write(self, items: list[_Pending]) -> None:
        levels: dict[int, list[_Pending]] = {}
        for item in items:
            levels.setdefault(self._depth(item), []).append(item)
        total, done = len(items), 0
        self.progress(0, total)
        for depth in sorted(levels):
            level = sorted(levels[depth], key=lambda item: item.comment.created)
            for start in range(0, len(level), BATCH_SIZE):
                batch = level[start : start + BATCH_SIZE]
                for item in batch:
                    if item.parent is not None:
                        item.comment.parent = item.parent.comment  # stored one level up
                # The plain manager: CommentQuerySet.bulk_create would tell caches per batch.
                Comment._base_manager.bulk_create([item.comment for item in batch])
                done += len(batch)
                self.progress(done, total)
        for item in items:
            self.summary.imported[item.comment.status] += 1
            self.summary.page_ids.add(item.page_id)
        if self.announce and self.summary.page_ids:
            page_ids = sorted(self.summary.page_ids)
            comments_written.send(sender=Comment, page_ids=page_ids)
            announce_change("import", page_ids)  # nothing approved: no notification

    def _depth(self, item: _Pending) -> int:
        """How many ancestors; a reply in a loop of replies (a broken file) goes top-level."""
        depth, parent, seen = 0, item.parent, {id(item)}
        while parent is not None:
            if id(parent) in seen:
                self.summary.notes.append(
                    (item.source.source_id, "its replies form a loop; imported as top-level")
                )
                item.parent = None
                return 0
            seen.add(id(parent))
            depth, parent = depth + 1, parent.parent
        return depth


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _valid_website(value: str) -> bool:
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return len(value) <= 200


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
