"""Builders for comments, for any page whose type takes them; each returns saved objects.
The blog's articles and topics are built by tests/blog/factories.py."""

from __future__ import annotations

import itertools

from django.utils import timezone

from comments.models import Comment, CommentEmailAddress, CommentStatus, normalised_email
from comments.sanitize import sanitize_comment

_counter = itertools.count(1)


def make_comment(page, **fields):
    """A stored comment, approved unless told otherwise, sanitised as the form would."""
    number = next(_counter)
    body = fields.pop("body", f"Comment number {number}.")
    fields.setdefault("name", f"Reader {number}")
    fields.setdefault("email", f"reader{number}@example.com")
    fields.setdefault("status", CommentStatus.APPROVED)
    return Comment.objects.create(
        page=page, body=body, body_html=fields.pop("body_html", sanitize_comment(body)), **fields
    )


def confirmed_address(email: str, **fields) -> CommentEmailAddress:
    """A reader's address its owner confirmed: e-mails may be sent to it."""
    fields.setdefault("confirmed_at", timezone.now())
    address, _ = CommentEmailAddress.objects.update_or_create(
        email=normalised_email(email), defaults=fields
    )
    return address


def approved_comments(page, count: int) -> list[Comment]:
    """Unsaved approved comments by different readers, for ``bulk_create``."""
    return [
        Comment(
            page=page,
            name=f"Reader {index}",
            email=f"reader-{index}@example.com",
            body=f"Body {index}",
            body_html=f"<p>Body {index}</p>",
            status=CommentStatus.APPROVED,
        )
        for index in range(count)
    ]


def add_threaded_comments(page, count: int) -> None:
    """``count`` approved comments, every fourth one starting a thread of four."""
    Comment.objects.bulk_create(approved_comments(page, count))
    stored = list(Comment.objects.filter(page=page).order_by("pk"))
    parents = []
    for index, comment in enumerate(stored):
        if index % 4:
            comment.parent = stored[index - 1]
            parents.append(comment)
    Comment.objects.bulk_update(parents, ["parent"])
