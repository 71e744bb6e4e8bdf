"""The apps' modules import each other in one direction only: no cycle (closed by an import
inside a function or not), comments/ never imports the site or the page cache, and the page
cache knows the comments app only through its signals, connected in ``apps.py``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):  # annotations only: never run
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def app_graph(app: str) -> dict[str, set[str]]:
    files = [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    modules = {module_name(path): path for path in files}
    return {
        name: {target for target in imports_of(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as the list of modules along it, or None (depth-first search)."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return trail[trail.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


@pytest.mark.parametrize("app", ["comments", "pagecache", "blog"])
def test_app_modules_import_each_other_without_a_cycle(app):
    assert find_cycle(app_graph(app)) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_comments_never_imports_the_site_or_the_page_cache():
    for path in (ROOT / "comments").rglob("*.py"):
        imported = {name.split(".")[0] for name in imports_of(path)}
        assert not imported & {"blog", "pagecache", "config"}, path


def test_page_cache_knows_comments_only_through_signals_in_apps_py():
    for path in (ROOT / "pagecache").rglob("*.py"):
        imported = {name for name in imports_of(path) if name.split(".")[0] in ("comments", "blog")}
        if path.name == "apps.py":
            assert imported <= {"comments", "comments.signals"}, path
        else:
            assert not imported, path
