"""Translation tooling for the tests, in the standard library alone (no gettext on the path):
a reader for ``.po`` catalogues and a scanner that finds template text not marked for
translation.

Run as a script, it lists the unmarked text of every template under the folders given
(default: the comments app's templates) and exits 1 if there is any::

    python -m tests.support.i18n [folder ...]
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

# PO catalogues ------------------------------------------------------------------------------


@dataclass
class Entry:
    """One message of a catalogue: ``msgstr`` holds one string, or one per plural form."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a C-style "..." string is a valid Python literal


def read_po(path: Path) -> list[Entry]:
    """The entries of a catalogue, its header (msgid "") first."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # which field a continuation line extends

    def finish() -> None:
        nonlocal current, flags
        if current is not None:
            entries.append(current)
        current, flags = None, set()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}: a string continues nothing: {raw!r}")
            name, index = target
            if index is None:
                setattr(current, name, getattr(current, name) + _unquote(line))
            else:
                current.msgstr[index] += _unquote(line)
            continue
        if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
            finish()
        if current is None:
            current = Entry(msgid="", flags=flags, obsolete=obsolete)
        if keyword == "msgctxt":
            current.msgctxt, target = _unquote(rest), ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid, target = _unquote(rest), ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural, target = _unquote(rest), ("msgid_plural", None)
        elif keyword.startswith("msgstr"):
            current.msgstr.append(_unquote(rest))
            target = ("msgstr", len(current.msgstr) - 1)
        else:
            raise ValueError(f"{path}: unknown line {raw!r}")
    finish()
    return entries


def po_catalogue(entries: list[Entry]) -> dict:
    """The translations as ``gettext.GNUTranslations`` keeps a compiled catalogue: keys are
    the msgid (``ctxt\\x04msgid`` with a context), or (msgid, n) for each plural form."""
    catalogue: dict = {}
    for entry in entries:
        if entry.obsolete or not entry.translated or not entry.msgid:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            catalogue[key] = entry.msgstr[0]
        else:
            for index, text in enumerate(entry.msgstr):
                catalogue[(key, index)] = text
    return catalogue


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def placeholders(text: str) -> list[str]:
    """The printf-style fields of a message, ``%(name)s`` and ``%d`` alike, sorted."""
    return sorted(PLACEHOLDER.findall(text))


# Templates: text not marked for translation ---------------------------------------------------

# Attributes a person reads or hears (and the value of an input button: its label).
VISIBLE_ATTRIBUTES = frozenset(
    {"alt", "title", "placeholder", "aria-label", "aria-description", "aria-roledescription",
     "aria-valuetext", "label"}
)  # fmt: skip
BUTTON_INPUT_TYPES = frozenset({"submit", "button", "reset"})
# Text with letters that is not language (a brand, a symbol, a format), allowed anywhere.
NOT_LANGUAGE = frozenset({"reCAPTCHA"})
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
MARK = "\x00"  # stands for a template tag or variable in the text handed to the HTML parser

BLOCK_TRANSLATE_TAGS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}


@dataclass(frozen=True)
class Untranslated:
    template: str
    line: int
    text: str
    where: str  # "text" or the attribute's name

    def __str__(self) -> str:
        where = "" if self.where == "text" else f" ({self.where})"
        return f"{self.template}:{self.line}{where}: {self.text!r}"


def _shown(text: str) -> str:
    return " ".join(text.replace(MARK, "…").split())


def _is_language(text: str) -> bool:
    words = text.replace(MARK, " ").strip()
    return bool(LETTERS.search(words)) and words not in NOT_LANGUAGE


def template_skeleton(source: str) -> str:
    """The template with every tag, variable and translated block replaced by ``MARK`` and
    comments removed, line breaks kept: what is left as text was typed in one language."""
    out: list[str] = []
    closing: str | None = None  # inside a block whose text is translated or not shown
    for token in DebugLexer(source).tokenize():
        text = token.contents
        start, end = token.position
        line_breaks = "\n" * source.count("\n", start, end)
        if closing is not None:
            if token.token_type == TokenType.BLOCK and text.split()[:1] == [closing]:
                closing = None
            out.append(line_breaks)
        elif token.token_type == TokenType.TEXT:
            out.append(text)
        elif token.token_type == TokenType.BLOCK:
            name = text.split()[0] if text.split() else ""
            closing = BLOCK_TRANSLATE_TAGS.get(name) or SKIPPED_BLOCKS.get(name)
            out.append(("" if name in SKIPPED_BLOCKS else MARK) + line_breaks)
        elif token.token_type == TokenType.VAR:
            out.append(MARK + line_breaks)
        else:  # {# comment #}
            out.append(line_breaks)
    return "".join(out)


# A quoted literal in a tag or filter argument; ``_("...")`` marks it for translation.
LITERAL = re.compile(r"""(_\()?(?:"([^"\\]*)"|'([^'\\]*)')""")
# Tags whose arguments are translated or name things (templates, URLs), never shown as text.
UNSHOWN_ARGUMENT_TAGS = frozenset(
    {"translate", "trans", "blocktranslate", "blocktrans", "load", "extends", "include", "url",
     "static", "block", "endblock", "csrf_token", "comment", "verbatim"}
)  # fmt: skip


def _reads_as_language(literal: str) -> bool:
    """Words a person reads ("Older comments", "Comments"), not a key, path or format
    ("pending", "comments/x.html", "j M Y")."""
    if re.search(r"[^\W\d_]{2,}", literal) is None:
        return False
    return " " in literal.strip() or re.fullmatch(r"[A-Z][a-z]+", literal) is not None


def untranslated_arguments(source: str, name: str) -> list[Untranslated]:
    """Sentences typed into tag or filter arguments (``{% panel heading="Comments" %}``,
    ``|default:"No comments"``), and ``|pluralize``, which knows English plurals only."""
    found = []
    for token in DebugLexer(source).tokenize():
        if token.token_type == TokenType.VAR:
            if re.search(r"\|\s*pluralize\b", token.contents):
                found.append(Untranslated(name, token.lineno, token.contents, "pluralize"))
        elif token.token_type != TokenType.BLOCK:
            continue
        tag = token.contents.split()[0] if token.contents.split() else ""
        if token.token_type == TokenType.BLOCK and tag in UNSHOWN_ARGUMENT_TAGS:
            continue
        for marked, double, single in LITERAL.findall(token.contents):
            literal = double or single
            if not marked and _reads_as_language(literal) and literal not in NOT_LANGUAGE:
                found.append(Untranslated(name, token.lineno, literal, "argument"))
    return found


class _TextFinder(HTMLParser):
    def __init__(self, template: str) -> None:
        super().__init__(convert_charrefs=True)
        self.template = template
        self.found: list[Untranslated] = []
        self._hidden_depth = 0  # inside <script> or <style>

    def _report(self, text: str, where: str, line: int) -> None:
        if _is_language(text):
            self.found.append(Untranslated(self.template, line, _shown(text), where))

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self._hidden_depth += 1
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            is_button_label = (
                name == "value"
                and tag == "input"
                and (values.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if name in VISIBLE_ATTRIBUTES or is_button_label:
                self._report(value, name, line)

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data) -> None:
        if not self._hidden_depth:
            first = self.getpos()[0]
            for offset, line in enumerate(data.split("\n")):
                self._report(line, "text", first + offset)


def untranslated_text(path: Path, name: str | None = None) -> list[Untranslated]:
    """Visible text of one template that no ``{% translate %}`` / ``{% blocktranslate %}``
    carries. Variables count as translated: they hold sentences from ``messages.py``."""
    name = name or str(path)
    source = path.read_text(encoding="utf-8")
    skeleton = template_skeleton(source)
    if path.suffix == ".txt":  # e-mail bodies: every line is text
        found = [
            Untranslated(name, number, _shown(line), "text")
            for number, line in enumerate(skeleton.splitlines(), start=1)
            if _is_language(line)
        ]
    else:
        finder = _TextFinder(name)
        finder.feed(skeleton)
        finder.close()
        found = finder.found
    return sorted(found + untranslated_arguments(source, name), key=lambda item: item.line)


def templates_under(folder: Path) -> list[Path]:
    return sorted(
        path for path in folder.rglob("*") if path.suffix in (".html", ".txt") and path.is_file()
    )


def main(argv: list[str]) -> int:
    folders = [Path(arg) for arg in argv] or [Path("comments/templates")]
    found = [
        problem
        for folder in folders
        for path in templates_under(folder)
        for problem in untranslated_text(path, str(path.relative_to(folder)))
    ]
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} text(s) not marked for translation", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
