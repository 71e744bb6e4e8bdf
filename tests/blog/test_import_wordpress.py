"""``import_wordpress``: a WordPress export's comments onto the pages their posts became."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from blog.models import ArticlePage
from comments.models import Comment, CommentStatus
from comments.signals import comments_changed, comments_written
from tests.blog.transfer_helpers import WXR_FILE, WXR_SOURCE, run, wxr, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def imported(comment_id: int) -> Comment:
    return Comment.objects.get(import_source=WXR_SOURCE, import_id=str(comment_id))


def test_comments_land_on_the_page_with_the_posts_slug(back_pain_article):
    output = run("import_wordpress", WXR_FILE)

    assert "Read 5 posts and 17 comments" in output
    assert "Imported 12 comments: 9 approved, 1 pending, 1 spam, 1 in the bin." in output
    assert set(Comment.objects.values_list("page_id", flat=True)) == {back_pain_article.pk}
    zoe = imported(101)
    assert (zoe.name, zoe.email, zoe.website) == (
        "Zoë Müller",
        "zoe@example.de",
        "https://zoe.example.de",
    )
    assert zoe.ip_address == "203.0.113.7"
    assert zoe.created == datetime.datetime(2023, 4, 12, 9, 15, tzinfo=UTC)  # the GMT date
    # WordPress exports no user agent; Akismet's record of the comment has it.
    assert zoe.user_agent.startswith("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)")
    assert imported(103).ip_address == "2001:db8::4a"


def test_statuses_follow_wordpress(back_pain_article):
    run("import_wordpress", WXR_FILE)

    assert imported(101).status == CommentStatus.APPROVED
    assert imported(105).status == CommentStatus.PENDING
    assert imported(106).status == CommentStatus.SPAM
    assert imported(108).status == CommentStatus.TRASH


def test_threads_are_rebuilt_whatever_the_order_and_depth(back_pain_article, client):
    run("import_wordpress", WXR_FILE)

    assert imported(104).parent == imported(107)  # the reply comes first in the file
    chain = [imported(number) for number in (101, 102, 103, 110, 111, 112, 113)]
    assert [comment.parent for comment in chain] == [None, *chain[:-1]]
    assert chain[-1].depth() == 7  # deeper than the default thread depth of 5
    html = client.get(back_pain_article.url).content.decode()
    # Shown nested at its depth, as the thread was, with no Reply link past the setting.
    assert f'class="comment-item depth-7" id="li-comment-{chain[-1].pk}"' in html
    assert f"replyto={chain[-1].pk}#respond" not in html
    assert f"replyto={chain[3].pk}#respond" in html


def test_bodies_are_sanitised_like_a_posted_comment(back_pain_article):
    run("import_wordpress", WXR_FILE)

    html = imported(103).body_html
    assert "<script" not in html and "<img" not in html and "onerror" not in html
    assert "<em>Danke!</em>" in html and "日本語" in html
    first = imported(101).body_html
    assert first.count("<p>") == 2 and "🙏" in first
    assert 'rel="nofollow ugc noopener"' in first
    assert "javascript:" not in imported(106).body_html
    assert "<br>" in imported(102).body_html  # WordPress's single line break


def test_pingbacks_are_skipped_unless_asked(back_pain_article):
    output = run("import_wordpress", WXR_FILE)
    assert "Skipped 1 pingback and trackbacks" in output
    assert not Comment.objects.filter(import_id="109").exists()

    run("import_wordpress", WXR_FILE, "--include-pingbacks")
    pingback = imported(109)
    assert pingback.name == "Running Blog » Back to running"


def test_a_second_run_imports_nothing_twice(back_pain_article):
    run("import_wordpress", WXR_FILE)
    before = Comment.objects.count()

    output = run("import_wordpress", WXR_FILE)

    assert Comment.objects.count() == before == 12
    assert "Imported 0 comments." in output and "Skipped 12 already imported." in output


def test_a_reply_in_a_later_export_finds_its_imported_parent(back_pain_article, tmp_path):
    first, later = tmp_path / "first.xml", tmp_path / "later.xml"
    slug = back_pain_article.slug
    first.write_text(wxr(wxr_item(slug, wxr_comment(1))))
    later.write_text(wxr(wxr_item(slug, wxr_comment(1) + wxr_comment(2, parent="1"))))
    run("import_wordpress", first)

    run("import_wordpress", later)

    reply = Comment.objects.get(import_id="2")
    assert reply.parent == Comment.objects.get(import_id="1")


def test_dry_run_prints_the_summary_and_writes_nothing(back_pain_article):
    output = run("import_wordpress", WXR_FILE, "--dry-run")

    assert "Imported 12 comments: 9 approved" in output
    assert "Dry run: nothing was written." in output
    assert not Comment.objects.exists()


def test_unmatched_posts_are_listed_with_their_slugs(back_pain_article):
    output = run("import_wordpress", WXR_FILE)

    assert "Skipped 4 comments of 2 posts matching no page" in output
    assert "post 57 'knee-pain': 2 comments" in output
    assert "post 63 'desk-stretches': 2 comments" in output
    assert "about" not in output  # a post without comments is no concern


def test_a_mapping_file_sends_posts_to_other_pages(back_pain_article, knee_pain_article, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "wordpress,wagtail\n"
        "https://old.example.org/2023/06/knee-pain/,/blog/knee-pain-physical-therapy/\n"
        f"63,{knee_pain_article.pk}\n"
    )

    output = run("import_wordpress", WXR_FILE, "--mapping", mapping)

    assert "match no page" not in output
    assert imported(201).page_id == imported(301).page_id == knee_pain_article.pk
    assert imported(202).parent == imported(201)


def test_a_json_mapping_by_slug(knee_pain_article, back_pain_article, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"knee-pain": knee_pain_article.pk}))

    run("import_wordpress", WXR_FILE, "--mapping", mapping)

    assert imported(201).page_id == knee_pain_article.pk


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("knee-pain,999999\n", "line 1: '999999' is not the id or URL path of a page"),
        ("knee-pain,/no/such/page/\n", "'/no/such/page/' is not the id or URL path"),
        ("a,b,c\n", "expected 2 columns, not 3"),
    ],
)
def test_a_bad_mapping_file_is_refused_before_anything_is_written(
    back_pain_article, tmp_path, content, message
):
    mapping = tmp_path / "map.csv"
    mapping.write_text(content)

    with pytest.raises(CommandError, match=message):
        run("import_wordpress", WXR_FILE, "--mapping", mapping)
    assert not Comment.objects.exists()


def test_a_mapping_to_a_page_that_takes_no_comments_is_refused(home, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"knee-pain": home.pk}))

    with pytest.raises(CommandError, match="not the id or URL path of a page that takes"):
        run("import_wordpress", WXR_FILE, "--mapping", mapping)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<rss><channel><item>", "not well-formed XML \\(line 1, column 20\\)"),
        ("<rss><channel></channel></rss>", "not a WordPress export"),
        (
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><rss>&lol;</rss>',
            "declares a DTD or entities",
        ),
    ],
)
def test_a_file_that_is_not_a_wordpress_export_is_refused(seeded, tmp_path, content, message):
    path = tmp_path / "export.xml"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        run("import_wordpress", path)


def test_a_missing_file_is_refused(seeded, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import_wordpress", tmp_path / "nope.xml")


def test_a_malformed_file_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<rss><channel>")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "is not well-formed XML" in result.stderr
    assert "Traceback" not in result.stderr


def test_comments_with_problems_are_reported_by_id(back_pain_article, tmp_path):
    comments = (
        wxr_comment(1, date_gmt="0000-00-00 00:00:00")
        + wxr_comment(2, content="   ")
        + wxr_comment(3, author_email="not an address", author_IP="999.1.1.1")
        + wxr_comment(4, parent="404")
        + wxr_comment(5, type="order_note")
    )
    path = tmp_path / "export.xml"
    path.write_text(wxr(wxr_item(back_pain_article.slug, comments)))

    output = run("import_wordpress", path)

    assert "comment 1: no date" in output
    assert "comment 2: empty comment" in output
    assert "comment 3: invalid e-mail 'not an address' left out" in output
    assert "comment 3: invalid IP address '999.1.1.1' left out" in output
    assert "comment 4: its parent 404 is not in the file" in output
    assert "Skipped 1 comment of type 'order_note'." in output
    assert set(Comment.objects.values_list("import_id", flat=True)) == {"3", "4"}
    assert Comment.objects.get(import_id="3").email == ""
    assert Comment.objects.get(import_id="4").parent is None


def test_an_unknown_status_is_held_for_moderation(back_pain_article, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(wxr(wxr_item(back_pain_article.slug, wxr_comment(1, approved="weird"))))

    run("import_wordpress", path)

    assert Comment.objects.get().status == CommentStatus.PENDING


def test_no_email_is_sent_and_caches_hear_once(
    back_pain_article, mailoutbox, django_capture_on_commit_callbacks
):
    written, changed = [], []

    def on_written(sender, page_ids, **kwargs):
        written.append(page_ids)

    def on_changed(sender, page_ids, approved_ids, **kwargs):
        changed.append((page_ids, approved_ids))

    comments_written.connect(on_written)
    comments_changed.connect(on_changed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run("import_wordpress", WXR_FILE)
    finally:
        comments_written.disconnect(on_written)
        comments_changed.disconnect(on_changed)

    assert written == [[back_pain_article.pk]]
    assert changed == [([back_pain_article.pk], [])]
    assert mailoutbox == []


def test_missing_pages_can_be_created(blog_index, back_pain_article):
    output = run(
        "import_wordpress", WXR_FILE,
        "--create-pages-under", blog_index.pk, "--page-model", "blog.ArticlePage",
        "--page-field", "author_name=The Clinic", "--page-field", "intro=From the old blog.",
    )  # fmt: skip

    page = ArticlePage.objects.get(slug="desk-stretches")
    assert "Created page" in output and "'Ten stretches for desk workers'" in output
    assert page.live and page.get_parent().specific == blog_index
    assert page.date == datetime.date(2022, 11, 2)
    assert page.first_published_at == datetime.datetime(2022, 11, 2, 10, tzinfo=UTC)
    assert page.search_description == "Stretches you can do at your desk."
    body = str(page.body[0].value)
    assert "<b>ten stretches</b>" in body or "<strong>ten stretches</strong>" in body
    assert "<li>Neck rolls</li>" in body and "tracker" not in body
    assert imported(301).page_id == page.pk
    assert not ArticlePage.objects.filter(slug__startswith="hello-world").exists()  # binned

    again = run(
        "import_wordpress", WXR_FILE,
        "--create-pages-under", blog_index.pk, "--page-model", "blog.ArticlePage",
        "--page-field", "author_name=The Clinic", "--page-field", "intro=From the old blog.",
    )  # fmt: skip
    assert "Created page" not in again
    assert ArticlePage.objects.filter(slug="desk-stretches").count() == 1


def test_creating_pages_names_the_fields_the_type_still_needs(blog_index, back_pain_article):
    with pytest.raises(CommandError, match="author_name: This field cannot be blank"):
        run(
            "import_wordpress", WXR_FILE,
            "--create-pages-under", blog_index.pk, "--page-model", "blog.ArticlePage",
        )  # fmt: skip
    assert not Comment.objects.exists()
    assert not ArticlePage.objects.filter(slug="desk-stretches").exists()


def test_a_dry_run_creates_no_page(blog_index, back_pain_article):
    output = run(
        "import_wordpress", WXR_FILE, "--dry-run",
        "--create-pages-under", blog_index.pk, "--page-model", "blog.ArticlePage",
        "--page-field", "author_name=The Clinic", "--page-field", "intro=From the old blog.",
    )  # fmt: skip

    assert "Created page" in output and "Dry run: nothing was written." in output
    assert not ArticlePage.objects.filter(slug="desk-stretches").exists()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--page-model", "blog.ArticlePage"], "go together"),
        (["--create-pages-under", "1", "--page-model", "blog.Nope"], "no such model"),
        (["--create-pages-under", "1", "--page-model", "blog.HomePage"], "not a page type that"),
        (["--create-pages-under", "999999", "--page-model", "blog.ArticlePage"], "no such page"),
    ],
)
def test_page_creation_options_are_checked(seeded, args, message):
    with pytest.raises(CommandError, match=message):
        run("import_wordpress", WXR_FILE, *args)


class Terminal:
    """A stdout that says it is a terminal, as an operator's shell is."""

    def __init__(self) -> None:
        self.written = []

    def write(self, text: str) -> None:
        self.written.append(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_a_progress_bar(back_pain_article):
    terminal = Terminal()
    call_command("import_wordpress", str(WXR_FILE), stdout=terminal)

    output = "".join(terminal.written)
    assert "\rWriting comments [------------------------------] 0/12" in output
    assert "\rWriting comments [##############################] 12/12" in output


@pytest.mark.parametrize(
    ("field", "message"),
    [("colour=red", "blog.ArticlePage has no field colour"), ("x", "expected NAME=VALUE")],
)
def test_page_fields_are_checked(blog_index, back_pain_article, field, message):
    with pytest.raises(CommandError, match=message):
        run(
            "import_wordpress", WXR_FILE, "--create-pages-under", blog_index.pk,
            "--page-model", "blog.ArticlePage", "--page-field", field,
        )  # fmt: skip
    assert not Comment.objects.exists()


def test_a_large_export_is_written_in_a_few_queries(
    back_pain_article, tmp_path, django_assert_max_num_queries
):
    """1,500 comments in threads three deep: one insert per level and batch, not per row."""
    comments = "".join(
        wxr_comment(number, parent=str(number - 1) if number % 3 else "0")
        for number in range(1, 1501)
    )
    path = tmp_path / "export.xml"
    path.write_text(wxr(wxr_item(back_pain_article.slug, comments)))

    # SQLite takes 999 parameters a statement (about 40 rows of a comment's columns); a query per
    # row would be 1,500.
    with django_assert_max_num_queries(56):
        run("import_wordpress", path)

    assert Comment.objects.count() == 1500
    assert Comment.objects.get(import_id="5").parent.parent == Comment.objects.get(import_id="3")
