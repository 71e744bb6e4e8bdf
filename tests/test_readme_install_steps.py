"""The README's "Add comments to your Wagtail site" stays what CI's fresh-site job runs
(scripts/fresh_site.py reads it): at most six steps, the package's real name, the real URLs,
mixin and template tag. The job itself (a fresh Wagtail project over HTTP) runs in .ci/run."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("fresh_site", ROOT / "scripts" / "fresh_site.py")
fresh_site = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("fresh_site", fresh_site)  # its dataclasses look themselves up there
_spec.loader.exec_module(fresh_site)


def test_the_readme_has_at_most_six_steps_the_job_knows():
    steps = fresh_site.readme_steps()
    assert len(steps) <= 6
    assert [step.language for step in steps] == fresh_site.STEP_LANGUAGES


def test_the_steps_name_what_the_package_really_provides():
    install, settings, urls, model, template, migrate = fresh_site.readme_steps()
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    assert install.code.strip() == f"pip install {name}"
    assert '"comments"' in settings.code and '"wagtail.contrib.settings"' in settings.code
    assert 'path("comments/", include("comments.urls"))' in urls.code
    assert "from comments.models import CommentsMixin" in model.code
    assert "{% load comments_tags %}{% comments_section %}" in template.code
    assert "python manage.py migrate" in migrate.code
