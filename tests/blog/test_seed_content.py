import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page, Site

from blog.models import ArticlePage, BlogIndexPage, HomePage, Topic
from blog.seed.parse import parse_seed_text, read_seed_file

pytestmark = pytest.mark.django_db

SEED_HEADINGS = [
    "The Importance of Physical Therapy for Back Pain",
    "Causes of Back Pain",
    "The Role of Physical Therapy",
    "Benefits of Physical Therapy for Back Pain",
    "Integrating Knee Pain Physical Therapy",
]
SEED_LIST_LEADS = [
    "Muscle Strain:",
    "Herniated Discs:",
    "Spinal Stenosis:",
    "Arthritis:",
    "Strengthening Exercises:",
    "Stretching and Flexibility:",
    "Manual Therapy:",
    "Postural Training:",
    "Pain Management:",
    "Enhanced Mobility:",
    "Prevention of Recurrence:",
    "Reduced Need for Medication:",
]


def article_soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_seed_builds_home_index_and_both_articles_at_their_urls(seeded, client):
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    index = BlogIndexPage.objects.get()
    assert index.get_parent().pk == home.pk
    assert index.url == "/blog/"
    back = ArticlePage.objects.get(slug="physical-therapist-for-back-pain")
    knee = ArticlePage.objects.get(slug="knee-pain-physical-therapy")
    assert back.title == "Physical therapist for back pain"
    assert knee.title == "Knee pain physical therapy"
    assert back.url == "/blog/physical-therapist-for-back-pain/"
    assert knee.url == "/blog/knee-pain-physical-therapy/"
    assert back.live and knee.live
    assert set(Topic.objects.values_list("name", flat=True)) == {
        "Back pain",
        "Knee pain",
        "Physical therapy",
    }
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_seed_article_renders_every_heading_list_item_and_paragraph(seeded, client):
    soup = article_soup(client, "/blog/physical-therapist-for-back-pain/")
    body = soup.select_one(".article-body")
    assert [h.get_text() for h in body.find_all("h2")] == SEED_HEADINGS
    leads = [b.get_text() for b in body.select("ul li b")]
    assert leads == SEED_LIST_LEADS
    seed_text = read_seed_file("physical-therapist-for-back-pain.txt")
    body_text = re.sub(r"\s+", " ", body.get_text(" "))
    for line in seed_text.splitlines()[1:]:
        line = line.strip().lstrip("\u2022").strip()
        if line.startswith("Leave a Reply"):
            break
        assert re.sub(r"\s+", " ", line) in body_text
    assert "Required fields are marked" not in body_text


def test_seed_article_links_to_knee_article_from_its_knee_section(seeded, client):
    soup = article_soup(client, "/blog/physical-therapist-for-back-pain/")
    heading = soup.find("h2", string="Integrating Knee Pain Physical Therapy")
    link = heading.find_next("a")
    assert link.get_text() == "knee pain physical therapy"
    assert link["href"] == "/blog/knee-pain-physical-therapy/"


def test_knee_article_lists_back_pain_article_as_related(seeded, client):
    soup = article_soup(client, "/blog/knee-pain-physical-therapy/")
    related = soup.select_one("aside.related")
    titles = [a.get_text() for a in related.select("li > a")]
    assert titles[0] == "Physical therapist for back pain"


def test_seed_command_is_idempotent_and_keeps_editor_changes(seeded):
    back = ArticlePage.objects.get(slug="physical-therapist-for-back-pain")
    back.title = "Edited by an editor"
    back.save_revision().publish()
    counts = (Page.objects.count(), Topic.objects.count(), Site.objects.count())
    call_command("load_seed_content", stdout=io.StringIO())
    call_command("load_seed_content", stdout=io.StringIO())
    assert (Page.objects.count(), Topic.objects.count(), Site.objects.count()) == counts
    assert ArticlePage.objects.get(pk=back.pk).title == "Edited by an editor"


def test_seed_parser_turns_bullets_into_one_list_with_bold_leads():
    seed = parse_seed_text("title\n\nA heading\n\n  \u2022 Lead: rest.\n  \u2022 Other: more.\n")
    assert seed.title == "Title"
    assert seed.blocks == [
        ("heading", {"text": "A heading", "level": "h2"}),
        ("paragraph", "<ul><li><b>Lead:</b> rest.</li><li><b>Other:</b> more.</li></ul>"),
    ]


def test_local_admin_is_created_once_with_printed_credentials(db, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    assert "password" in out.getvalue()
    again = io.StringIO()
    call_command("ensure_local_admin", stdout=again)
    assert "already exists" in again.getvalue()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_seed_command_builds_the_whole_site_on_an_empty_database(db):
    """The test database is seeded once per session; this is the first run on a new site."""
    Page.objects.filter(depth__gt=1).delete()
    Topic.objects.all().delete()
    assert not Site.objects.exists() and not ArticlePage.objects.exists()
    call_command("load_seed_content", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert BlogIndexPage.objects.child_of(site.root_page).live().count() == 1
    assert set(ArticlePage.objects.live().values_list("slug", flat=True)) == {
        "physical-therapist-for-back-pain",
        "knee-pain-physical-therapy",
    }
