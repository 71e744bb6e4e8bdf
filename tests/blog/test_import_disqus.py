"""``import_disqus``: a Disqus export's posts onto the pages their threads were on."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError

from comments.models import Comment, CommentStatus
from tests.blog.transfer_helpers import DISQUS_FILE, WXR_FILE, run

pytestmark = pytest.mark.django_db


def imported(post_id: int) -> Comment:
    return Comment.objects.get(import_source="disqus:clinicblog", import_id=str(post_id))


def test_posts_land_on_the_page_at_the_threads_path(back_pain_article):
    output = run("import_disqus", DISQUS_FILE)

    assert "Read 2 posts and 5 comments from" in output and "(Disqus export)" in output
    assert "Imported 4 comments: 2 approved, 1 spam, 1 in the bin." in output
    marc = imported(5500000001)
    assert marc.page_id == back_pain_article.pk
    assert (marc.name, marc.email, marc.ip_address) == (
        "Marc Dupré",
        "marc@example.fr",
        "198.51.100.141",
    )
    assert marc.created == datetime.datetime(2023, 4, 12, 9, tzinfo=datetime.UTC)


def test_spam_and_deleted_posts_keep_their_state(back_pain_article):
    run("import_disqus", DISQUS_FILE)

    assert imported(5500000001).status == CommentStatus.APPROVED
    assert imported(5500000002).status == CommentStatus.SPAM
    assert imported(5500000004).status == CommentStatus.TRASH


def test_replies_find_parents_listed_after_them(back_pain_article):
    run("import_disqus", DISQUS_FILE)

    lena = imported(5500000003)
    assert lena.parent == imported(5500000001)
    assert imported(5500000004).parent == lena


def test_disqus_html_is_sanitised(back_pain_article):
    run("import_disqus", DISQUS_FILE)

    html = imported(5500000001).body_html
    assert 'target="_blank"' not in html and 'rel="nofollow ugc noopener"' in html
    assert "<script" not in imported(5500000002).body_html
    assert imported(5500000003).body_html.count("<p>") == 2


def test_an_unknown_thread_is_listed_and_a_rerun_adds_nothing(back_pain_article):
    output = run("import_disqus", DISQUS_FILE)
    assert "post 7812340099 'a-page-that-is-gone': 1 comment" in output

    again = run("import_disqus", DISQUS_FILE)

    assert "Skipped 4 already imported." in again
    assert Comment.objects.count() == 4


def test_a_wordpress_file_is_not_a_disqus_export(seeded):
    with pytest.raises(CommandError, match="not a Disqus export"):
        run("import_disqus", WXR_FILE)
