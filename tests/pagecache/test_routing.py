"""Remembered routing: a URL finds its page without SQL, and never a page that moved, was
unpublished, deleted or made private since."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from tests.blog.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    """Without the full-page cache every request goes through routing."""
    settings.PAGECACHE_FULL_PAGE = False


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if "wagtailcore_page" in query["sql"]]


def test_second_view_finds_the_page_without_queries(back_pain_article, client):
    assert page_queries(client, back_pain_article.url)  # Wagtail walked the tree
    assert page_queries(client, back_pain_article.url) == []


def test_unpublished_page_is_gone_at_once(back_pain_article, client):
    client.get(back_pain_article.url)
    back_pain_article.unpublish()
    assert client.get(back_pain_article.url).status_code == 404


def test_moved_page_answers_at_its_new_address(back_pain_article, blog_index, client):
    old_url = back_pain_article.url
    client.get(old_url)
    archive = blog_index.add_sibling(instance=type(blog_index)(title="Archive", slug="archive"))
    archive.save_revision().publish()
    back_pain_article.move(archive, pos="last-child")
    moved = Page.objects.get(pk=back_pain_article.pk)
    # Not the remembered page: Wagtail's automatic redirect to where it lives now.
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, moved.url)
    assert client.get(moved.url).status_code == 200


def test_deleted_page_is_gone_at_once(blog_index, client):
    article = make_article(blog_index, title="Short lived")
    client.get(article.url)
    url = article.url
    article.delete()
    assert client.get(url).status_code == 404


def test_page_made_private_asks_for_login(back_pain_article, client):
    client.get(back_pain_article.url)
    PageViewRestriction.objects.create(
        page=back_pain_article, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(back_pain_article.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]


def test_private_pages_are_checked_on_every_request(back_pain_article, client):
    PageViewRestriction.objects.create(
        page=back_pain_article, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    for _ in range(2):
        response = client.get(back_pain_article.url)
        assert response.status_code == 200
        assert b"Physical therapist for back pain</h1>" not in response.content
        assert b'name="password"' in response.content


def test_site_root_change_is_followed(blog_index, back_pain_article, client):
    old_url = back_pain_article.url
    home_html = client.get("/").content
    client.get(old_url)
    site = Site.objects.get(is_default_site=True)
    site.root_page = blog_index
    site.save()
    assert client.get("/").content != home_html
    assert client.get(old_url).status_code == 404
    assert client.get(f"/{back_pain_article.slug}/").status_code == 200


def test_routable_views_still_route_every_time(blog_index, back_pain_article, client):
    topic = back_pain_article.topics.first()
    url = f"{blog_index.url}topic/{topic.slug}/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert back_pain_article.title.encode() in response.content
    assert client.get(f"{blog_index.url}topic/no-such-topic/").status_code == 404


def test_unpublished_drafts_are_not_shown(back_pain_article, client):
    client.get(back_pain_article.url)
    back_pain_article.title = "Draft title"
    back_pain_article.save_revision()
    assert b"Draft title" not in client.get(back_pain_article.url).content


def test_each_request_gets_a_page_of_its_own(back_pain_article, client):
    """The remembered page is unpickled once a worker; what one request does to its copy
    (an attribute set while serving) never reaches the next."""
    from wagtail import hooks

    served = []

    def note(page, request, serve_args, serve_kwargs):
        served.append((id(page), page.pk, page.title))
        page.title = "Changed by one request"

    with hooks.register_temporarily("before_serve_page", note):
        for _ in range(3):
            assert client.get(back_pain_article.url).status_code == 200
    assert len({identity for identity, _pk, _title in served}) == 3
    assert {(pk, title) for _id, pk, title in served} == {
        (back_pain_article.pk, back_pain_article.title)
    }
