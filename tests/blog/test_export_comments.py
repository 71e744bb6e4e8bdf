"""``export_comments``: every comment as WXR or JSON, and back in again unchanged."""

from __future__ import annotations

import json

import pytest

from comments.models import Comment
from comments.transfer.wxr import read_wxr
from tests.blog.transfer_helpers import DISQUS_FILE, WXR_FILE, run

pytestmark = pytest.mark.django_db


def comparable() -> set[tuple]:
    """What a reader and a moderator see of every comment, with its thread by content."""
    rows = Comment.objects.select_related("parent").order_by("pk")
    return {
        (
            comment.page_id,
            comment.name,
            comment.email,
            comment.website,
            comment.ip_address,
            comment.created,
            comment.status,
            comment.body_html,
            (comment.parent.name, comment.parent.created) if comment.parent else None,
        )
        for comment in rows
    }


@pytest.fixture
def knee_mapping(tmp_path, knee_pain_article):
    mapping = tmp_path / "map.csv"
    mapping.write_text(f"57,{knee_pain_article.pk}\n63,{knee_pain_article.pk}\n")
    return mapping


@pytest.mark.parametrize("source", ["wordpress", "disqus"])
def test_an_export_imports_back_to_the_same_comments(
    back_pain_article, knee_mapping, tmp_path, source
):
    if source == "wordpress":
        run("import_wordpress", WXR_FILE, "--mapping", knee_mapping)
    else:
        run("import_disqus", DISQUS_FILE)
    before = comparable()
    exported = tmp_path / "export.xml"
    run("export_comments", "--output", exported)

    Comment.objects.all().delete()  # as a fresh site would start
    output = run("import_wordpress", exported)

    assert f"Imported {len(before)} comments" in output
    assert comparable() == before
    assert "Skipped" in run("import_wordpress", exported)  # and a second run adds nothing
    assert comparable() == before


def test_the_wxr_is_what_wordpress_reads(back_pain_article, knee_mapping, tmp_path):
    run("import_wordpress", WXR_FILE, "--mapping", knee_mapping)
    exported = tmp_path / "export.xml"
    run("export_comments", "--format", "wxr", "--output", exported)

    parsed = read_wxr(exported)

    assert parsed.label == "WordPress WXR 1.2"
    by_slug = {post.slug: post for post in parsed.posts}
    assert set(by_slug) == {back_pain_article.slug, "knee-pain-physical-therapy"}
    statuses = {comment.status for post in parsed.posts for comment in post.comments}
    assert statuses == {"approved", "pending", "spam", "trash"}
    text = exported.read_text()
    assert "<wp:comment_approved><![CDATA[spam]]></wp:comment_approved>" in text
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in text
    # Nothing a WordPress export does not carry.
    assert "Mozilla" not in text and "user_agent" not in text


def test_json_export_carries_the_same_fields(back_pain_article, tmp_path):
    run("import_wordpress", WXR_FILE)
    exported = tmp_path / "export.json"
    run("export_comments", "--format", "json", "--output", exported)

    data = json.loads(exported.read_text())

    (page,) = data["pages"]
    assert page["slug"] == back_pain_article.slug
    assert len(page["comments"]) == 12
    assert set(page["comments"][0]) == {
        "id", "parent", "author", "author_email", "author_url", "author_ip",
        "date_gmt", "content", "status",
    }  # fmt: skip
    by_author = {comment["author"]: comment for comment in page["comments"]}
    assert by_author["Cheap Meds Online"]["status"] == "spam"


def test_export_to_standard_output(back_pain_article):
    run("import_wordpress", WXR_FILE)

    assert "<wp:comment_author><![CDATA[Zoë Müller]]></wp:comment_author>" in run("export_comments")
