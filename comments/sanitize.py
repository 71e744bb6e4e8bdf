"""The one place that decides which HTML a reader's comment may carry.

bleach pitfalls this module avoids (measured with bleach 6.4): ``linkify()`` alone sanitises
nothing; linkify *then* clean drops ``rel``; the default linkify pattern turns ``ssh:``,
``feed:`` and ``data:`` text into links. So cleaning and linkifying happen in one pass, with an
http(s)-only URL pattern and a callback that sets ``rel`` on every link, old and new.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i",
        "li", "ol", "p", "pre", "q", "s", "strong", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "q": ["cite"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_PASSES = 4
LINKIFY_URL_RE = build_url_re(protocols=["http", "https"])

# Chunks of text that already start with a block element are not wrapped in <p>.
BLOCK_START = re.compile(r"^\s*<(p|ul|ol|pre|blockquote)[\s>]", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
BLANK_LINES = re.compile(r"\n\s*\n\s*")
# C0/C1 control characters other than tab and newline; NUL included.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Blanks that are not whitespace to Python: zero-width and joiner characters, soft hyphen,
# and the fillers drawn as nothing (Hangul fillers, Khmer inherent vowels, Braille blank).
INVISIBLE_CHARACTERS = re.compile(
    r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f"
    r"\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]+"
)
TAG = re.compile(r"<[^>]*>")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs"})  # format characters, space separators


def set_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[set_link_rel],
            url_re=LINKIFY_URL_RE,
            parse_email=False,
            skip_tags={"pre", "code"},
        )
    ],
)


def strip_control_characters(text: str) -> str:
    """Line endings become \\n; other control characters (NUL too) are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text)


def is_blank(text: str) -> bool:
    """True when only whitespace, zero-width or other invisible characters remain."""
    visible = INVISIBLE_CHARACTERS.sub("", text)
    # Stops at the first visible character: a real comment is decided by its first letter.
    return not any(unicodedata.category(ch) not in INVISIBLE_CATEGORIES for ch in visible)


def paragraphs(text: str) -> str:
    """Blank lines separate paragraphs and single line breaks become <br>, as WordPress does."""
    chunks = [chunk.strip() for chunk in PARAGRAPH_BREAK.split(text.strip())]
    html_chunks = []
    for chunk in chunks:
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            html_chunks.append(chunk)
        else:
            html_chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(html_chunks)


def _sanitize_once(text: str) -> str:
    # bleach leaves a newline where it strips a block tag; fold the blank lines that leaves.
    return BLANK_LINES.sub("\n", _cleaner.clean(paragraphs(text)))


def sanitize_comment(raw: str) -> str:
    """The HTML shown for a comment body: allowed tags only, links rel'd, paragraphs made.

    Repeated until nothing changes (twice, nearly always), so that sanitising stored HTML
    again, e.g. by ``resanitize_comments``, never alters it: escaped half-tags and stripped
    block tags would otherwise gain paragraphs on the second pass.
    """
    html = _sanitize_once(strip_control_characters(raw))
    for _ in range(MAX_PASSES):
        again = _sanitize_once(html)
        if again == html:
            break
        html = again
    return html


def visible_text(html: str) -> str:
    return TAG.sub("", html)


def count_links(html: str) -> int:
    return html.count("<a ")
