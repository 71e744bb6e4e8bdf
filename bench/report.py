"""Budgets (PASS/FAIL), the printed summary and the results section of bench/README.md."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass

from .options import QUERY_COUNTS, REFERENCE_N, BenchOptions

RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
VARIANT_ORDER = ("cold", "normal", "full-page", "floor")


@dataclass(frozen=True)
class Verdict:
    name: str
    passed: bool
    detail: str

    @property
    def word(self) -> str:
        return "PASS" if self.passed else "FAIL"


# Reading one database's results ------------------------------------------------------------


def row(results: dict, n: int, variant: str) -> dict:
    return next(r for r in results["rows"] if r["n"] == n and r["variant"] == variant)


def floor_at(floors: list[dict], n: int) -> dict | None:
    return next((f for f in floors if f["n"] == n), None)


def ratio(results: dict, floors: list[dict], n: int, variant: str) -> float | None:
    floor = floor_at(floors, n)
    if not floor or not floor["requests_per_s"]:
        return None
    return row(results, n, variant)["requests_per_s"] / floor["requests_per_s"]


def comment_bytes(results: dict) -> int:
    """bytes(N=500) - bytes(N=0), for the page as served in normal operation."""
    return row(results, REFERENCE_N, "normal")["bytes"] - row(results, 0, "normal")["bytes"]


def bytes_per_comment(results: dict) -> float:
    """The issue's measure: (bytes(N=500) - bytes(N=0)) / 500."""
    return comment_bytes(results) / REFERENCE_N


def bytes_per_shown_comment(results: dict) -> float | None:
    """The same growth divided by the comments the page actually shows (it is paginated)."""
    shown = row(results, REFERENCE_N, "normal")["comments_shown"]
    return comment_bytes(results) / shown if shown else None


def approve_text(approve: dict) -> str:
    """The bulk approval's figures, including a run stopped by its time limit."""
    in_transaction = approve.get("transaction_ms")
    split = f"{in_transaction:.0f} ms to commit" if in_transaction is not None else ""
    if approve["total_ms"] is None:
        parts = [approve.get("error") or "no result", split and f"{split}, the rest on_commit"]
        return "; ".join(p for p in parts if p)
    return (
        f"{approve['total_ms']:.0f} ms ({approve['approved']} approved; {split}, "
        f"{approve['on_commit_ms']:.0f} ms on_commit work, {approve['emails_built']} e-mails)"
    )


# Budgets -------------------------------------------------------------------------------------


def query_budget(results: dict, variant: str, ceiling: int | None = 10) -> Verdict:
    """The issue's ceiling for the site as it runs; with every cache off (``cold``) only
    the "same at N=0 and N=2000" half applies, its count is reported."""
    counts = [row(results, n, variant)["queries"] for n in QUERY_COUNTS]
    passed = counts[0] == counts[-1] and (ceiling is None or max(counts) <= ceiling)
    shown = ", ".join(f"N={n}: {c}" for n, c in zip(QUERY_COUNTS, counts, strict=True))
    limit = f"<= {ceiling}, " if ceiling is not None else ""
    return Verdict(f"queries per anonymous article GET ({variant}) {limit}same at N=0 and N=2000",
                   passed, shown)  # fmt: skip


def floor_budget(results: dict, floors: list[dict], variant: str, share: float) -> Verdict:
    name = f"N={REFERENCE_N} {variant} >= {share:.0%} of the floor"
    value = ratio(results, floors, REFERENCE_N, variant)
    if value is None:
        return Verdict(name, False, "no floor measured")
    rate = row(results, REFERENCE_N, variant)["requests_per_s"]
    floor = floor_at(floors, REFERENCE_N)["requests_per_s"]
    return Verdict(name, value >= share, f"{rate:.1f} / {floor:.1f} req/s = {value:.1%}")


def budgets(results: dict, floors: list[dict]) -> list[Verdict]:
    """The issue's budgets, each with the figures it was decided on."""
    cold = row(results, REFERENCE_N, "cold")["requests_per_s"]
    per_comment = bytes_per_comment(results)
    post = results["post"]
    sequential, concurrent = post["sequential"], post["concurrent"]
    median_post = sequential["median_ms"]
    listing = results["moderation"]["listing"]
    slowest_listing = max(page["median_ms"] for page in listing.values())
    approve = results["moderation"]["bulk_approve"]
    return [
        query_budget(results, "normal"),
        query_budget(results, "full-page"),
        query_budget(results, "cold", ceiling=None),
        Verdict(f"N={REFERENCE_N} cold >= 40 req/s", cold >= 40, f"{cold:.1f} req/s"),
        floor_budget(results, floors, "normal", 0.25),
        floor_budget(results, floors, "full-page", 0.60),
        Verdict(
            "bytes per comment <= 600",
            per_comment <= 600,
            f"{per_comment:.0f} B (over {REFERENCE_N} comments; "
            f"{fmt(bytes_per_shown_comment(results), '{:.0f}')} B per comment shown)",
        ),
        Verdict(
            "comment POST median <= 15 ms",
            median_post is not None and median_post <= 15,
            f"{median_post:.1f} ms" if median_post is not None else "no post accepted",
        ),
        Verdict(
            "concurrent posting: every accepted post stored, no 5xx",
            concurrent["accepted"] == concurrent["stored"]
            and concurrent["server_errors"] == 0
            and concurrent["no_answer"] == 0,
            f"{concurrent['accepted']} accepted, {concurrent['stored']} stored, "
            f"statuses {concurrent['statuses']}",
        ),
        Verdict(
            "moderation listing <= 200 ms (page 1 and page 50)",
            slowest_listing <= 200,
            ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in listing.items()),
        ),
        Verdict(
            f"bulk approve {approve['requested']} <= 1 s",
            approve["total_ms"] is not None
            and approve["approved"] == approve["requested"]
            and approve["total_ms"] <= 1000,
            approve_text(approve),
        ),
    ]


def checks(results: dict, floors: list[dict]) -> list[Verdict]:
    """Sanity checks that make the figures trustworthy (not budgets from the issue)."""
    rows = results["rows"]
    bad_status = [
        f"N={r['n']} {r.get('variant', 'floor')}: {r['status']}"
        for r in rows + floors
        if r["status"] != 200
    ]
    errors = [
        f"N={r['n']} {r.get('variant', 'floor')}: {r['non_2xx_3xx']} non-2xx, "
        f"{r['socket_errors']} socket errors"
        for r in rows + floors
        if r["non_2xx_3xx"] or r["socket_errors"]
    ]
    leaked = [f"N={r['n']} {r['variant']}" for r in rows if r["hidden_leaked"]]
    stale = [
        f"N={r['n']} {r['variant']}: {r['comments_shown']} instead of {r['expected_shown']}"
        for r in rows
        if r["comments_shown"] != r["expected_shown"]
    ]
    sequential = results["post"]["sequential"]
    post_problems = (
        []
        if sequential["accepted"] == sequential["posts"] == sequential["stored"]
        else [
            f"{sequential['accepted']}/{sequential['posts']} accepted, "
            f"{sequential['stored']} stored, statuses {sequential['statuses']}"
        ]
    )
    return [
        check("every article and floor GET answers 200", bad_status),
        check("wrk saw no errors or non-2xx answers", errors),
        check("pending and spam comments never shown", leaked),
        check("served pages show the comments an in-process render shows (no stale cache)", stale),
        check("sequential posts all accepted and stored", post_problems),
    ]


def check(name: str, problems: list[str]) -> Verdict:
    return Verdict(f"check: {name}", not problems, "; ".join(problems) or "ok")


# Machine and formatting ----------------------------------------------------------------------


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return f"{os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}"


def fmt(value: float | None, pattern: str = "{:.1f}") -> str:
    return "—" if value is None else pattern.format(value)


def render_table(results: dict, floors: list[dict]) -> list[str]:
    """One line per N and variant, the floor (static file) after each N's variants."""
    lines = [
        "| N | variant | req/s | p50 (ms) | p99 (ms) | queries | bytes | ratio to floor |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in sorted({r["n"] for r in results["rows"]}):
        for r in sorted(
            (r for r in results["rows"] if r["n"] == n),
            key=lambda r: VARIANT_ORDER.index(r["variant"]),
        ):
            lines.append(
                f"| {n} | {r['variant']} | {r['requests_per_s']:.1f} | {r['p50_ms']:.1f} | "
                f"{r['p99_ms']:.1f} | {r['queries']} | {r['bytes']} | "
                f"{fmt(ratio(results, floors, n, r['variant']), '{:.0%}')} |"
            )
        floor = floor_at(floors, n)
        if floor:
            lines.append(
                f"| {n} | floor | {floor['requests_per_s']:.1f} | {floor['p50_ms']:.1f} | "
                f"{floor['p99_ms']:.1f} | — | {floor['bytes']} | 100% |"
            )
    return lines


def render_database(label: str, results: dict, floors: list[dict]) -> list[str]:
    """The markdown for one database: table, posting, moderation, budgets."""
    if "error" in results:
        return [f"### {label}", "", f"Not measured: {results['error']}", ""]
    post = results["post"]
    sequential, concurrent = post["sequential"], post["concurrent"]
    moderation = results["moderation"]
    approve = moderation["bulk_approve"]
    shown = row(results, REFERENCE_N, "normal")["comments_shown"]
    lines = [f"### {results['database']} (cache: {results['cache']})", ""]
    lines += render_table(results, floors)
    lines += [
        "",
        f"- Page size at N={REFERENCE_N}: {row(results, REFERENCE_N, 'normal')['bytes']} bytes, "
        f"{bytes_per_comment(results):.0f} bytes per comment (over {REFERENCE_N}); the page "
        f"shows {shown} of them (comment pagination), "
        f"{fmt(bytes_per_shown_comment(results), '{:.0f}')} bytes per comment shown.",
        f"- Comment POST (N={post['n']}): median {fmt(sequential['median_ms'])} ms, "
        f"p90 {fmt(sequential['p90_ms'])} ms over {sequential['posts']} sequential posts "
        f"({sequential['accepted']} accepted, {sequential['stored']} stored).",
        f"- {concurrent['posters']} concurrent posters for {concurrent['seconds']} s: "
        f"{concurrent['posts']} posts, {concurrent['accepted']} accepted (303), "
        f"{concurrent['stored']} stored, statuses {concurrent['statuses']}.",
        f"- Moderation, {moderation['comments_stored']} comments stored: admin listing "
        + ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in moderation["listing"].items())
        + f" (median of {len(next(iter(moderation['listing'].values()))['times_ms'])} GETs); "
        f"bulk-approving {approve['requested']}: {approve_text(approve)}.",
        "",
        "| budget | result | figures |",
        "| --- | --- | --- |",
    ]
    for verdict in budgets(results, floors) + checks(results, floors):
        lines.append(f"| {verdict.name} | {verdict.word} | {verdict.detail} |")
    lines.append("")
    return lines


def render_results(
    all_results: dict[str, dict], floors: list[dict], context: dict, options: BenchOptions
) -> str:
    """The whole results section (between the markers) as markdown."""
    trial = options.duration != 10 or options.runs != 3
    lines = [
        RESULTS_START,
        "",
        f"Run of {context['date']} on {context['machine']}; {context['redis']}. "
        f"wrk -t2 -c8 -d{options.duration}s, median of {options.runs} run(s); "
        f"gunicorn 2 sync workers; whole run {context['elapsed']}."
        + (" **Trial settings: not the protocol's figures.**" if trial else ""),
        "One-minute load average: "
        + ", ".join(f"{k} {v}" for k, v in context["load"].items())
        + " (anything well above 0 at the start means other work shared the CPU).",
        "The floor (the N's final HTML as a static file) does not touch the database: it is "
        "measured once per N, in the first database's pass, and shared.",
        "",
    ]
    for label, results in all_results.items():
        lines += render_database(label, results, floors)
    lines.append(RESULTS_END)
    return "\n".join(lines)


def write_readme(path, section: str) -> None:
    """Replaces the marked results section of ``path`` (appends one if the markers are gone)."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + section + "\n"
    path.write_text(text)


def print_summary(all_results: dict[str, dict], floors: list[dict]) -> None:
    """PASS/FAIL per budget and check, per database, then the totals."""
    totals = {"PASS": 0, "FAIL": 0}
    print("\n=== Budgets ===")
    for label, results in all_results.items():
        if "error" in results:
            print(f"FAIL [{label}] not measured: {results['error']}")
            totals["FAIL"] += 1
            continue
        for verdict in budgets(results, floors) + checks(results, floors):
            totals[verdict.word] += 1
            print(f"{verdict.word} [{label}] {verdict.name}: {verdict.detail}")
    print(f"\nSummary: {totals['PASS']} PASS, {totals['FAIL']} FAIL")
