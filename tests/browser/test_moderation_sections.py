"""Settings > Groups: the "Comment moderation sections" panel in a real browser (Wagtail's
formset script adds and removes its rows, each a page chooser)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import ModerationSection

from .admin_helpers import WIDE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_page(new_context, seeded_site, django_user_model):
    user = django_user_model.objects.create_superuser("site-admin", "admin@example.com", "pw")
    client = Client()
    client.force_login(user)
    context = new_context(viewport=WIDE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": seeded_site.url,
            }
        ]
    )
    return context.new_page()


def test_a_section_is_added_and_removed_on_the_group_screen(admin_page, article):
    group = Group.objects.get(name="Comment moderators")
    ModerationSection.objects.create(group=group, page=article)
    page = admin_page
    page.goto(reverse("wagtailusers_groups:edit", args=[group.pk]))
    panel = page.locator("#comment-moderation-sections-section")
    expect(panel).to_contain_text("Comment moderation sections")
    expect(panel).to_contain_text(article.title)
    panel.get_by_role("button", name="Add a section").click()
    expect(panel.locator("tbody tr:not([hidden])")).to_have_count(2)
    expect(panel.locator("tbody tr").nth(1)).to_contain_text("Choose a page")
    # The new row stays empty: remove it and the existing section, then save.
    panel.locator("tbody tr").nth(1).get_by_role("button", name="Remove").click()
    panel.locator("tbody tr").nth(0).get_by_role("button", name="Remove").click()
    expect(panel.locator("tbody tr:not([hidden])")).to_have_count(0)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    assert not ModerationSection.objects.filter(group=group).exists()
