"""Migration 0017: the Discussion screen's reCAPTCHA on/off becomes the captcha choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Site

BEFORE = [("comments", "0016_blocks")]
AFTER = [("comments", "0017_altcha")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recaptcha_on_stays_recaptcha_and_off_becomes_none():
    default_site = Site.objects.get(is_default_site=True)
    other_site = Site.objects.create(
        hostname="other.example", root_page_id=default_site.root_page_id
    )
    old = migrate(BEFORE).get_model("comments", "DiscussionSettings")
    old.objects.create(site_id=default_site.pk, recaptcha_enabled=True)
    old.objects.create(site_id=other_site.pk, recaptcha_enabled=False)

    new = migrate(AFTER).get_model("comments", "DiscussionSettings")
    captcha_of = dict(new.objects.values_list("site_id", "captcha"))
    assert captcha_of == {default_site.pk: "recaptcha", other_site.pk: "none"}

    new.objects.filter(site_id=other_site.pk).update(captcha="altcha")
    reverted = migrate(BEFORE).get_model("comments", "DiscussionSettings")
    switch_of = dict(reverted.objects.values_list("site_id", "recaptcha_enabled"))
    assert switch_of == {default_site.pk: True, other_site.pk: False}
    # Back to the newest migrations (not only 0017): later tests need every table.
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
