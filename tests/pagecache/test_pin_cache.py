"""Pinning and unpinning reach a cached page at once, as moderation does."""

import pytest

from comments.moderation import ACTIONS, apply_action
from comments.pinning import pin_comment, unpin_comment
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[True, False], ids=["full-page", "rendered"])
def full_page_cache(request, settings):
    settings.PAGECACHE_FULL_PAGE = request.param
    return request.param


def test_the_pick_shows_and_goes_at_once_on_a_cached_page(
    back_pain_article, client, moderator, cached_view, django_capture_on_commit_callbacks
):
    pick = make_comment(back_pain_article, body="Editors like this")
    make_comment(back_pain_article, parent=pick)
    assert b"Pinned by the editors" not in cached_view(back_pain_article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        pin_comment(pick.pk, moderator)
    pinned = client.get(back_pain_article.url).content.decode()
    assert "Pinned by the editors" in pinned and 'class="comment-pinned-mark"' in pinned
    assert b"Pinned by the editors" in cached_view(back_pain_article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        unpin_comment(pick.pk, moderator)
    assert b"Pinned by the editors" not in client.get(back_pain_article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        pin_comment(pick.pk, moderator)
    assert b"Pinned by the editors" in cached_view(back_pain_article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        apply_action(ACTIONS["spam"], [pick.pk], moderator)
    page = client.get(back_pain_article.url).content
    assert b"Pinned by the editors" not in page and b"Editors like this" not in page
