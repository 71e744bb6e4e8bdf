"""The moderation queue at a million comments: small B-tree indexes for the tab counts and the
page filter's total (every database), trigram indexes for its search (PostgreSQL only).

The queue searches with ``icontains`` (a substring anywhere), which Django writes on
PostgreSQL as ``UPPER("comments_comment"."<field>"::text) LIKE UPPER('%q%')`` (``HOST(...)``
for the IP address). No B-tree helps a leading ``%``; a GIN index with ``pg_trgm``'s operator
class on exactly that expression does, so each indexed expression below is the one Django
generates. ``pg_trgm`` ships with PostgreSQL (Debian's ``postgresql`` package included);
creating it needs the right to create extensions in the database, as a superuser or the
database's owner on PostgreSQL 13 and later has. SQLite and other databases get nothing: their
search stays a scan.
"""

from django.db import migrations, models

TABLE = "comments_comment"

# Index name -> the exact expression Django's icontains lookup writes for the field.
SEARCH_INDEXES = {
    "comment_search_name_trgm": f'UPPER("{TABLE}"."name"::text)',
    "comment_search_email_trgm": f'UPPER("{TABLE}"."email"::text)',
    "comment_search_website_trgm": f'UPPER("{TABLE}"."website"::text)',
    "comment_search_body_trgm": f'UPPER("{TABLE}"."body"::text)',
    "comment_search_ip_trgm": f'UPPER(HOST("{TABLE}"."ip_address"))',
}


def create_search_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in SEARCH_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_search_indexes(apps, schema_editor) -> None:
    # The extension stays: other apps of the database may use it.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0017_altcha"),
    ]

    operations = [
        # Every database: the tab counts' GROUP BY status reads this index only.
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["status"], name="comment_status"),
        ),
        # Every database: the exact total of the queue filtered by page.
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["page", "status"], name="comment_page_status"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
