"""The Discussion screen's reCAPTCHA on/off becomes a captcha choice (none, reCAPTCHA, ALTCHA):
a site that had reCAPTCHA on keeps it, one that had it off gets none. Spent ALTCHA challenges
are kept to refuse their replay."""

from django.db import migrations, models


def captcha_from_switch(apps, schema_editor):
    DiscussionSettings = apps.get_model("comments", "DiscussionSettings")
    DiscussionSettings.objects.filter(recaptcha_enabled=False).update(captcha="none")
    DiscussionSettings.objects.filter(recaptcha_enabled=True).update(captcha="recaptcha")


def switch_from_captcha(apps, schema_editor):
    # ALTCHA has no place in the old switch: reCAPTCHA stays on only where it was chosen.
    DiscussionSettings = apps.get_model("comments", "DiscussionSettings")
    DiscussionSettings.objects.update(recaptcha_enabled=False)
    DiscussionSettings.objects.filter(captcha="recaptcha").update(recaptcha_enabled=True)


def deferred_checks_now(apps, schema_editor):
    """PostgreSQL refuses to ALTER a table whose rows this transaction changed while their
    deferred foreign-key checks are pending: run those checks now, between the data step and
    the schema step (both ways)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0016_blocks"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpentChallenge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("signature", models.CharField(max_length=128, unique=True)),
                ("expires", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "spent ALTCHA challenge",
            },
        ),
        migrations.AddField(
            model_name="discussionsettings",
            name="captcha",
            field=models.CharField(
                choices=[
                    ("none", "None"),
                    ("recaptcha", "reCAPTCHA (Google; needs its keys)"),
                    ("altcha", "ALTCHA (a proof of work the browser solves; no third party)"),
                ],
                default="recaptcha",
                help_text=(
                    "reCAPTCHA is used only when RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY "
                    "are set in the environment. ALTCHA needs no keys and sends nothing to "
                    "anyone: the reader's browser spends a second or two on a puzzle this site "
                    "checks itself."
                ),
                max_length=20,
                verbose_name="captcha",
            ),
        ),
        migrations.RunPython(deferred_checks_now, deferred_checks_now),
        migrations.RunPython(captcha_from_switch, switch_from_captcha),
        migrations.RunPython(deferred_checks_now, deferred_checks_now),
        migrations.RemoveField(
            model_name="discussionsettings",
            name="recaptcha_enabled",
        ),
    ]
