from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CacheVersion",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="key"
                    ),
                ),
                ("value", models.CharField(max_length=32, verbose_name="version")),
            ],
            options={
                "verbose_name": "page cache version",
                "verbose_name_plural": "page cache versions",
            },
        ),
    ]
