import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from blog.models import ARTICLES_PER_PAGE
from comments.models import CommentStatus
from tests.blog.factories import make_article, make_topic
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_home_page_lists_latest_articles(home, client):
    soup = soup_of(client.get("/"))
    titles = [a.get_text() for a in soup.select(".article-summary h3 a")]
    assert titles == ["Physical therapist for back pain", "Knee pain physical therapy"]


def test_blog_index_is_paginated_newest_first(blog_index, client):
    for day in range(ARTICLES_PER_PAGE + 3):
        make_article(blog_index, f"Daily note {day}", date=datetime.date(2027, 1, 1 + day))
    first = soup_of(client.get("/blog/"))
    titles = [a.get_text() for a in first.select(".article-summary h3 a")]
    assert len(titles) == ARTICLES_PER_PAGE
    assert titles[0] == f"Daily note {ARTICLES_PER_PAGE + 2}"
    second = soup_of(client.get("/blog/?page=2"))
    later = [a.get_text() for a in second.select(".article-summary h3 a")]
    assert later[-1] == "Knee pain physical therapy"
    assert "Page 2 of 2" in second.get_text()
    assert client.get("/blog/?page=abc").status_code == 200


def test_blog_index_entry_shows_title_date_and_intro(blog_index, client):
    soup = soup_of(client.get("/blog/"))
    entry = soup.select(".article-summary")[0]
    assert entry.find("a").get_text() == "Physical therapist for back pain"
    assert entry.find("time")["datetime"] == "2026-11-02"
    assert "Back pain is a prevalent condition" in entry.get_text()


def test_topic_page_lists_only_that_topics_articles(blog_index, client):
    soup = soup_of(client.get("/blog/topic/knee-pain/"))
    assert soup.find("h1").get_text() == "Knee pain"
    titles = [a.get_text() for a in soup.select(".article-summary h3 a")]
    assert titles == ["Knee pain physical therapy"]
    assert client.get("/blog/topic/no-such-topic/").status_code == 404


def test_tag_filter_lists_tagged_articles(blog_index, client):
    make_article(blog_index, "Posture at work", tags=["posture"])
    soup = soup_of(client.get("/blog/tag/posture/"))
    titles = {a.get_text() for a in soup.select(".article-summary h3 a")}
    assert titles == {"Posture at work", "Physical therapist for back pain"}
    assert client.get("/blog/tag/unknown/").status_code == 404


def test_drafts_are_not_listed_anywhere(blog_index, client):
    make_article(blog_index, "Secret draft", publish=False, topics=[make_topic("Drafts")])
    for url in ["/", "/blog/", "/blog/topic/drafts/", "/blog/feed/", "/sitemap.xml"]:
        assert b"Secret draft" not in client.get(url).content, url


def test_article_head_has_title_description_canonical_og_and_json_ld(back_pain_article, client):
    soup = soup_of(client.get(back_pain_article.url))
    assert soup.title.get_text() == "Physical therapist for back pain | Clinic Blog"
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Back pain is a prevalent condition")
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical.endswith("/blog/physical-therapist-for-back-pain/")
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="og:title")["content"] == back_pain_article.title
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article"
    assert data["headline"] == "Physical therapist for back pain"
    assert data["datePublished"] == "2026-11-02"
    assert data["author"]["name"] == back_pain_article.author_name
    assert data["publisher"]["name"] == "Clinic Blog"


def test_seo_title_and_search_description_override_defaults(back_pain_article, client):
    back_pain_article.seo_title = "Back pain physio </script> guide"
    back_pain_article.search_description = "Custom description"
    back_pain_article.save_revision().publish()
    response = client.get(back_pain_article.url)
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Back pain physio </script> guide")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Custom description"
    assert b"</script> guide" not in response.content.split(b"ld+json")[1].split(b"</script>")[0]


def test_article_page_is_accessible_in_structure(back_pain_article, client):
    soup = soup_of(client.get(back_pain_article.url))
    assert soup.find("html")["lang"] == "en"
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#main" and soup.find("main", id="main")
    assert (
        soup.find("header")
        and soup.find("footer")
        and soup.find("nav", attrs={"aria-label": "Main"})
    )
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumbs li")]
    assert crumbs == ["Clinic Blog", "Articles", "Physical therapist for back pain"]
    assert soup.find("link", rel="stylesheet")["href"].startswith("/static/")
    assert not soup.find_all(src=lambda v: v and v.startswith(("http:", "https:", "//")))


def test_feed_lists_published_articles_newest_first(seeded, client):
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == [
        "Physical therapist for back pain",
        "Knee pain physical therapy",
    ]
    assert items[0].findtext("link").endswith("/blog/physical-therapist-for-back-pain/")
    assert "Back pain" in [c.text for c in items[0].findall("category")]


def test_sitemap_lists_every_live_page(seeded, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.fromstring(response.content).findall(".//s:loc", namespace)]
    assert any(loc.endswith("/blog/physical-therapist-for-back-pain/") for loc in locs)
    assert any(loc.endswith("/blog/knee-pain-physical-therapy/") for loc in locs)
    assert any(loc.endswith("/blog/") for loc in locs)


def test_robots_txt_points_to_sitemap_and_keeps_admin_out(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_search_finds_the_seed_article(seeded, client):
    soup = soup_of(client.get("/search/", {"q": "herniated discs"}))
    titles = [a.get_text() for a in soup.select(".article-summary h3 a")]
    assert titles == ["Physical therapist for back pain"]
    empty = soup_of(client.get("/search/", {"q": "zebra crossing"}))
    assert "No pages match your search." in empty.get_text()


def test_search_survives_odd_input(seeded, client):
    for query in ["", "   ", "a" * 5000, "\x00", "' OR 1=1 --", "<script>"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert b"<script>" not in response.content.split(b"<main")[1]


def test_unknown_url_gets_friendly_404_page(seeded, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in soup_of(response).find("h1").get_text()


def test_server_error_gets_friendly_500_page(seeded, client, settings):
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.blog.error_urls"
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@override_settings(DEBUG=False)
def test_static_stylesheet_is_served_locally(seeded, client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/", "/blog/", "/blog/physical-therapist-for-back-pain/", "/blog/topic/back-pain/"],
)
def test_public_pages_stay_under_query_ceiling(seeded, client, url, django_assert_max_num_queries):
    client.get(url)  # warm Wagtail's site-root cache, as any running server has
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200


def test_article_query_count_does_not_grow_with_more_articles(
    blog_index, client, django_assert_max_num_queries
):
    url = "/blog/physical-therapist-for-back-pain/"
    client.get(url)
    with django_assert_max_num_queries(100) as before:
        client.get(url)
    queries_with_two_articles = len(before)
    for number in range(8):
        make_article(blog_index, f"More back pain {number}", tags=["back"])
    client.get(url)
    with django_assert_max_num_queries(queries_with_two_articles):
        client.get(url)


def test_blog_index_shows_each_articles_approved_comment_count(back_pain_article, client):
    make_comment(back_pain_article)
    make_comment(back_pain_article)
    make_comment(back_pain_article, status=CommentStatus.PENDING)
    soup = soup_of(client.get("/blog/"))
    entries = {
        entry.find("a").get_text(): entry.select_one(".meta").get_text(" ", strip=True)
        for entry in soup.select(".article-summary")
    }
    assert entries["Physical therapist for back pain"].endswith("2 comments")
    assert entries["Knee pain physical therapy"].endswith("0 comments")


def test_home_page_title_names_the_site_once(seeded, client):
    assert soup_of(client.get("/")).title.get_text() == "Clinic Blog"
    assert soup_of(client.get("/blog/")).title.get_text() == "Articles | Clinic Blog"


@override_settings(DEBUG=False)
def test_every_page_links_a_favicon_served_from_static(seeded, client):
    soup = soup_of(client.get("/blog/"))
    icons = [link["href"] for link in soup.find_all("link", rel="icon")]
    assert icons and all(href.startswith("/static/img/favicon.") for href in icons)
    for href in icons + [soup.find("link", rel="apple-touch-icon")["href"]]:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith("image/"), response["Content-Type"]
    old_style = client.get("/favicon.ico")
    assert old_style.status_code == 301 and old_style["Location"] == "/static/img/favicon.ico"
