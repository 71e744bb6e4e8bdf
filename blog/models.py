"""Page types of the blog: the home page, the article index, articles, and topics."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Max, Q, QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageLogEntry
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from comments.models import CommentsMixin, with_comment_counts
from comments.panels import CommentCountPanel
from pagecache.mixins import PageCacheMixin

from .blocks import ArticleBodyBlock
from .feeds import ArticleFeed

ARTICLES_PER_PAGE = 10
RELATED_ARTICLES_SHOWN = 3
EXTRAS_CACHE_SECONDS = 60 * 60


@register_snippet
class Topic(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class HomePage(Page):
    intro = models.TextField(_("intro"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def latest_articles(self, count: int = 5) -> QuerySet[ArticlePage]:
        articles = ArticlePage.objects.live().public().order_by("-date", "-pk")
        return with_comment_counts(articles)[:count]


class BlogIndexPage(RoutablePageMixin, Page):
    """Lists articles newest first; /topic/<slug>/, /tag/<slug>/ and /feed/ hang off it."""

    intro = models.TextField(_("intro"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["blog.HomePage"]
    subpage_types = ["blog.ArticlePage"]

    class Meta:
        verbose_name = _("blog index page")

    def articles(self) -> QuerySet[ArticlePage]:
        return with_comment_counts(
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .prefetch_related("topics")
        )

    def paginate(self, request: HttpRequest, articles: QuerySet) -> PaginatorPage:
        paginator = Paginator(articles, ARTICLES_PER_PAGE)
        return paginator.get_page(request.GET.get("page"))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        articles = kwargs.get("articles")
        if articles is None:
            articles = self.articles()
        context["articles"] = self.paginate(request, articles)
        context["topics"] = Topic.objects.all()
        return context

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("topic/<str:slug>/", name="topic")
    def by_topic(self, request: HttpRequest, slug: str) -> HttpResponse:
        topic = get_object_or_404(Topic, slug=slug)
        return self.render(
            request,
            context_overrides={"current_topic": topic},
            articles=self.articles().filter(topics=topic),
        )

    @path("tag/<str:slug>/", name="tag")
    def by_tag(self, request: HttpRequest, slug: str) -> HttpResponse:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("No such tag")
        return self.render(
            request,
            context_overrides={"current_tag": tag},
            articles=self.articles().filter(tags=tag),
        )

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest) -> HttpResponse:
        return ArticleFeed(self)(request)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(PageCacheMixin, CommentsMixin, Page):
    intro = models.TextField(
        _("intro"), max_length=500, help_text=_("One or two sentences shown in article lists.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("published date"), default=timezone.localdate)
    author_name = models.CharField(_("author name"), max_length=100)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    topics = ParentalManyToManyField(
        "blog.Topic", verbose_name=_("topics"), blank=True, related_name="articles"
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("date"),
        FieldPanel("author_name"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        MultipleChooserPanel(
            "related_links",
            label=_("Related articles"),
            chooser_field_name="related_page",
            help_text=_(
                "Picked first, in this order; the page fills up to three by shared topics."
            ),
        ),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel([FieldPanel("allow_comments"), CommentCountPanel()], heading=_("Comments"))
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("author_name"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article page")

    def related_articles(
        self,
        limit: int = RELATED_ARTICLES_SHOWN,
        topics: list[Topic] | None = None,
        tags: list[Tag] | None = None,
    ) -> list[ArticlePage]:
        """Editors' picks in their order, then the articles sharing most topics and tags."""
        picked = [
            link.related_page
            for link in self.related_links.select_related("related_page")
            if link.related_page.live and link.related_page.pk != self.pk
        ][:limit]
        missing = limit - len(picked)
        topic_ids = [topic.pk for topic in (self.topics.all() if topics is None else topics)]
        tag_ids = [tag.pk for tag in (self.tags.all() if tags is None else tags)]
        if missing <= 0 or not (topic_ids or tag_ids):
            return picked
        # An empty IN () inside an aggregate's filter empties the whole query, so skip it.
        shared = Value(0)
        if topic_ids:
            shared += Count("topics", filter=Q(topics__in=topic_ids), distinct=True)
        if tag_ids:
            shared += Count(
                "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
            )
        candidates = (
            ArticlePage.objects.live()
            .public()
            .exclude(pk__in=[self.pk, *[page.pk for page in picked]])
            .annotate(shared=shared)
            .filter(shared__gt=0)
            .order_by("-shared", "-date", "-pk")
            .only("title", "slug", "url_path", "intro", "date")[:missing]
        )
        return picked + list(candidates)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(self.page_extras(preview=getattr(request, "is_preview", False)))
        return context

    def page_extras(self, preview: bool = False) -> dict:
        """Topics, tags, the index and related articles: cached while the page tree stays
        as it is (see ``page_tree_state``)."""
        key = f"blog:article-extras:{page_tree_state()}:{self.pk}"
        extras = None if preview else cache.get(key)
        if extras is None:
            topics = list(self.topics.all())
            tags = list(self.tags.all())
            extras = {
                "topics": topics,
                "tags": tags,
                "blog_index": BlogIndexPage.objects.parent_of(self).first(),
                "related_articles": self.related_articles(topics=topics, tags=tags),
                "breadcrumbs": list(self.get_ancestors().filter(depth__gt=1)),
            }
            if not preview:
                cache.set(key, extras, timeout=EXTRAS_CACHE_SECONDS)
        return extras


def page_tree_state() -> str:
    """Changes whenever a page is published, unpublished, moved, created or deleted (each is
    logged by Wagtail): what related lists, breadcrumbs and index links are made of. One
    query, the same answer in every process, no cache to keep in step."""
    latest = PageLogEntry.objects.aggregate(latest=Max("pk"), count=Count("pk"))
    return f"{latest['latest'] or 0}.{latest['count']}"


class ArticleRelatedLink(Orderable):
    page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    related_page = models.ForeignKey(
        "blog.ArticlePage",
        verbose_name=_("related article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
