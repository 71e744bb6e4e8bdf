"""The comments distribution declares what the app imports, and nothing of the site's: a site
that installs the wheel gets every module the app needs, and the site's own pins satisfy the
ranges the package declares."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DECLARED = {
    canonicalize_name(Requirement(dep).name): Requirement(dep) for dep in PROJECT["dependencies"]
}
# Extras the app imports only where it works without them (a guarded import, a system check).
EXTRAS = {
    canonicalize_name(Requirement(dep).name)
    for deps in PROJECT["optional-dependencies"].values()
    for dep in deps
}


def imported_top_level_modules(package: Path) -> set[str]:
    modules = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def site_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = str(requirement.specifier).lstrip("=")
    return pins


def test_every_third_party_module_the_app_imports_is_declared():
    third_party = imported_top_level_modules(ROOT / "comments") - set(sys.stdlib_module_names)
    third_party -= {"comments", "__future__"}
    distributions = packages_distributions()
    undeclared = {
        module: distributions.get(module)
        for module in third_party
        if not any(
            canonicalize_name(name) in DECLARED.keys() | EXTRAS
            for name in distributions.get(module, [])
        )
    }
    assert undeclared == {}


def test_the_package_declares_none_of_the_sites_own_services():
    assert not {"whitenoise", "gunicorn", "psycopg", "redis", "dj-database-url"} & set(DECLARED)
    assert "django-tasks-db" not in DECLARED  # optional: the `database-queue` extra
    assert [
        Requirement(dep).name for dep in PROJECT["optional-dependencies"]["database-queue"]
    ] == ["django-tasks-db"]


def test_the_sites_pins_fall_within_the_package_ranges():
    pins = site_pins()
    outside = {
        name: (pins[name], str(requirement.specifier))
        for name, requirement in DECLARED.items()
        if name in pins and not requirement.specifier.contains(pins[name])
    }
    assert outside == {}
    assert {"django", "wagtail", "django-tasks", "bleach", "django-recaptcha"} <= set(pins)


def test_only_the_comments_package_goes_in():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["comments", "comments.*"]
    data = setuptools["package-data"]["comments"]
    assert {"templates/**/*", "static/**/*", "locale/**/*.mo"} <= set(data)
