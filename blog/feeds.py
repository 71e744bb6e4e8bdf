"""RSS feed of the newest articles of one blog index."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.utils import timezone

if TYPE_CHECKING:
    from .models import ArticlePage, BlogIndexPage

FEED_LENGTH = 20


class ArticleFeed(Feed):
    def __init__(self, index_page: BlogIndexPage) -> None:
        super().__init__()
        self.index_page = index_page

    def title(self) -> str:
        return self.index_page.title

    def link(self) -> str:
        return self.index_page.url

    def description(self) -> str:
        return self.index_page.intro or self.index_page.title

    def items(self):
        return self.index_page.articles()[:FEED_LENGTH]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.intro

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author_name

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime | None:
        return item.last_published_at

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [topic.name for topic in item.topics.all()]
