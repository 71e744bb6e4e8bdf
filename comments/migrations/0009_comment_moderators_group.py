"""Moves a site that applied the first 0003 (which made Wagtail's "Moderators" group comment
moderators) to the app's own "Comment moderators" group.

Whoever could moderate comments through "Moderators" keeps that through the new group, and
"Moderators" loses ``moderate_comment``, so a page moderator added from now on is not made a
comment moderator (nor e-mailed every held comment) without anyone deciding it. A site whose
"Moderators" group never held the permission (every new site) is left as it is."""

import importlib

from django.db import migrations, models

OLD_GROUP_NAME = "Moderators"
first_group = importlib.import_module("comments.migrations.0003_moderators_group")


def move_comment_moderators(apps, schema_editor):
    group, moderate = first_group.comment_moderators_group(apps)
    old_group = (
        apps.get_model("auth", "Group")
        .objects.filter(name=OLD_GROUP_NAME, permissions=moderate)
        .first()
    )
    if old_group is not None:
        group.user_set.add(*old_group.user_set.all())
        old_group.permissions.remove(moderate)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0008_admin_names_and_help"),
    ]

    operations = [
        migrations.RunPython(move_comment_moderators, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="discussionsettings",
            name="notify_moderators",
            field=models.BooleanField(
                default=True,
                help_text="The members of the “Comment moderators” group and the users given "
                "“Can moderate reader comments”.",
                verbose_name="email comment moderators about comments held for moderation",
            ),
        ),
    ]
