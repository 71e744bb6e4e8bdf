"""Builders for the blog's topics and articles; each returns saved, published objects."""

from __future__ import annotations

import datetime
import itertools

from blog.models import ArticlePage, ArticleRelatedLink, BlogIndexPage, Topic

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
