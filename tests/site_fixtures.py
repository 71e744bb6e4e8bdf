"""Fixtures of the site (the blog and its page cache), for every test but tests/comments,
which runs on the comments app's own test site too (tests/testapp). Imported by
tests/conftest.py when the blog is installed."""

import io

import pytest
from django.core.management import call_command

from blog.models import ArticlePage, BlogIndexPage, HomePage


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The seed site, built once per test database: each test's transaction is rolled back
    to it, so a test may change it freely."""
    with django_db_blocker.unblock():
        call_command("load_seed_content", stdout=io.StringIO())


@pytest.fixture
def seeded(db):
    # A browser test (a transactional test) empties the tables behind it; seed again then.
    if not HomePage.objects.exists():
        call_command("load_seed_content", stdout=io.StringIO())


@pytest.fixture
def home(seeded) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def blog_index(seeded) -> BlogIndexPage:
    return BlogIndexPage.objects.get(slug="blog")


@pytest.fixture
def back_pain_article(seeded) -> ArticlePage:
    return ArticlePage.objects.get(slug="physical-therapist-for-back-pain")


@pytest.fixture
def knee_pain_article(seeded) -> ArticlePage:
    return ArticlePage.objects.get(slug="knee-pain-physical-therapy")


@pytest.fixture
def cached_view(client, site_queries):
    """Two anonymous views; the second must come from the caches, without any SQL but the
    versions' read."""

    def view(client_or_url, url=None):
        viewer, url = (client, client_or_url) if url is None else (client_or_url, url)
        viewer.get(url)
        with site_queries() as queries:
            response = viewer.get(url)
        assert response.status_code == 200
        assert queries.sql == []
        return response

    return view
