"""Builders for the objects tests need; each returns saved, published objects."""

from __future__ import annotations

import datetime
import itertools

from blog.models import ArticlePage, ArticleRelatedLink, BlogIndexPage, Topic
from comments.models import Comment, CommentStatus
from comments.sanitize import sanitize_comment

_counter = itertools.count(1)


def make_topic(name: str | None = None, **fields) -> Topic:
    name = name or f"Topic {next(_counter)}"
    slug = fields.pop("slug", name.lower().replace(" ", "-"))
    return Topic.objects.create(name=name, slug=slug, **fields)


def make_article(
    index: BlogIndexPage,
    title: str | None = None,
    *,
    topics: list[Topic] = (),
    tags: list[str] = (),
    related: list[ArticlePage] = (),
    date: datetime.date | None = None,
    publish: bool = True,
    body: list | None = None,
    **fields,
) -> ArticlePage:
    number = next(_counter)
    title = title or f"Article {number}"
    article = ArticlePage(
        title=title,
        slug=fields.pop("slug", f"article-{number}"),
        intro=fields.pop("intro", f"Intro of {title}."),
        author_name=fields.pop("author_name", "Test Author"),
        date=date or datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
        body=body if body is not None else [("paragraph", f"<p>Body of {title}.</p>")],
        live=publish,
        **fields,
    )
    article.topics = list(topics)
    if tags:
        article.tags.add(*tags)
    article.related_links = [
        ArticleRelatedLink(related_page=page, sort_order=order)
        for order, page in enumerate(related)
    ]
    index.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


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
