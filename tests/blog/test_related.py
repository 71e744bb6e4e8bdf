import pytest
from bs4 import BeautifulSoup

from tests.blog.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def related_titles(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    return [a.get_text() for a in soup.select("aside.related li > a")]


def test_picked_articles_come_first_in_editor_order(blog_index, client):
    spine, hips = make_topic("Spine"), make_topic("Hips")
    first = make_article(blog_index, "First pick")
    second = make_article(blog_index, "Second pick")
    third = make_article(blog_index, "Third pick")
    make_article(blog_index, "Shares topic", topics=[spine])
    article = make_article(blog_index, "Main", topics=[spine, hips], related=[third, first, second])
    assert related_titles(client, article) == ["Third pick", "First pick", "Second pick"]


def test_fill_up_prefers_most_shared_topics_and_tags(blog_index, client):
    spine, hips = make_topic("Spine"), make_topic("Hips")
    picked = make_article(blog_index, "Picked")
    make_article(blog_index, "One shared", topics=[hips])
    make_article(blog_index, "Three shared", topics=[spine, hips], tags=["stretch"])
    make_article(blog_index, "Two shared", topics=[spine], tags=["stretch"])
    make_article(blog_index, "Nothing shared", topics=[make_topic("Other")])
    article = make_article(
        blog_index, "Main", topics=[spine, hips], tags=["stretch"], related=[picked]
    )
    assert related_titles(client, article) == ["Picked", "Three shared", "Two shared"]


def test_fill_up_never_shows_itself_drafts_or_unrelated(blog_index, client):
    spine = make_topic("Spine")
    make_article(blog_index, "Draft on spine", topics=[spine], publish=False)
    make_article(blog_index, "Unrelated")
    article = make_article(blog_index, "Main", topics=[spine])
    itself = make_article(blog_index, "Self-linking", topics=[spine])
    itself.related_links.create(related_page=itself, sort_order=0)
    assert related_titles(client, article) == ["Self-linking"]
    assert related_titles(client, itself) == ["Main"]


def test_unpublished_pick_is_skipped(blog_index, client):
    gone = make_article(blog_index, "Withdrawn")
    article = make_article(blog_index, "Main", related=[gone])
    gone.unpublish()
    assert related_titles(client, article) == []


def test_rich_text_link_follows_a_renamed_and_moved_page(
    home, back_pain_article, knee_pain_article, client
):
    from blog.models import BlogIndexPage

    knee_pain_article.slug = "knees"
    knee_pain_article.save_revision().publish()
    soup = BeautifulSoup(client.get(back_pain_article.url).content, "html.parser")
    assert soup.find("a", string="knee pain physical therapy")["href"] == "/blog/knees/"
    archive = home.add_child(instance=BlogIndexPage(title="Archive", slug="archive"))
    archive.save_revision().publish()
    knee_pain_article.move(archive, pos="last-child")
    soup = BeautifulSoup(client.get(back_pain_article.url).content, "html.parser")
    assert soup.find("a", string="knee pain physical therapy")["href"] == "/archive/knees/"
