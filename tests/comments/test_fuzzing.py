"""Property tests (hypothesis): the sanitiser and the comment POST, fed arbitrary input.

The sanitiser must only ever emit allowed markup, be idempotent and keep a plain-text reader's
words; the comment form must answer every POST with a 4xx or a 303 and store only comments that
pass every validation rule. Examples are not saved (``database=None``) so no files are written.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from bleach._vendor import html5lib
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.validators import URLValidator, validate_email
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.models import Comment, CommentStatus
from comments.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    is_blank,
    sanitize_comment,
    strip_control_characters,
    visible_text,
)
from tests.factories import make_comment

SANITISER_SETTINGS = hypothesis_settings(max_examples=150, deadline=None, database=None)
HTTP_SETTINGS = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- Strategies: HTML-ish input built from hostile fragments -----------------------------------

DISALLOWED_TAGS = [
    "script", "style", "svg", "math", "mtext", "mglyph", "img", "iframe", "object", "embed",
    "form", "input", "button", "base", "link", "meta", "span", "div", "h1", "table", "td",
    "textarea", "title", "noscript", "template", "xmp", "noembed", "select", "marquee",
    "plaintext", "foreignObject", "annotation-xml", "image", "use", "animate", "set",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "href", "src", "cite", "title", "rel", "target", "onclick", "onerror", "onload",
    "onmouseover", "style", "srcdoc", "action", "formaction", "xlink:href", "data-x", "class",
]  # fmt: skip
ATTRIBUTE_VALUES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:alert(1)", "&#0000106avascript:alert(1)", "java\tscript:alert(1)",
    "java&#9;script:alert(1)", "java&Tab;script:alert(1)", " javascript:alert(1)",
    "\x01javascript:alert(1)", "javascript&colon;alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>", "http://ok.example/", "HTTPS://OK.EXAMPLE/a",
    "https://ok.example/?a=1&b=2", "mailto:me@example.com", "feed:javascript:alert(1)",
    "ftp://files.example/", "//evil.example/x", "/relative/path", "#fragment", "",
    'x" onmouseover="alert(1)', "x' onmouseover='alert(1)", "background:url(javascript:alert(1))",
    "expression(alert(1))", "alert(1)", "Physical therapy",
]  # fmt: skip
SPECIAL_FRAGMENTS = [
    "<!--", "-->", "<!-- hidden -->", "<!--<script>alert(1)</script>-->", "<![CDATA[", "]]>",
    "<![CDATA[<script>alert(1)</script>]]>", "&lt;", "&gt;", "&#60;", "&#x3C;", "&amp;", "&",
    "&#0;", "&#xD800;", "&nbsp;", "&quot;", "<", ">", "</", "=", '"', "'", "/", "\n", "\n\n",
    "\r\n\r\n", "\t", "\x00", "\x0b", "\u200b", "<?php echo 1 ?>", "<!DOCTYPE html>",
    "<br>", "<br/>", "<p>", "</p>", "https://example.com/a?b=1", "www.example.org",
    "ssh://host.example", "data:text/html,hi", "me@example.com",
]  # fmt: skip

tag_names = st.sampled_from(sorted(ALLOWED_TAGS) + DISALLOWED_TAGS).flatmap(
    lambda name: st.sampled_from([name, name.upper(), name.capitalize()])
)


@st.composite
def attributes(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTE_NAMES))
    if draw(st.booleans()) and draw(st.booleans()):
        return f" {name}"
    value = draw(st.one_of(st.sampled_from(ATTRIBUTE_VALUES), st.text(max_size=12)))
    quote = draw(st.sampled_from(['"', "'", ""]))
    return f" {name}={quote}{value}{quote}"


@st.composite
def open_tags(draw) -> str:
    attrs = "".join(draw(st.lists(attributes(), max_size=3)))
    end = draw(st.sampled_from([">", ">", "/>", ""]))  # "" leaves the tag unclosed
    return f"<{draw(tag_names)}{attrs}{end}"


close_tags = st.builds(
    lambda name, end: f"</{name}{end}", tag_names, st.sampled_from([">", ">", ""])
)
html_fragments = st.one_of(
    open_tags(),
    close_tags,
    st.sampled_from(SPECIAL_FRAGMENTS),
    st.text(max_size=15),
    st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True),
)
html_ish = st.lists(html_fragments, max_size=30).map("".join)
any_text = st.one_of(st.text(max_size=300), html_ish, html_ish)

# --- Strategies: plain text (no <, > or &) ------------------------------------------------------

PLAIN = st.characters(exclude_characters="<>&")
plain_words = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Z", "C"), exclude_characters="<>&"),
            min_size=1, max_size=12),
    st.sampled_from(["https://example.com/a?b=1", "http://ok.example/x.", "www.example.org",
                     "ssh://host.example", "me@example.com", "(https://example.com)"]),
)  # fmt: skip
plain_separators = st.sampled_from(
    [" ", " ", "\n", "\n\n", "\n \n", "\r\n", "\r", "\t", "\x00", "\x0b", "\x0c", "\x1f", "\x85",
     "\x9f", "\u00a0", "\u2028", "\u2029", "\u3000", "\u200b"]
)  # fmt: skip
plain_text = st.one_of(
    st.text(alphabet=PLAIN, max_size=300),
    st.lists(st.one_of(plain_words, plain_separators), max_size=40).map("".join),
)

# --- The checks ---------------------------------------------------------------------------------

URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads (WHATWG URL: outer C0/space trimmed, tab/newline removed)."""
    value = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE))
    match = URL_SCHEME.match(value)
    return match.group(1).lower() if match else None


def check_tag(parser: str, name: str, attrs: dict, html: str) -> None:
    assert name in ALLOWED_TAGS, (parser, name, html)
    allowed = ALLOWED_ATTRIBUTES.get(name, []) + (["rel"] if name == "a" else [])
    for attribute, value in attrs.items():
        assert attribute in allowed, (parser, name, attribute, html)
        if attribute in ("href", "cite"):
            # A relative URL (no scheme) is allowed by bleach and harmless.
            scheme = url_scheme(value)
            assert scheme is None or scheme in ALLOWED_PROTOCOLS, (parser, value, html)
    if name == "a" and "href" in attrs:
        assert attrs.get("rel") == "nofollow ugc noopener", (parser, attrs, html)


def assert_safe(html: str) -> None:
    """Allowed tags and attributes only, no URL with another scheme and no comment, as read by
    Python's html.parser (as test_sanitize does) and by html5lib in a <div> (as a browser)."""
    soup = BeautifulSoup(html, "html.parser", multi_valued_attributes=None)
    for tag in soup.find_all(True):
        check_tag("html.parser", tag.name, tag.attrs, html)
    # html5lib is not installed on its own here: bleach's vendored copy is the same parser.
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment:
            continue
        assert isinstance(element.tag, str), ("html5lib: comment or other node", html)
        check_tag("html5lib", element.tag, dict(element.attrib), html)


def words_of(text: str) -> list[str]:
    return text.split()


def text_of(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


# --- 1. The sanitiser ---------------------------------------------------------------------------


@SANITISER_SETTINGS
@given(any_text)
def test_sanitised_output_carries_only_allowed_markup(raw):
    assert_safe(sanitize_comment(raw))


@SANITISER_SETTINGS
@example("a<div><div>b")  # stripped block tags once left blank lines that grew on each pass
@example("<DIV><DIV>")
@example("<BLOCKQUOTE 0")  # escaped half-tag: wrapped in a paragraph only on the second pass
@given(any_text)
def test_sanitising_is_idempotent(raw):
    once = sanitize_comment(raw)
    assert sanitize_comment(once) == once


@SANITISER_SETTINGS
@given(plain_text)
def test_plain_text_keeps_every_word_in_order(raw):
    html = sanitize_comment(raw)
    assert_safe(html)
    expected = words_of(strip_control_characters(raw))
    shown = text_of(html)
    for word in expected:
        assert word in shown, (word, html)
    # Only tags and whitespace are added around plain text: the words are exactly the input's.
    assert words_of(shown) == expected


# --- 2. The comment form over HTTP ---------------------------------------------------------------

ACCEPTED_STATUSES = {303, 400, 409, 413, 429}
CONTROL_CHARACTERS = st.characters(categories=["Cc"])
INVISIBLE = st.characters(categories=["Cc", "Zs", "Zl", "Zp", "Cf"])


def huge(alphabet: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[str]:
    """Up to ~20k characters, built by repetition (hypothesis draws long text slowly)."""
    return st.builds(
        lambda chunk, times: (chunk * times)[:20_000],
        alphabet or st.text(min_size=1, max_size=8),
        st.integers(1, 20_000),
    )


def nasty(max_size: int = 200) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=INVISIBLE, max_size=40),
        st.lists(st.one_of(st.text(max_size=8), CONTROL_CHARACTERS), max_size=20).map("".join),
        huge(),
    )


names = st.one_of(
    st.just("Jane Reader"),
    st.sampled_from(["x" * 100, "x" * 101, " x" * 60, "Jane\x00Reader", "Jane\nReader\t",
                     "\u200b", "\u00a0\u3000", "Ja\u0085ne", "\x7f\x9f"]),
    nasty(150),
)  # fmt: skip
emails = st.one_of(
    st.just("jane@example.com"),
    st.emails(),
    st.sampled_from(["jane@example.com\x00", "jane\n@example.com", " jane@example.com ",
                     "jane@exämple.com", "jäne@example.com", "a" * 64 + "@" + "b" * 185 + ".com",
                     "a" * 64 + "@" + "b" * 186 + ".com", "jane@localhost", "@example.com",
                     "jane@[127.0.0.1]", "jane@example.com\u200b", "\x1fjane@example.com"]),
    nasty(80),
)  # fmt: skip
websites = st.one_of(
    st.sampled_from(["", "https://example.com", "example.com", "HTTPS://EXAMPLE.COM/Path",
                     "javascript:alert(1)", "ftp://files.example", "//example.com",
                     "http://[::1]/", "http://exa mple.com", "https://" + "a" * 190 + ".com",
                     "https://" + "a" * 200 + ".com", "https://ex\x00ample.com",
                     "https://example.com/\u00e9\u200b", "data:text/html,hi", "https://xn--"]),
    nasty(80),
)  # fmt: skip
bodies = st.one_of(
    st.just("Thank you, this helped my back."),
    st.sampled_from(["\u200b\u200b", "<p></p>", "<script></script>", "<br>", "&nbsp;",
                     "x" * 8000, "x" * 8001, "<b>" * 3000, "\x00\x01\x02"]),
    html_ish,
    plain_text,
    nasty(300),
)  # fmt: skip
APPROVED_PARENT, PENDING_PARENT, DEEPEST_PARENT, OTHER_PAGE_PARENT = (
    "<approved>", "<pending>", "<deepest>", "<other page>",
)  # fmt: skip
parents = st.one_of(
    st.sampled_from(["", "0", "-1", "1.0", "1e3", " 1 ", "\u0661", "\uff11", "9" * 30,
                     "9" * 5000, "NaN", "\x00", APPROVED_PARENT, PENDING_PARENT, DEEPEST_PARENT,
                     OTHER_PAGE_PARENT]),
    st.integers(-(2**70), 2**70).map(str),
    nasty(40),
)  # fmt: skip
remote_addrs = st.sampled_from(["127.0.0.1", "::1", "203.0.113.9", "", "not-an-ip"])


@pytest.fixture
def quiet_checks(settings):
    """Neither the flood interval, the rate limit nor reCAPTCHA answers in place of the form."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 10**6
    settings.COMMENTS_RECAPTCHA_ENABLED = False


@pytest.fixture
def parent_ids(commented_page, other_commented_page):
    """Comments a reply may name: approved, pending, at the maximum depth, on another page."""
    approved = make_comment(commented_page)
    pending = make_comment(commented_page, status=CommentStatus.PENDING)
    deepest = None
    for _ in range(5):  # thread depth 5: a reply to the fifth level is refused
        deepest = make_comment(commented_page, parent=deepest)
    other = make_comment(other_commented_page)
    return {
        APPROVED_PARENT: str(approved.pk),
        PENDING_PARENT: str(pending.pk),
        DEEPEST_PARENT: str(deepest.pk),
        OTHER_PAGE_PARENT: str(other.pk),
    }


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text)


def assert_valid_stored(comment: Comment, page) -> None:
    assert comment.page_id == page.pk
    assert not is_blank(comment.name) and len(comment.name) <= 100, repr(comment.name)
    assert not has_control_characters(comment.name), repr(comment.name)
    assert not is_blank(comment.body) and len(comment.body) <= 8000, repr(comment.body)
    assert not has_control_characters(comment.body), repr(comment.body)
    validate_email(comment.email)
    assert len(comment.email) <= 254, comment.email
    assert len(comment.website) <= 200, comment.website
    if comment.website:
        assert comment.website.startswith(("http://", "https://")), comment.website
        URLValidator(schemes=["http", "https"])(comment.website)
    assert comment.body_html == sanitize_comment(comment.body)
    assert_safe(comment.body_html)
    assert not is_blank(visible_text(comment.body_html))
    assert comment.status == CommentStatus.PENDING
    if comment.parent_id is not None:
        parent = comment.parent
        assert parent.page_id == page.pk and parent.status == CommentStatus.APPROVED
        assert parent.depth() < 5


VALID_FORM = {
    "name": "Jane Reader",
    "email": "jane@example.com",
    "website": "",
    "body": "Thank you, this helped my back.",
    "parent": "",
}
FUZZED_FIELDS = {
    "name": names,
    "email": emails,
    "website": websites,
    "body": bodies,
    "parent": parents,
}


@st.composite
def form_overrides(draw) -> dict[str, str]:
    """Some fields (a third each, so that many posts are accepted) fuzzed, the rest valid."""
    fuzzed = {field for field in FUZZED_FIELDS if draw(st.integers(0, 2)) == 2}
    fuzzed = fuzzed or {draw(st.sampled_from(sorted(FUZZED_FIELDS)))}
    return {
        field: draw(FUZZED_FIELDS[field]) if field in fuzzed else valid
        for field, valid in VALID_FORM.items()
    }


@pytest.mark.django_db
@HTTP_SETTINGS
@given(fields=form_overrides(), remote_addr=remote_addrs)
# Paths worth taking on every run: a reply, a body over MAX_POST_BYTES, an out-of-range parent.
@example(fields={**VALID_FORM, "parent": APPROVED_PARENT}, remote_addr="127.0.0.1")
@example(fields={**VALID_FORM, "body": "\U0001f600" * 20_000}, remote_addr="127.0.0.1")
@example(fields={**VALID_FORM, "parent": "9" * 30}, remote_addr="127.0.0.1")
@example(fields={**VALID_FORM, "name": "\x00" * 50, "body": "\x01\u200b"}, remote_addr="::1")
def test_any_post_is_answered_without_error_and_stores_only_valid_comments(
    quiet_checks, commented_page, parent_ids, post_comment, fields, remote_addr
):
    cache.clear()
    before = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    data = {**fields, "parent": parent_ids.get(fields["parent"], fields["parent"])}
    response = post_comment(commented_page, remote_addr=remote_addr, **data)
    assert response.status_code in ACCEPTED_STATUSES, response.status_code
    event(f"HTTP {response.status_code}")
    new = list(Comment.objects.filter(pk__gt=before))
    Comment.objects.filter(pk__gt=before).delete()  # independent examples: no 409 duplicates
    if response.status_code == 303:
        assert len(new) == 1
        assert_valid_stored(new[0], commented_page)
    else:
        assert new == []


@pytest.mark.django_db
@HTTP_SETTINGS
@given(body=st.one_of(html_ish, plain_text, nasty(300)), name=st.one_of(st.just("Jane"), names))
def test_accepted_comment_renders_safely_once_approved(
    quiet_checks, commented_page, post_comment, client, body, name
):
    """What the form accepts, approved, still renders (200) with only sanitised markup."""
    cache.clear()  # the article page is cached too
    response = post_comment(commented_page, body=body, name=name)
    assert response.status_code in ACCEPTED_STATUSES, response.status_code
    event(f"HTTP {response.status_code}")
    if response.status_code != 303:
        return
    comment = Comment.objects.order_by("-pk").first()
    try:
        assert_valid_stored(comment, commented_page)
        Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.APPROVED)
        cache.clear()
        page = client.get(commented_page.url)
        assert page.status_code == 200
        shown = BeautifulSoup(page.content, "html.parser").find(id=f"comment-{comment.pk}")
        assert shown is not None
        for rendered in shown.select(".comment-body"):
            assert_safe(rendered.decode_contents())
    finally:
        comment.delete()  # independent examples: no 409 duplicates


def test_url_scheme_reads_urls_as_a_browser_does():
    assert url_scheme(" java\tscript:alert(1)") == "javascript"
    assert url_scheme("\x01HTTPS://x") == "https"
    assert url_scheme("//evil.example/x:y") is None
    assert url_scheme("/path:x") is None
