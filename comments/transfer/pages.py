"""Creating the page for a WordPress post that has none yet (``--create-pages-under``).

The comments app cannot know the site's page type, so the command names it. A page gets its
title, slug, first publication date, the post's date in a ``date`` field if the type has one,
the excerpt as its search description, and the post's HTML (reduced to what Wagtail's rich
text keeps) in a ``body`` that is a RichTextField or a StreamField with a rich-text block.
Any other field the type requires must be given with ``--page-field NAME=VALUE``; a page that
does not validate stops the import with the field and the reason, and nothing is written."""

from __future__ import annotations

import re
from typing import Any

import bleach
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText

from ..models import CommentsMixin
from ..sanitize import paragraphs
from .records import ImportFileError, SourcePost

# What Wagtail's default rich-text features store.
RICH_TEXT_TAGS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "li", "b", "i", "strong", "em", "a", "br", "blockquote"}
)
BLOCK_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # the block editor's <!-- wp:... -->
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_cleaner = bleach.Cleaner(tags=RICH_TEXT_TAGS, attributes={"a": ["href"]}, strip=True)
CREATABLE_STATUSES = frozenset({"publish", "draft", "pending", "future", "private"})


def page_model(label: str) -> type[Page]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise ImportFileError(
            f"--page-model {label}: no such model (app_label.ModelName)."
        ) from None
    if not (issubclass(model, Page) and issubclass(model, CommentsMixin)):
        raise ImportFileError(f"--page-model {label}: not a page type that takes comments.")
    return model


def parent_page(page_id: int) -> Page:
    parent = Page.objects.filter(pk=page_id).first()
    if parent is None:
        raise ImportFileError(f"--create-pages-under {page_id}: no such page.")
    return parent.specific


def article_html(content: str) -> str:
    """WordPress's stored post (paragraphs by blank lines, block-editor comments) as the
    HTML a Wagtail rich text field keeps."""
    content = SCRIPT_OR_STYLE.sub("", BLOCK_COMMENT.sub("", content))  # code, not text
    return _cleaner.clean(paragraphs(content))


def create_page(post: SourcePost, parent: Page, model: type[Page], fields: dict[str, str]) -> Page:
    try:
        page = model(title=post.title or post.slug, slug=post.slug or slugify(post.title), **fields)
    except TypeError:
        unknown = sorted(name for name in fields if not _has_field(model, name))
        raise ImportFileError(
            f"--page-field: {model._meta.label} has no field {', '.join(unknown)}."
        ) from None
    page.search_description = bleach.clean(post.excerpt, tags=set(), strip=True)[:255]
    if post.published is not None:
        page.first_published_at = post.published
        _set_if_field(page, "date", post.published)
    _set_body(page, article_html(post.content))
    live = post.status == "publish"
    page.live = live
    try:
        parent.add_child(instance=page)
    except ValidationError as error:
        raise ImportFileError(
            f"Cannot create a {model._meta.label} page for post {post.source_id} "
            f"({post.slug}): {_describe(error)}. Give missing fields with --page-field "
            "NAME=VALUE."
        ) from None
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def _has_field(model: type[Page], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _set_if_field(page: Page, name: str, moment) -> None:
    try:
        field = page._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if isinstance(field, models.DateTimeField):
        setattr(page, name, moment)
    elif isinstance(field, models.DateField):
        setattr(page, name, moment.date())


def _set_body(page: Page, html: str) -> None:
    try:
        field = page._meta.get_field("body")
    except FieldDoesNotExist:
        return
    if isinstance(field, RichTextField):
        page.body = html
    elif isinstance(field, StreamField):
        name = _rich_text_block(field.stream_block)
        if name is not None and html:
            page.body = [(name, RichText(html))]


def _rich_text_block(stream_block: blocks.StreamBlock) -> str | None:
    for name, block in stream_block.child_blocks.items():
        if isinstance(block, blocks.RichTextBlock):
            return name
    return None


def _describe(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def parse_page_fields(values: list[str]) -> dict[str, Any]:
    fields = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise ImportFileError(f"--page-field {value!r}: expected NAME=VALUE.")
        fields[name.strip()] = text
    return fields
