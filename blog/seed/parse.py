"""Turns the commissioned article texts into StreamField blocks.

The texts are plain lines: a title, headings (short lines without closing punctuation),
paragraphs, and bullet lists whose items start with a bold lead ("Lead: detail").
A line equal to a known page's title becomes a Wagtail page link, so it survives moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape

SEED_DIR = Path(__file__).resolve().parent
BULLET = "\u2022"
FORM_MARKER = "Leave a Reply"  # the rest of the text is the comment form, not article text
SENTENCE_END = (".", "!", "?", ":", ";", ",")
MAX_HEADING_LENGTH = 80
LEAD_PATTERN = re.compile(r"^(?P<lead>[^:]{1,60}):\s+(?P<rest>.+)$")


@dataclass
class SeedText:
    title: str
    blocks: list[tuple[str, object]]
    intro: str


def _list_item(text: str) -> str:
    match = LEAD_PATTERN.match(text)
    if match:
        return f"<li><b>{escape(match['lead'])}:</b> {escape(match['rest'])}</li>"
    return f"<li>{escape(text)}</li>"


def first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def parse_seed_text(text: str, page_links: dict[str, int] | None = None) -> SeedText:
    """`page_links` maps a lower-cased line to the id of the page it should link to."""
    page_links = page_links or {}
    lines = [line.strip() for line in text.splitlines()]
    title = lines[0].strip()
    title = title[:1].upper() + title[1:]
    blocks: list[tuple[str, object]] = []
    bullets: list[str] = []
    intro = ""

    def flush_bullets() -> None:
        if bullets:
            blocks.append(("paragraph", "<ul>" + "".join(bullets) + "</ul>"))
            bullets.clear()

    for line in lines[1:]:
        if line == FORM_MARKER:
            break
        if not line:
            continue
        if line.startswith(BULLET):
            bullets.append(_list_item(line.lstrip(BULLET).strip()))
            continue
        flush_bullets()
        page_id = page_links.get(line.lower())
        if page_id is not None:
            blocks.append(
                ("paragraph", f'<p><a linktype="page" id="{page_id}">{escape(line)}</a></p>')
            )
        elif len(line) <= MAX_HEADING_LENGTH and not line.endswith(SENTENCE_END):
            blocks.append(("heading", {"text": line, "level": "h2"}))
        else:
            blocks.append(("paragraph", f"<p>{escape(line)}</p>"))
            intro = intro or first_sentence(line)
    flush_bullets()
    return SeedText(title=title, blocks=blocks, intro=intro)


def read_seed_file(name: str) -> str:
    return (SEED_DIR / name).read_text(encoding="utf-8")
