from django.db import migrations, models


class Migration(migrations.Migration):
    """The queue filtered by page ("In response to", linked from the page editor), newest
    first: without this index PostgreSQL reads and sorts every comment of the page."""

    dependencies = [
        ("comments", "0004_created_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["page", "created", "id"], name="comment_page_created"),
        ),
    ]
