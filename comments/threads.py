"""A page's comments as threads: one query, the tree built in one Python pass.

Threads are rendered from a flat, pre-ordered list of entries (no template recursion): each
entry says how deep it is, whether it opens a list of replies, and how many lists close after it.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from .conf import DiscussionOptions
from .models import DISPLAYED_FIELDS, AvatarFromName, Comment


@dataclass(slots=True)
class DisplayedComment(AvatarFromName):
    """What a reader sees of a comment, read as plain tuples: building hundreds of model
    instances costs more than rendering them."""

    pk: int
    parent_id: int | None
    name: str
    website: str
    body_html: str
    created: datetime.datetime
    status: str
    edited: datetime.datetime | None = None
    pinned: bool = False


def displayed_comments(page_id: int, newest_first: bool = False) -> list[DisplayedComment]:
    rows = Comment.objects.for_display(page_id, newest_first).values_list(*DISPLAYED_FIELDS)
    return [DisplayedComment(*row) for row in rows]


@dataclass
class ThreadEntry:
    comment: Comment
    depth: int
    can_reply: bool
    awaiting_moderation: bool = False
    # The reader's own comment, just published: its status and Edit / Delete links shown
    # to them alone (the response is private, see author_links.py).
    published_own: bool = False
    children: list[ThreadEntry] = field(default_factory=list)
    closes: range = range(0)

    @property
    def has_children(self) -> bool:
        return bool(self.children)


@dataclass
class CommentThreads:
    entries: list[ThreadEntry]  # pre-ordered, for the template
    approved_count: int
    page_number: int
    page_count: int
    by_id: dict[int, ThreadEntry]
    # The editors' pick, shown above the threads of every comment page, and where its thread
    # is (the page number its permalink goes to). It stays in its place in the thread too.
    pinned: ThreadEntry | None = None
    pinned_page_number: int = 1

    @property
    def has_other_pages(self) -> bool:
        return self.page_count > 1


def _attach(
    entry: ThreadEntry, parent: ThreadEntry | None, roots: list[ThreadEntry], max_depth: int
) -> None:
    if parent is None:
        entry.depth = 1
        roots.append(entry)
    else:
        entry.depth = parent.depth + 1
        parent.children.append(entry)
    entry.can_reply = entry.depth < max_depth and not entry.awaiting_moderation


def build_threads(
    comments: list[Comment],
    options: DiscussionOptions,
    page_number: int = 1,
    preview: Comment | None = None,
) -> CommentThreads:
    """Comments must come in display order; a reply whose parent is not shown becomes top-level."""
    by_id: dict[int, ThreadEntry] = {}
    roots: list[ThreadEntry] = []
    for comment in comments:
        entry = ThreadEntry(comment=comment, depth=1, can_reply=False)
        _attach(entry, by_id.get(comment.parent_id), roots, options.thread_depth)
        by_id[comment.pk] = entry
    approved_count = len(comments)
    pinned = next((by_id[comment.pk] for comment in comments if comment.pinned), None)

    if preview is not None and preview.pk in by_id:
        by_id[preview.pk].published_own = True
    elif preview is not None and not preview.is_approved:
        entry = ThreadEntry(comment=preview, depth=1, can_reply=False, awaiting_moderation=True)
        _attach(entry, by_id.get(preview.parent_id), roots, options.thread_depth)
        by_id[preview.pk] = entry

    per_page = max(1, options.per_page)
    page_count = max(1, math.ceil(len(roots) / per_page))
    page_number = min(max(1, page_number), page_count)
    shown_roots = roots[(page_number - 1) * per_page : page_number * per_page]

    entries: list[ThreadEntry] = []
    for root in shown_roots:
        _flatten(root, entries)
    pinned_page_number = 1
    if pinned is not None:
        root = _root_of(pinned, by_id)
        position = next(index for index, entry in enumerate(roots) if entry is root)
        pinned_page_number = position // per_page + 1
    return CommentThreads(
        entries, approved_count, page_number, page_count, by_id, pinned, pinned_page_number
    )


def _root_of(entry: ThreadEntry, by_id: dict[int, ThreadEntry]) -> ThreadEntry:
    """The top-level entry of ``entry``'s thread (a reply whose parent is not shown is one)."""
    while entry.depth > 1:
        entry = by_id[entry.comment.parent_id]
    return entry


def _flatten(root: ThreadEntry, out: list[ThreadEntry]) -> None:
    """Pre-order walk; the last entry of each subtree records how many reply lists it closes."""
    stack: list[tuple[ThreadEntry, int]] = [(root, 0)]
    while stack:
        entry, closes_after = stack.pop()
        out.append(entry)
        if entry.children:
            # The last child inherits this entry's closings plus one for this entry's list.
            last = len(entry.children) - 1
            for index in range(last, -1, -1):
                child = entry.children[index]
                stack.append((child, closes_after + 1 if index == last else 0))
        else:
            entry.closes = range(closes_after)


def page_number_of(comment: Comment, options: DiscussionOptions) -> int:
    """Which page of threads shows ``comment``: its thread's top-level comment decides.

    Counts the approved top-level comments shown before that one (one indexed COUNT), rather
    than loading the page's comments: this runs on every post.
    """
    root = comment
    for _ in range(options.thread_depth + 1):
        if root.parent_id is None:
            break
        parent = (
            Comment.objects.filter(pk=root.parent_id).only("pk", "parent_id", "created").first()
        )
        if parent is None:
            break
        root = parent
    roots = Comment.objects.approved().filter(page_id=comment.page_id, parent__isnull=True)
    if options.newest_first:
        before = roots.filter(created__gt=root.created).exclude(pk=root.pk).count()
    else:
        before = roots.filter(created__lt=root.created).exclude(pk=root.pk).count()
    return before // max(1, options.per_page) + 1
