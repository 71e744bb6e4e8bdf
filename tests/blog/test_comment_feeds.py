"""The article's comment feed link and its JSON-LD comments (commentCount, Comment items)."""

import json

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment, CommentStatus
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def json_ld_of(response) -> dict:
    soup = BeautifulSoup(response.content, "html.parser")
    return json.loads(soup.find("script", type="application/ld+json").string)


def test_article_head_links_its_comment_feed(back_pain_article, client):
    soup = BeautifulSoup(client.get(back_pain_article.url).content, "html.parser")
    links = soup.head.find_all("link", rel="alternate", type="application/rss+xml")
    feed = [link for link in links if link["href"] == f"/comments/feed/{back_pain_article.pk}/"]
    assert len(feed) == 1 and back_pain_article.title in feed[0]["title"]
    assert client.get(feed[0]["href"]).status_code == 200


def test_json_ld_has_comment_count_and_first_five_approved_comments(back_pain_article, client):
    Comment.objects.filter(page=back_pain_article).delete()
    made = [
        make_comment(back_pain_article, name=f"Reader {n}", email=f"r{n}@secret.example")
        for n in range(7)
    ]
    make_comment(back_pain_article, name="Held", status=CommentStatus.PENDING)
    response = client.get(back_pain_article.url)
    data = json_ld_of(response)
    assert data["commentCount"] == 7
    assert [item["author"]["name"] for item in data["comment"]] == [c.name for c in made[:5]]
    first = data["comment"][0]
    assert first["@type"] == "Comment" and first["text"] == made[0].body
    assert first["dateCreated"] == made[0].created.isoformat()
    assert b"secret.example" not in response.content.split(b"ld+json")[1]


def test_json_ld_of_an_article_without_comments(back_pain_article, client):
    Comment.objects.filter(page=back_pain_article).delete()
    data = json_ld_of(client.get(back_pain_article.url))
    assert data["commentCount"] == 0 and "comment" not in data


def test_json_ld_counts_a_comment_approved_after_the_page_was_cached(back_pain_article, client):
    Comment.objects.filter(page=back_pain_article).delete()
    held = make_comment(back_pain_article, name="Late Lou", status=CommentStatus.PENDING)
    assert json_ld_of(client.get(back_pain_article.url))["commentCount"] == 0
    held.status = CommentStatus.APPROVED
    held.save()
    data = json_ld_of(client.get(back_pain_article.url))
    assert data["commentCount"] == 1 and data["comment"][0]["author"]["name"] == "Late Lou"
