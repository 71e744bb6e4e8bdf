"""Creates the app's own "Comment moderators" group: admin access plus the permission to
moderate comments. Wagtail's "Moderators" (page moderators) get nothing from this app.

Before 0009 this migration gave the permission to Wagtail's "Moderators" group; sites that
applied that version are moved over by 0009_comment_moderators_group."""

from django.db import migrations

GROUP_NAME = "Comment moderators"


def comment_moderators_group(apps):
    """The group with ``moderate_comment`` and admin access, created when missing."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    comment_type, _ = ContentType.objects.get_or_create(app_label="comments", model="comment")
    moderate, _ = Permission.objects.get_or_create(
        content_type=comment_type,
        codename="moderate_comment",
        defaults={"name": "Can moderate reader comments"},
    )
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(moderate, access_admin)
    return group, moderate


def create_comment_moderators_group(apps, schema_editor):
    comment_moderators_group(apps)


def remove_comment_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_discussion_settings_site_reply"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_comment_moderators_group, remove_comment_moderators_group)
    ]
