"""The queue's search stays quick at a million comments: on PostgreSQL, migration 0018 gives
each searched field a trigram index on the very expression Django's ``icontains`` writes, and
the search reads them; on SQLite the migration does nothing."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Q

from comments.admin_listing import MatchingIds
from comments.models import Comment
from comments.viewsets import CommentViewSet
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

search_indexes = importlib.import_module("comments.migrations.0018_search_indexes")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's no-op")


def table_indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Comment._meta.db_table)


def search_condition(query: str) -> Q:
    """The queue's search, as Wagtail's IndexView builds it from the viewset's search_fields."""
    condition = Q()
    for field in CommentViewSet.search_fields:
        condition |= Q(**{f"{field}__icontains": query})
    return condition


def queue_search(query: str):
    """The search as the queue runs it: the matching ids collected first."""
    return Comment.objects.filter(MatchingIds(Comment.objects.filter(search_condition(query))))


def test_every_searched_field_has_its_trigram_index():
    """A field added to the search without an index would scan the whole table again."""
    indexed = {
        name.removeprefix("comment_search_").removesuffix("_trgm")
        for name in search_indexes.SEARCH_INDEXES
    }
    assert indexed == {"name", "email", "website", "body", "ip"}
    assert set(CommentViewSet.search_fields) == {"name", "email", "website", "body", "ip_address"}


@on_sqlite
def test_the_migration_does_nothing_on_sqlite():
    """The test database went through 0018: no trigram index, and neither direction of the
    migration sends SQLite a single statement."""
    assert not [name for name in table_indexes() if name.endswith("_trgm")]
    sent = []
    editor = SimpleNamespace(connection=connection, execute=sent.append)
    search_indexes.create_search_indexes(None, editor)
    search_indexes.drop_search_indexes(None, editor)
    assert sent == []


@on_postgresql
def test_the_migration_creates_the_trigram_indexes_on_postgresql():
    indexes = table_indexes()
    for name in search_indexes.SEARCH_INDEXES:
        assert indexes[name]["type"] == "gin", name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    # Reversible: dropped, then created again as the migration does.
    with connection.schema_editor() as editor:
        search_indexes.drop_search_indexes(None, editor)
    assert not [name for name in table_indexes() if name.endswith("_trgm")]
    with connection.schema_editor() as editor:
        search_indexes.create_search_indexes(None, editor)
    assert set(search_indexes.SEARCH_INDEXES) <= set(table_indexes())


@on_postgresql
@pytest.mark.parametrize("query", ["sciatica", "Findme", "needle@", "203.0.113"])
def test_the_search_reads_the_trigram_indexes_on_postgresql(commented_page, query):
    """Each OR'ed condition matches its index's expression, so the plan can combine the
    indexes (a BitmapOr) instead of reading every comment. With a handful of rows PostgreSQL
    would rightly prefer a scan: plain and index scans are switched off to see whether the
    trigram indexes can answer (the million-row bench, bench/queue_scale.py, checks the real
    plans)."""
    make_comment(commented_page, name="Findme", body="sciatica", ip_address="203.0.113.9")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = queue_search(query)[:20].explain()
    assert "ANY" in plan  # the matches collected first, then only they are sorted
    for name in search_indexes.SEARCH_INDEXES:
        assert name in plan, (name, plan)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("findme", {"by name"}),
        ("NEEDLE@EXAMPLE", {"by email"}),
        ("haystack.example", {"by website"}),
        ("Sciatica", {"by body"}),
        ("203.0.113", {"by ip"}),
        ("2001:DB8", {"by ipv6"}),
        ("nothing-matches", set()),
    ],
)
def test_the_search_finds_by_each_field_whatever_the_case(commented_page, query, expected):
    """The same answers on SQLite and PostgreSQL (CI runs this file on both)."""
    make_comment(commented_page, body="by name", name="FindMe Reader")
    make_comment(commented_page, body="by email", email="needle@example.com")
    make_comment(commented_page, body="by website", website="https://haystack.example/x")
    make_comment(commented_page, body="by body: sciatica again")
    make_comment(commented_page, body="by ip", ip_address="203.0.113.9")
    make_comment(commented_page, body="by ipv6", ip_address="2001:db8::1")
    plain = Comment.objects.filter(search_condition(query))
    found = {body.split(":")[0] for body in queue_search(query).values_list("body", flat=True)}
    assert found == expected
    # The same comments as Wagtail's plain search, in the same order.
    assert list(queue_search(query).values_list("pk", flat=True)) == list(
        plain.values_list("pk", flat=True)
    )
