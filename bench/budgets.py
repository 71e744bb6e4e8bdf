"""The issue's budgets and the sanity checks (PASS/FAIL), read from one database's results."""

from __future__ import annotations

from dataclasses import dataclass

from .options import FIRST_VIEW_MODES, ONE_PAGE_PER_PAGE, QUERY_COUNTS, REFERENCE_N

# The budgets (the floor shares and the last two raised or added by the second issue).
QUERY_CEILING = 10  # SQL queries per anonymous article GET, normal and full-page
COLD_MIN_RPS = 40  # N=500 with every cache missing
NORMAL_FLOOR_SHARE = 0.50  # N=500 normal, of the floor's req/s (was 25%)
FULL_PAGE_FLOOR_SHARE = 0.80  # N=500 full-page, of the floor's req/s (was 60%)
BYTES_PER_COMMENT_MAX = 600  # uncompressed: (bytes(N=500) - bytes(N=0)) / 500
FIRST_VIEW_MAX_MS = 30  # median of the first view after an approval, N=500
ONE_PAGE_TRANSFER_MAX = 55 * 1024  # transfer bytes at N=500, all comments on one page
POST_MEDIAN_MAX_MS = 15
LISTING_MAX_MS = 200
BULK_APPROVE_MAX_MS = 1000
LAYOUTS = {"default": "per_page {per_page}", "one_page": "all on one page, per_page {per_page}"}


@dataclass(frozen=True)
class Verdict:
    name: str
    passed: bool
    detail: str

    @property
    def word(self) -> str:
        return "PASS" if self.passed else "FAIL"


def fmt(value: float | None, pattern: str = "{:.1f}") -> str:
    return "—" if value is None else pattern.format(value)


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
    """bytes(N=500) - bytes(N=0), uncompressed, for the page as served in normal operation."""
    return row(results, REFERENCE_N, "normal")["bytes"] - row(results, 0, "normal")["bytes"]


def bytes_per_comment(results: dict) -> float:
    """The issue's measure: (bytes(N=500) - bytes(N=0)) / 500, uncompressed."""
    return comment_bytes(results) / REFERENCE_N


def bytes_per_shown_comment(results: dict) -> float | None:
    """The same growth divided by the comments the page actually shows (it is paginated)."""
    shown = row(results, REFERENCE_N, "normal")["comments_shown"]
    return comment_bytes(results) / shown if shown else None


def one_page_rows(results: dict) -> list[dict]:
    return (results.get("one_page") or {}).get("rows", [])


def not_measured(results: dict) -> str:
    """Why the N=500 measurements after moderation are missing."""
    return f"not measured: {results.get('moderated_error') or 'no figures'}"


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


def first_view_text(figures: dict) -> str:
    """One variant's first views after approvals, as the budget's figures."""
    return (
        f"median {fmt(figures['worst_median_ms'])} ms, max {fmt(figures['worst_max_ms'])} ms "
        f"(slowest of the {figures['gets_per_round']} GETs after each of "
        f"{figures['rounds']} approvals; the first GET alone: median "
        f"{fmt(figures['first_median_ms'])} ms, max {fmt(figures['first_max_ms'])} ms; "
        f"a warm GET: median {fmt(figures.get('warm_median_ms'))} ms)"
    )


# Budgets -------------------------------------------------------------------------------------


def query_budget(results: dict, variant: str, ceiling: int | None = QUERY_CEILING) -> Verdict:
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


def first_view_budgets(results: dict) -> list[Verdict]:
    """Per pagination and variant: the median of the slowest GET after each approval."""
    verdicts = []
    for layout, words in LAYOUTS.items():
        figures = (results.get("first_view") or {}).get(layout)
        missing = ONE_PAGE_PER_PAGE if layout == "one_page" else "default"
        per_page = figures["per_page"] if figures else missing
        for mode in FIRST_VIEW_MODES:
            name = (
                f"first view after an approval, N={REFERENCE_N} {words.format(per_page=per_page)}"
                f" ({mode}): median <= {FIRST_VIEW_MAX_MS} ms"
            )
            if not figures or mode not in figures:
                verdicts.append(Verdict(name, False, not_measured(results)))
                continue
            median = figures[mode]["worst_median_ms"]
            passed = median is not None and median <= FIRST_VIEW_MAX_MS
            verdicts.append(Verdict(name, passed, first_view_text(figures[mode])))
    return verdicts


def one_page_transfer_budget(results: dict) -> Verdict:
    name = (
        f"transfer bytes at N={REFERENCE_N}, all on one page (per_page {ONE_PAGE_PER_PAGE}) "
        f"<= {ONE_PAGE_TRANSFER_MAX // 1024} KB ({ONE_PAGE_TRANSFER_MAX} B)"
    )
    rows = one_page_rows(results)
    if not rows:
        return Verdict(name, False, not_measured(results))
    passed = all(r["transfer_bytes"] <= ONE_PAGE_TRANSFER_MAX for r in rows)
    detail = ", ".join(
        f"{r['variant']} {r['transfer_bytes']} B ({r['content_encoding'] or 'uncompressed'}; "
        f"{r['bytes']} B uncompressed, {r['comments_shown']} comments)"
        for r in rows
    )
    return Verdict(name, passed, detail)


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
        Verdict(
            f"N={REFERENCE_N} cold >= {COLD_MIN_RPS} req/s",
            cold >= COLD_MIN_RPS,
            f"{cold:.1f} req/s",
        ),
        floor_budget(results, floors, "normal", NORMAL_FLOOR_SHARE),
        floor_budget(results, floors, "full-page", FULL_PAGE_FLOOR_SHARE),
        *first_view_budgets(results),
        Verdict(
            f"bytes per comment <= {BYTES_PER_COMMENT_MAX} (uncompressed)",
            per_comment <= BYTES_PER_COMMENT_MAX,
            f"{per_comment:.0f} B (over {REFERENCE_N} comments; "
            f"{fmt(bytes_per_shown_comment(results), '{:.0f}')} B per comment shown)",
        ),
        one_page_transfer_budget(results),
        Verdict(
            f"comment POST median <= {POST_MEDIAN_MAX_MS} ms",
            median_post is not None and median_post <= POST_MEDIAN_MAX_MS,
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
            f"moderation listing <= {LISTING_MAX_MS} ms (page 1 and page 50)",
            slowest_listing <= LISTING_MAX_MS,
            ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in listing.items()),
        ),
        Verdict(
            f"bulk approve {approve['requested']} <= {BULK_APPROVE_MAX_MS / 1000:g} s",
            approve["total_ms"] is not None
            and approve["approved"] == approve["requested"]
            and approve["total_ms"] <= BULK_APPROVE_MAX_MS,
            approve_text(approve),
        ),
    ]


# Checks --------------------------------------------------------------------------------------


def label(r: dict, one_page: bool = False) -> str:
    return f"N={r['n']}{' one page' if one_page else ''} {r.get('variant', 'floor')}"


def compression_problems(results: dict, floors: list[dict]) -> list[str]:
    """A GET sent with a browser's Accept-Encoding must come back as one gzip stream that
    decodes to the page the uncompressed GET shows (the floor: to the same bytes)."""
    problems = []
    labelled = [(label(r), r) for r in results["rows"] + floors]
    labelled += [(label(r, one_page=True), r) for r in one_page_rows(results)]
    for name, r in labelled:
        if r.get("decode_error"):
            problems.append(f"{name}: {r['decode_error']}")
        elif r.get("content_encoding") != "gzip":
            problems.append(f"{name}: Content-Encoding {r.get('content_encoding') or 'none'}")
        elif r.get("gzip_members") != 1:
            problems.append(f"{name}: {r.get('gzip_members')} gzip members")
        elif "same_body" in r and not r["same_body"]:
            problems.append(f"{name}: decodes to other bytes than the file")
        elif "comments_shown" in r and r["comments_shown_compressed"] != r["comments_shown"]:
            problems.append(
                f"{name}: {r['comments_shown_compressed']} comments compressed, "
                f"{r['comments_shown']} uncompressed"
            )
    return problems


def one_page_problems(results: dict) -> list[str]:
    """per_page 125 saved (no cache flushed): every approved comment shows, on both servers,
    and once saved back, the served pages paginate as an uncached render does."""
    one_page = results.get("one_page")
    if not one_page or not one_page["rows"]:
        return [not_measured(results)]
    problems = [
        f"{r['variant']}: {r['comments_shown']} (compressed {r['comments_shown_compressed']}) "
        f"shown instead of {r['expected_shown']}"
        for r in one_page["rows"]
        if r["comments_shown"] != r["expected_shown"]
        or r["comments_shown_compressed"] != r["expected_shown"]
    ]
    restored = one_page.get("restored")
    if not restored:
        return [*problems, f"saved back: {not_measured(results)}"]
    problems += [
        f"per_page {restored['per_page']} saved back, {mode}: {shown} shown instead of "
        f"{restored['expected_shown']}"
        for mode, shown in restored["shown"].items()
        if shown != restored["expected_shown"]
    ]
    return problems


def approval_problems(results: dict) -> list[str]:
    first_view = results.get("first_view") or {}
    problems = [
        f"{layout}: {not_measured(results)}" for layout in LAYOUTS if layout not in first_view
    ]
    for layout, figures in first_view.items():
        for mode in FIRST_VIEW_MODES:
            if mode not in figures:
                problems.append(f"{layout} {mode}: {not_measured(results)}")
                continue
            found = figures[mode]["problems"]
            if found:
                more = f"; {len(found) - 3} more" if len(found) > 3 else ""
                problems.append(f"{layout} {mode}: " + "; ".join(found[:3]) + more)
    return problems


def checks(results: dict, floors: list[dict]) -> list[Verdict]:
    """Sanity checks that make the figures trustworthy (not budgets from the issue)."""
    rows = results["rows"]
    labelled = [(label(r), r) for r in rows + floors]
    labelled += [(label(r, one_page=True), r) for r in one_page_rows(results)]
    bad_status = [f"{name}: {r['status']}" for name, r in labelled if r["status"] != 200]
    errors = [
        f"{name}: {r['non_2xx_3xx']} non-2xx, {r['socket_errors']} socket errors"
        for name, r in labelled
        if r["non_2xx_3xx"] or r["socket_errors"]
    ]
    leaked = [name for name, r in labelled if r.get("hidden_leaked")]
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
        check(
            "with Accept-Encoding gzip every page and the floor come gzip-compressed (one "
            "stream) and decode to the uncompressed page",
            compression_problems(results, floors),
        ),
        check(
            f"per_page {ONE_PAGE_PER_PAGE} saved (no cache flush): all comments shown; saved "
            "back: paginated again",
            one_page_problems(results),
        ),
        check(
            "every approved comment is in the first view and the GETs after it",
            approval_problems(results),
        ),
        check("sequential posts all accepted and stored", post_problems),
    ]


def check(name: str, problems: list[str]) -> Verdict:
    return Verdict(f"check: {name}", not problems, "; ".join(problems) or "ok")
