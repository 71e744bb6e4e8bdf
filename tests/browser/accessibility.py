"""axe-core (4.12, carried offline by ``axe-playwright-python``) on the screen a test is on.

One helper for every browser test that checks a screen, so the rules asked of every screen
(WCAG 2.0/2.1/2.2 A and AA, target size included) are written once.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# target-size is a WCAG 2.2 AA rule that axe tags "wcag22aa"; named too, so a later axe that
# retags it still runs it.
EXTRA_RULES = ["target-size"]

_axe = Axe()


def axe_violations(page, context: str | dict | None = None) -> list[dict]:
    """The axe violations on ``page`` (optionally within ``context``, a selector)."""
    options = {
        "resultTypes": ["violations"],
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
    }
    results = _axe.run(page, context=context, options=options)
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, selector and axe's own explanation."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(
                f"{violation['id']} ({violation.get('impact')}): {target}: "
                f"{node.get('failureSummary', '').strip()}"
            )
    return "\n".join(lines)


def assert_accessible(page, context: str | dict | None = None) -> None:
    """Fails with every violation listed, so one run shows all there is to fix."""
    violations = axe_violations(page, context)
    assert not violations, "axe-core found violations:\n" + describe(violations)
