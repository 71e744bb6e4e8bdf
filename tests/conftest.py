import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import ArticlePage, BlogIndexPage, HomePage
from pagecache.memo import worker_memo


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate limits and cached pages live in the cache (and, for pages, in this process's
    memory of versioned values); every test starts without them."""
    cache.clear()
    worker_memo.clear()
    yield
    cache.clear()
    worker_memo.clear()


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
def moderator(django_user_model):
    """A member of the Comment moderators group, with an address for moderation e-mails."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "mod", email="mod@example.com", password="pw", first_name="Mo", last_name="Derator"
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


@pytest.fixture
def post_comment(client):
    """POSTs a valid comment (a form stamp made 10 s ago) with any field overridden."""
    import time

    from comments.tokens import make_form_stamp

    def post(page, follow=False, headers=None, remote_addr="127.0.0.1", **overrides):
        data = {
            "name": "Jane Reader",
            "email": "jane@example.com",
            "website": "",
            "body": "Thank you, this helped my back.",
            "stamp": make_form_stamp(page.pk, now=time.time() - 10),
            "parent": "",
            "honeypot": "",
        }
        data.update(overrides)
        data = {key: value for key, value in data.items() if value is not None}
        return client.post(
            f"/comments/post/{page.pk}/",
            data,
            follow=follow,
            headers=headers or {},
            REMOTE_ADDR=remote_addr,
        )

    return post


# The page cache's one read of its versions: from the database when the cache is each
# process's own memory (the default settings), from Redis otherwise.
VERSION_STORE_TABLE = "pagecache_cacheversion"


class SiteQueries(CaptureQueriesContext):
    """The SQL run inside the block, less the page cache's read of its versions."""

    @property
    def sql(self) -> list[str]:
        return [
            query["sql"]
            for query in self.captured_queries
            if VERSION_STORE_TABLE not in query["sql"]
        ]


@pytest.fixture
def site_queries():
    return lambda: SiteQueries(connection)


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
