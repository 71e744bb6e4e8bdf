"""The comments app ships complete German, French, Spanish and Dutch catalogues, compiled, and
every template sentence is marked for translation.

Regenerating the catalogues (from inside ``comments/``, so only the app's strings go in)::

    cd comments
    ../.venv/bin/python ../manage.py makemessages -l de -l fr -l es -l nl \\
        --add-location=file --no-obsolete
    # translate the new or changed entries (no "#, fuzzy" may stay), then
    ../.venv/bin/python ../manage.py compilemessages
"""

from __future__ import annotations

import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import comments
from comments import messages
from tests.support.i18n import (
    placeholders,
    po_catalogue,
    read_po,
    templates_under,
    untranslated_text,
)

APP = Path(comments.__file__).parent
TEMPLATES = APP / "templates"
LANGUAGES = {
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
}


def catalogue(language: str) -> Path:
    return APP / "locale" / language / "LC_MESSAGES" / "django.po"


def template_name(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    header, *entries = read_po(catalogue(language))
    assert f"Language: {language}\n" in header.msgstr[0]
    assert f"Plural-Forms: {LANGUAGES[language]}\n" in header.msgstr[0]
    assert entries
    problems = []
    for entry in entries:
        if entry.obsolete:
            problems.append(f"obsolete: {entry.msgid!r}")
        elif not entry.translated:
            problems.append(f"untranslated or fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural is None:
            if placeholders(entry.msgstr[0]) != placeholders(entry.msgid):
                problems.append(f"placeholders differ: {entry.msgid!r} → {entry.msgstr[0]!r}")
        else:
            if len(entry.msgstr) != 2:
                problems.append(f"not two plural forms: {entry.msgid!r}")
            for source, text in zip([entry.msgid, entry.msgid_plural], entry.msgstr, strict=False):
                if placeholders(text) != placeholders(source):
                    problems.append(f"placeholders differ: {source!r} → {text!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_source_catalogue(language):
    """The committed .mo (what Django and the package read) says what the .po says."""
    source = catalogue(language)
    with source.with_suffix(".mo").open("rb") as compiled:
        loaded = gettext.GNUTranslations(compiled)
    compiled_messages = {key: text for key, text in loaded._catalog.items() if key != ""}
    assert compiled_messages == po_catalogue(read_po(source)), (
        f"{source.with_suffix('.mo')} is out of date: run compilemessages in comments/"
    )


def test_the_catalogues_hold_exactly_the_marked_strings(tmp_path, monkeypatch):
    """makemessages over a copy of the app finds no string the catalogues lack, and the
    catalogues keep none the code no longer uses."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext is needed to extract messages: apt-get install gettext")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "comments"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["de"], keep_pot=True, verbosity=0)
    extracted = {entry.key for entry in read_po(copy / "locale" / "django.pot") if entry.msgid}
    for language in LANGUAGES:
        kept = {entry.key for entry in read_po(catalogue(language)) if entry.msgid}
        assert sorted(extracted - kept, key=str) == [], f"{language}: not in the catalogue"
        assert sorted(kept - extracted, key=str) == [], f"{language}: no longer in the code"


def test_every_converted_template_marks_its_text_for_translation():
    found = [
        str(problem)
        for path in templates_under(TEMPLATES)
        for problem in untranslated_text(path, template_name(path))
    ]
    assert found == []


def test_django_serves_the_app_messages_in_each_language():
    for language in LANGUAGES:
        with translation.override(language):
            assert str(messages.LEAVE_A_REPLY) != "Leave a Reply"
            assert messages.THREADS_HEADING % {"count": 2, "title": "T"} != "2 Replies to “T”"


# The scanner itself --------------------------------------------------------------------------


def scan(tmp_path: Path, source: str, name: str = "page.html") -> list[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return [str(problem) for problem in untranslated_text(path, name)]


def test_scanner_finds_text_and_visible_attributes_outside_translate_tags(tmp_path):
    source = (
        "{% load i18n %}<h1>Hello {{ name }}</h1>\n"
        '<img src="x.png" alt="A photo">\n'
        '<nav aria-label="Pages"><a href="/" title="{% translate "Home" %}">1</a></nav>\n'
        '<input type="submit" value="Send"><input type="hidden" name="a" value="secret">\n'
        '<button value="yes" class="big words">OK</button>\n'
        '<span data-role="menu" class="many words">·</span>'
    )
    assert scan(tmp_path, source) == [
        "page.html:1: 'Hello …'",
        "page.html:2 (alt): 'A photo'",
        "page.html:3 (aria-label): 'Pages'",
        "page.html:4 (value): 'Send'",
        "page.html:5: 'OK'",
    ]


def test_scanner_accepts_translated_commented_and_scripted_text(tmp_path):
    source = (
        "{% load i18n %}{# A note for developers #}\n"
        "<p>{% translate 'Hello' %} · {{ text.REPLY }} *</p>\n"
        "{% blocktranslate count counter=n %}{{ counter }} reply{% plural %}"
        "{{ counter }} replies{% endblocktranslate %}\n"
        "{% comment %}Old markup<p>Gone</p>{% endcomment %}\n"
        "<script>var label = 'Not for people';</script><style>p::after{content:'x'}</style>\n"
        "<p>reCAPTCHA</p>"
    )
    assert scan(tmp_path, source) == []


def test_scanner_reports_lines_after_multi_line_tags(tmp_path):
    source = "{% blocktranslate trimmed %}\nOne\ntwo\n{% endblocktranslate %}\n<p>\nLeft over</p>"
    assert scan(tmp_path, source) == ["page.html:6: 'Left over'"]


def test_scanner_reads_every_line_of_a_plain_text_email(tmp_path):
    source = "{{ intro }}\n\n-- \n{{ text.EMAIL_LABEL_READ }}: {{ url }}\nSent by robots\n"
    assert scan(tmp_path, source, "mail.txt") == ["mail.txt:5: 'Sent by robots'"]


def test_scanner_finds_sentences_in_tag_and_filter_arguments(tmp_path):
    source = (
        '{% load i18n %}{% panel id="pending-comments" heading="Comments" %}{% endpanel %}\n'
        '{{ note|default:"No comments yet" }} {{ created|date:"j M Y, H:i" }}\n'
        '{% if status == "pending" %}{% include "x.html" with label=_("Marked text") %}'
        "{% endif %}\n"
        '{{ count }} repl{{ count|pluralize:"y,ies" }}'
    )
    assert scan(tmp_path, source) == [
        "page.html:1 (argument): 'Comments'",
        "page.html:2 (argument): 'No comments yet'",
        "page.html:4: '… repl…'",
        "page.html:4 (pluralize): 'count|pluralize:\"y,ies\"'",
    ]
