"""Template lint: every template of this project (the apps' and the site's folders) compiles.

Django parses a template only when a view first renders it; a misspelt tag, a filter whose
library is not loaded or an unclosed block would otherwise show only on that screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import TemplateSyntaxError, engines

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FOLDERS = sorted(
    folder
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    if folder.is_dir() and not folder.is_relative_to(ROOT / ".venv")
)


def project_templates() -> list[tuple[Path, str]]:
    """(folder, name) for every file under a templates folder, as a loader would name it."""
    return [
        (folder, path.relative_to(folder).as_posix())
        for folder in TEMPLATE_FOLDERS
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
    ]


def test_the_project_has_templates_to_check():
    names = {name for _, name in project_templates()}
    assert {"comments/section.html", "comments/email/moderation_request.txt"} <= names


@pytest.mark.parametrize(
    ("folder", "name"),
    project_templates(),
    ids=[f"{folder.parent.name}/{name}" for folder, name in project_templates()],
)
def test_template_compiles(folder: Path, name: str):
    engine = engines["django"].engine
    source = (folder / name).read_text()
    try:
        engine.from_string(source)
    except TemplateSyntaxError as error:
        pytest.fail(f"{folder / name}: {error}", pytrace=False)
