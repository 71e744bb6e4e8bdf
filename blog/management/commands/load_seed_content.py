"""Creates the site's page tree and its two commissioned articles; safe to run again."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from blog.models import ArticlePage, ArticleRelatedLink, BlogIndexPage, HomePage, Topic
from blog.seed.parse import parse_seed_text, read_seed_file

AUTHOR = "Clinic Blog physiotherapy team"
TOPICS = [
    ("Back pain", "back-pain", "Causes of back pain and how to treat it."),
    ("Knee pain", "knee-pain", "Knee problems and the therapy that helps."),
    ("Physical therapy", "physical-therapy", "What physical therapists do and how it helps."),
]
BACK_PAIN_SLUG = "physical-therapist-for-back-pain"
KNEE_PAIN_SLUG = "knee-pain-physical-therapy"


class Command(BaseCommand):
    help = "Create the home page, /blog/ and the seed articles if they do not exist yet."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        home = self.ensure_home_page()
        index = self.ensure_blog_index(home)
        topics = {
            slug: Topic.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description}
            )[0]
            for name, slug, description in TOPICS
        }
        knee, knee_created = self.ensure_article(
            index,
            KNEE_PAIN_SLUG,
            "knee-pain-physical-therapy.txt",
            topics=[topics["knee-pain"], topics["physical-therapy"]],
            tags=["knee", "exercise", "rehabilitation"],
            date=datetime.date(2026, 10, 20),
        )
        back, _ = self.ensure_article(
            index,
            BACK_PAIN_SLUG,
            "physical-therapist-for-back-pain.txt",
            topics=[topics["back-pain"], topics["physical-therapy"]],
            tags=["back", "exercise", "posture"],
            date=datetime.date(2026, 11, 2),
            page_links={"knee pain physical therapy": knee.pk},
            related=[knee],
        )
        if knee_created:
            self.publish_with_related(knee, [back])
        self.stdout.write(self.style.SUCCESS(f"Seed content ready at {back.url}"))

    def ensure_home_page(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title="Clinic Blog",
                    slug="clinic-blog",
                    intro="Practical, evidence-based advice from our physical therapists.",
                )
            )
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Clinic Blog",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = site.site_name or "Clinic Blog"
            site.save()
        self.remove_wagtail_welcome_page(home)
        return home

    def remove_wagtail_welcome_page(self, home: HomePage) -> None:
        """Wagtail's first migration makes a bare "Welcome" page; the home page replaces it."""
        bare_page_type = ContentType.objects.get_for_model(Page)
        for welcome in Page.objects.filter(depth=2, content_type=bare_page_type, numchild=0):
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()

    def ensure_blog_index(self, home: HomePage) -> BlogIndexPage:
        index = BlogIndexPage.objects.child_of(home).filter(slug="blog").first()
        if index is None:
            index = home.add_child(
                instance=BlogIndexPage(
                    title="Articles", slug="blog", intro="Everything our therapists have written."
                )
            )
            index.save_revision().publish()
        return index

    def ensure_article(
        self,
        index: BlogIndexPage,
        slug: str,
        seed_file: str,
        *,
        topics: list[Topic],
        tags: list[str],
        date: datetime.date,
        page_links: dict[str, int] | None = None,
        related: list[ArticlePage] | None = None,
    ) -> tuple[ArticlePage, bool]:
        existing = ArticlePage.objects.child_of(index).filter(slug=slug).first()
        if existing is not None:
            return existing, False
        seed = parse_seed_text(read_seed_file(seed_file), page_links)
        article = ArticlePage(
            title=seed.title,
            slug=slug,
            intro=seed.intro,
            date=date,
            author_name=AUTHOR,
            body=seed.blocks,
            search_description=seed.intro,
        )
        article.topics = topics
        article.tags.add(*tags)
        index.add_child(instance=article)
        self.publish_with_related(article, related or [])
        return article, True

    def publish_with_related(self, article: ArticlePage, related: list[ArticlePage]) -> None:
        article.related_links = [
            ArticleRelatedLink(related_page=page, sort_order=order)
            for order, page in enumerate(related)
        ]
        article.save()
        article.save_revision().publish()
