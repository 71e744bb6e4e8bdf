"""The printed summary (PASS/FAIL per budget) and the results section of bench/README.md."""

from __future__ import annotations

import os
import platform
import re

from .budgets import (
    LAYOUTS,
    approve_text,
    budgets,
    bytes_per_comment,
    bytes_per_shown_comment,
    checks,
    floor_at,
    fmt,
    not_measured,
    one_page_rows,
    ratio,
    row,
)
from .options import (
    ACCEPT_ENCODING,
    FIRST_VIEW_MODES,
    FOLLOW_UP_GETS,
    REFERENCE_N,
    BenchOptions,
)

RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"
VARIANT_ORDER = ("cold", "normal", "full-page", "floor")


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


def render_table(results: dict, floors: list[dict]) -> list[str]:
    """One line per N and variant, the floor (static file) after each N's variants, and at
    N=500 the page with all its comments on one page."""
    lines = [
        "| N | variant | req/s | p50 (ms) | p99 (ms) | queries | bytes | transfer bytes "
        "| ratio to floor |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def line(n: str, variant: str, r: dict, queries: str, share: str) -> str:
        return (
            f"| {n} | {variant} | {r['requests_per_s']:.1f} | {r['p50_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {queries} | {r['bytes']} | {r.get('transfer_bytes', '—')} | "
            f"{share} |"
        )

    for n in sorted({r["n"] for r in results["rows"]}):
        for r in sorted(
            (r for r in results["rows"] if r["n"] == n),
            key=lambda r: VARIANT_ORDER.index(r["variant"]),
        ):
            share = fmt(ratio(results, floors, n, r["variant"]), "{:.0%}")
            lines.append(line(str(n), r["variant"], r, str(r["queries"]), share))
        floor = floor_at(floors, n)
        if floor:
            lines.append(line(str(n), "floor", floor, "—", "100%"))
        if n == REFERENCE_N:
            for r in one_page_rows(results):
                lines.append(line(f"{n}, one page", r["variant"], r, "—", "—"))
    return lines


def first_view_lines(results: dict) -> list[str]:
    """The first views after approvals, every pagination and variant, as a small table."""
    first_view = results.get("first_view")
    if not first_view:
        return [f"First view after an approval (N={REFERENCE_N}): {not_measured(results)}.", ""]
    rounds = next(
        (f[m]["rounds"] for f in first_view.values() for m in FIRST_VIEW_MODES if m in f), 0
    )
    lines = [
        f"First view after an approval (N={REFERENCE_N}, {rounds} approvals per line): each "
        "approves one pending reply with apply_action in the driver's process, then times one "
        f"anonymous GET (gzip), then {FOLLOW_UP_GETS} more, two at a time, so both gunicorn "
        'workers serve the new page; "slowest" is the slowest of those GETs per approval, '
        '"warm GET" one more GET after them (nothing changed since: the usual cost, under the '
        "same load).",
        "",
        "| comments per page | variant | first GET median (ms) | first GET max (ms) | slowest "
        "median (ms) | slowest max (ms) | warm GET median (ms) | approving (ms) | problems |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layout, words in LAYOUTS.items():
        figures = first_view.get(layout)
        for mode in FIRST_VIEW_MODES:
            if not figures or mode not in figures:
                continue
            f = figures[mode]
            lines.append(
                f"| {words.format(per_page=figures['per_page'])} | {mode} | "
                f"{fmt(f['first_median_ms'])} | {fmt(f['first_max_ms'])} | "
                f"{fmt(f['worst_median_ms'])} | {fmt(f['worst_max_ms'])} | "
                f"{fmt(f.get('warm_median_ms'))} | {fmt(f['approve_median_ms'])} | "
                f"{len(f['problems'])} |"
            )
    return [*lines, ""]


def one_page_line(results: dict) -> str:
    one_page = results.get("one_page")
    if not one_page or not one_page["rows"]:
        return f"- All on one page (N={REFERENCE_N}): {not_measured(results)}."
    shown = ", ".join(
        f"{r['variant']} {r['comments_shown']} comments shown, {r['bytes']} bytes, "
        f"{r['transfer_bytes']} transfer bytes"
        for r in one_page["rows"]
    )
    restored = one_page.get("restored")
    if restored:
        back = ", ".join(f"{mode} {n}" for mode, n in restored["shown"].items())
        after = (
            f"saved back to per_page {restored['per_page']}: {back} comments shown (uncached "
            f"render: {restored['expected_shown']})"
        )
    else:
        after = f"saved back: {not_measured(results)}"
    return (
        f"- All on one page (N={REFERENCE_N}, Discussion settings saved with per_page "
        f"{one_page['per_page']}, no cache flushed): {shown}; {after}."
    )


def render_database(label: str, results: dict, floors: list[dict]) -> list[str]:
    """The markdown for one database: table, page sizes, first views, posting, moderation,
    budgets."""
    if "error" in results:
        return [f"### {label}", "", f"Not measured: {results['error']}", ""]
    post = results["post"]
    sequential, concurrent = post["sequential"], post["concurrent"]
    moderation = results["moderation"]
    approve = moderation["bulk_approve"]
    reference = row(results, REFERENCE_N, "normal")
    shown = reference["comments_shown"]
    lines = [f"### {results['database']} (cache: {results['cache']})", ""]
    lines += render_table(results, floors)
    lines += [
        "",
        f"- Page size at N={REFERENCE_N}: {reference['bytes']} bytes "
        f"({reference.get('transfer_bytes', '—')} transfer bytes, "
        f"{reference.get('content_encoding') or 'uncompressed'}), "
        f"{bytes_per_comment(results):.0f} bytes per comment (over {REFERENCE_N}, "
        f"uncompressed); the page shows {shown} of them (comment pagination), "
        f"{fmt(bytes_per_shown_comment(results), '{:.0f}')} bytes per comment shown.",
        one_page_line(results),
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
        *first_view_lines(results),
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
        f"wrk -t2 -c8 -d{options.duration}s -H 'Accept-Encoding: {ACCEPT_ENCODING}', median of "
        f"{options.runs} run(s); "
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
