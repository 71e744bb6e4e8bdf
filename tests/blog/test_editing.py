"""Editors work on articles in the Wagtail admin: create, preview, draft, schedule, publish."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import ArticlePage, BlogIndexPage, HomePage, Topic


class ArticleEditingTests(WagtailPageTestCase):
    def setUp(self):
        call_command("load_seed_content", stdout=io.StringIO())
        self.index = BlogIndexPage.objects.get()
        self.article = ArticlePage.objects.get(slug="physical-therapist-for-back-pain")
        self.user = self.login()

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_editor_creates_and_publishes_article_in_admin(self):
        topic = Topic.objects.get(slug="back-pain")
        data = nested_form_data(
            {
                "title": "Sciatica explained",
                "slug": "sciatica-explained",
                "intro": "What sciatica is.",
                "date": "2026-11-20",
                "author_name": "Dr Who",
                "body": streamfield(
                    [
                        ("heading", {"text": "What is it?", "level": "h2"}),
                        ("paragraph", rich_text("<p>Nerve pain down the leg.</p>")),
                    ]
                ),
                "topics": [topic.pk],
                "tags": "nerve, back",
                "related_links": inline_formset([{"related_page": self.article.pk}]),
            }
        )
        self.assertCanCreate(self.index, ArticlePage, data)
        page = ArticlePage.objects.get(slug="sciatica-explained")
        response = self.client.get(page.url)
        self.assertContains(response, "Nerve pain down the leg.")
        self.assertContains(response, "What is it?</h2>", html=False)
        self.assertEqual([p.pk for p in page.related_articles()][0], self.article.pk)

    def test_article_is_editable_and_previewable(self):
        edit_url = f"/admin/pages/{self.article.pk}/edit/"
        self.assertContains(self.client.get(edit_url), "Related articles")
        data = nested_form_data(
            {
                "title": "Previewed title",
                "slug": self.article.slug,
                "intro": "Intro.",
                "date": "2026-11-02",
                "author_name": "Dr Who",
                "body": streamfield([("paragraph", rich_text("<p>Preview body.</p>"))]),
                "related_links": inline_formset([]),
            }
        )
        self.assertPageIsPreviewable(self.article, post_data=data)
        self.assertPageIsPreviewable(self.index)

    def test_draft_changes_stay_hidden_until_published(self):
        self.article.title = "Draft title"
        revision = self.article.save_revision(user=self.user)
        response = self.client.get(self.article.url)
        self.assertContains(response, "Physical therapist for back pain")
        self.assertNotContains(response, "Draft title")
        revision.publish()
        self.assertContains(self.client.get(self.article.url), "Draft title")
        self.assertGreaterEqual(self.article.revisions.count(), 2)

    def test_scheduled_publishing_goes_live_when_due(self):
        self.article.title = "Scheduled title"
        self.article.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
        revision = self.article.save_revision(
            user=self.user, approved_go_live_at=self.article.go_live_at
        )
        revision.publish()  # with a future go_live_at this only schedules it
        self.assertNotContains(self.client.get(self.article.url), "Scheduled title")
        past = timezone.now() - datetime.timedelta(seconds=1)
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
        call_command("publish_scheduled", stdout=io.StringIO())
        self.assertContains(self.client.get(self.article.url), "Scheduled title")
