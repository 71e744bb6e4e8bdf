"""RSS 2.0 feeds of approved comments: one per page and one for the whole site.

Only approved comments on live pages outside every private section. No e-mail address
anywhere: RSS's ``<author>`` is one, so the author's name goes in ``<dc:creator>``.
The feeds are never stored by the page cache (it keeps only pages); they carry an ETag
and Last-Modified and ask to be revalidated, so a newly approved comment shows at once.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.syndication.views import Feed
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import StartsWith
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_http_methods
from wagtail.models import Page, PageViewRestriction, Site

from . import messages
from .conf import app_setting
from .models import Comment
from .targets import comment_target

DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# An empty feed's lastBuildDate. Django's default, now, would change the feed (and its ETag
# and Last-Modified) every second, so a reader polling a page without comments never got a 304.
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def public_live_pages() -> QuerySet[Page]:
    """Live pages with no view restriction on themselves or an ancestor, as one subquery
    (a restricted page's path is a prefix of each page below it)."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return Page.objects.filter(live=True).exclude(Exists(restricted))


def feed_comments(page_id: int | None = None) -> QuerySet[Comment]:
    """The newest approved comments for a feed, with only what a feed shows (no e-mail)."""
    comments = Comment.objects.approved().filter(page__in=public_live_pages())
    if page_id is not None:
        comments = comments.filter(page_id=page_id)
    return (
        comments.select_related("page")
        .only("pk", "name", "body_html", "created", "page__id", "page__title", "page__url_path")
        .order_by("-created", "-pk")[: app_setting("FEED_LENGTH")]
    )


class CommentsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the author's name as ``dc:creator`` (``<author>`` must be an e-mail)."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def latest_post_date(self) -> datetime.datetime:
        return super().latest_post_date() if self.items else EMPTY_FEED_DATE

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("creator"):
            handler.addQuickElement("dc:creator", item["creator"])


class BaseCommentsFeed(Feed):
    feed_type = CommentsRssFeed

    def items(self, obj) -> list[Comment]:
        return list(feed_comments(self.page_id_of(obj)))

    def page_id_of(self, obj) -> int | None:
        return None

    def item_title(self, item: Comment) -> str:
        return str(messages.FEED_ITEM_TITLE % {"name": item.name, "title": item.page.title})

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return f"{item.page.get_url(self.request)}#comment-{item.pk}"

    def item_guid(self, item: Comment) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Comment) -> datetime.datetime:
        return item.created

    def item_extra_kwargs(self, item: Comment) -> dict[str, str]:
        return {"creator": item.name}

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        return conditional(request, response)


class SiteCommentsFeed(BaseCommentsFeed):
    def get_object(self, request: HttpRequest) -> Site | None:
        return Site.find_for_request(request)

    def title(self, obj: Site | None) -> str:
        return str(messages.FEED_SITE_TITLE % {"site": site_name(obj)})

    def description(self, obj: Site | None) -> str:
        return str(messages.FEED_SITE_DESCRIPTION % {"site": site_name(obj)})

    def link(self, obj: Site | None) -> str:
        return "/"


class PageCommentsFeed(BaseCommentsFeed):
    def get_object(self, request: HttpRequest, page_id: int) -> Page:
        target = comment_target(request, page_id)
        if target is None:
            raise Http404(messages.PAGE_NOT_FOUND)
        return target.page

    def page_id_of(self, obj: Page) -> int:
        return obj.pk

    def title(self, obj: Page) -> str:
        return str(messages.FEED_PAGE_TITLE % {"title": obj.title})

    def description(self, obj: Page) -> str:
        return str(messages.FEED_PAGE_DESCRIPTION % {"title": obj.title})

    def link(self, obj: Page) -> str:
        return obj.get_url(self.request) or "/"


def site_name(site: Site | None) -> str:
    if site is None:
        return ""
    return site.site_name or site.hostname


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An ETag of the content, Last-Modified and "revalidate every time": a reader (or a
    proxy) may keep the feed, but asks before using it; unchanged, it gets a 304."""
    etag = f'"{hashlib.blake2s(response.content, digest_size=16).hexdigest()}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return get_conditional_response(request, etag=etag, response=response)


@require_http_methods(["GET", "HEAD"])
def site_feed(request: HttpRequest) -> HttpResponse:
    return SiteCommentsFeed()(request)


@require_http_methods(["GET", "HEAD"])
def page_feed(request: HttpRequest, page_id: int) -> HttpResponse:
    return PageCommentsFeed()(request, page_id=page_id)
