"""One database's measurements, in a process of its own with Django set up on bench.settings.

``python -m bench.driver prepare`` migrates and loads the seed content; ``python -m
bench.driver measure --out FILE`` runs every measurement against that database and writes the
figures as JSON (``approve`` is its bulk-approval step, run in a child so it can be stopped).
``bench/run.py`` calls them with BENCH_DATABASE_URL and friends in the environment; the code is
the same for every database.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench import approval, browser, data, pages, server, wrk  # noqa: E402
from bench.options import (  # noqa: E402
    APPROVAL_ROUNDS,
    BULK_APPROVE,
    BULK_APPROVE_TIMEOUT,
    CACHE_MODES,
    COMMENT_COUNTS,
    CONCURRENT_POSTERS,
    FIRST_VIEW_MODES,
    LISTING_GETS,
    MODERATION_ROWS,
    ONE_PAGE_PER_PAGE,
    REFERENCE_N,
    SEQUENTIAL_POSTS,
    BenchOptions,
)
from bench.posting import concurrent_posts, sequential_posts  # noqa: E402
from comments.models import Comment, CommentStatus  # noqa: E402
from comments.moderation import ACTIONS, apply_action  # noqa: E402

LISTING_URLS = {"page 1": "/admin/comments/", "page 50": "/admin/comments/?p=50"}
STARTED = time.monotonic()


def log(message: str) -> None:
    """A progress line, with the seconds since this driver started."""
    print(f"  [{connection.vendor} {time.monotonic() - STARTED:5.0f}s] {message}", flush=True)


def database_version() -> str:
    """The database engine and its server version, for the report."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        if connection.vendor == "postgresql":
            cursor.execute("show server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return connection.vendor


def prepare() -> None:
    """A fresh database made usable: migrations, seed articles, the bench's admin account."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_seed_content", verbosity=0)
    data.superuser()


# Rendering, all on one page, first views after approvals -------------------------------------


def measure_variant(url: str, options: BenchOptions, label: str, expected_shown: int) -> dict:
    """One variant's page checked, warmed up and measured by wrk."""
    checks = pages.inspect_page(url, expected_shown)
    pages.warm_up(url)
    return {**checks, **wrk.measure(url, options.duration, options.runs, label)}


def measure_comment_count(
    n: int, options: BenchOptions, log_dir: Path, measure_floor: bool
) -> dict:
    """Everything at one N: queries in-process, then each cache mode (and the floor) by wrk;
    at N=500 also all comments on one page and the first views after approvals."""
    stored = data.load_article_comments(n)
    path = data.article().url
    log(f"N={n}: {stored} comments stored")
    queries = {}
    html = b""
    for mode in CACHE_MODES:
        queries[mode], content = pages.count_queries(path, mode)
        if mode == "normal":
            html = content
    log(f"N={n}: queries per GET {queries}")
    if measure_floor:
        pages.write_floor(html)
    cache.clear()  # nothing computed for the previous N survives
    measured: dict = {"rows": [], "floor": None}
    envs = {mode: {"BENCH_CACHE_MODE": mode} for mode in CACHE_MODES}
    with server.running(envs, log_dir) as servers:
        log(f"N={n}: servers ready")
        for mode in CACHE_MODES:
            url = servers[mode].base_url + path
            stats = measure_variant(url, options, f"N={n} {mode}", pages.comments_shown(html))
            measured["rows"].append({"n": n, "variant": mode, "queries": queries[mode], **stats})
        if measure_floor:
            url = f"{servers['normal'].base_url}{settings.STATIC_URL}{pages.FLOOR_PATH}"
            checks = pages.inspect_floor(url)
            pages.warm_up(url)
            stats = wrk.measure(url, options.duration, options.runs, f"N={n} floor")
            measured["floor"] = {"n": n, **checks, **stats}
        if n == REFERENCE_N:
            try:
                measure_after_moderation(servers, path, options, measured)
            except Exception as error:  # reported as "not measured", the other figures kept
                traceback.print_exc()
                measured["moderated_error"] = f"{error.__class__.__name__}: {error}"
    return measured


def measure_after_moderation(servers: dict, path: str, options: BenchOptions, into: dict) -> None:
    """At N=500, against the running servers, never flushing the cache (saving the settings
    and approving must be enough): all comments on one page (per_page 125) measured by wrk,
    the first views after approvals on that page, the setting restored and checked, then the
    first views after approvals with the default pagination. The figures go into ``into``
    (``one_page``, ``first_view``) as they come, so an error keeps those measured before it."""
    urls = {mode: servers[mode].base_url + path for mode in FIRST_VIEW_MODES}
    # Replies to the oldest threads: on the first page whatever the pagination.
    candidates = iter(data.pending_replies(2 * APPROVAL_ROUNDS * len(FIRST_VIEW_MODES), 10))
    user = data.superuser()

    def first_views(layout: str, per_page: int) -> dict:
        figures: dict = {"per_page": per_page}
        for mode in FIRST_VIEW_MODES:
            batch = [next(candidates) for _ in range(APPROVAL_ROUNDS)]
            figures[mode] = approval.first_views(urls[mode], batch, user)
            log(f"first view after an approval, {layout}, {mode}: {brief(figures[mode])}")
        return figures

    one_page = into["one_page"] = {"per_page": ONE_PAGE_PER_PAGE, "rows": []}
    first_view = into["first_view"] = {}
    with data.comments_per_page(ONE_PAGE_PER_PAGE) as default_per_page:
        everything = data.approved_count()
        log(f"per_page {ONE_PAGE_PER_PAGE} saved (was {default_per_page}): {everything} to show")
        for mode in FIRST_VIEW_MODES:
            label = f"N={REFERENCE_N} one page {mode}"
            stats = measure_variant(urls[mode], options, label, everything)
            one_page["rows"].append({"n": REFERENCE_N, "variant": mode, **stats})
        first_view["one_page"] = first_views("one page", ONE_PAGE_PER_PAGE)
    # The default pagination is back: the served pages must show what an uncached render shows
    # (the served pages are read first, so the in-process render cannot have refreshed them).
    shown = {mode: pages.comments_shown(browser.get(urls[mode]).body) for mode in FIRST_VIEW_MODES}
    one_page["restored"] = {
        "per_page": default_per_page,
        "shown": shown,
        "expected_shown": pages.comments_shown(pages.render_uncached(path)),
    }
    log(f"per_page {default_per_page} saved back: {one_page['restored']}")
    first_view["default"] = first_views(f"per_page {default_per_page}", default_per_page)


def brief(figures: dict) -> str:
    """A first-view figure in one line, for the progress log."""

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    return (
        f"first GET median {ms(figures['first_median_ms'])} ms, max {ms(figures['first_max_ms'])}"
        f" ms; worst of {figures['gets_per_round']} GETs median {ms(figures['worst_median_ms'])}"
        f" ms, max {ms(figures['worst_max_ms'])} ms; warm GET median "
        f"{ms(figures['warm_median_ms'])} ms; {len(figures['problems'])} problem(s)"
    )


# Posting -------------------------------------------------------------------------------------


def stored_with(marker: str) -> int:
    return Comment.objects.filter(body__contains=marker).count()


def measure_posting(options: BenchOptions, log_dir: Path) -> dict:
    """200 sequential posts, then 8 concurrent posters, against the article at N=500."""
    data.load_article_comments(REFERENCE_N)
    cache.clear()
    page_id = data.article().pk
    run_id = uuid.uuid4().hex[:12]
    markers = {"sequential": f"bench-seq-{run_id}", "concurrent": f"bench-conc-{run_id}"}
    with server.running({"post": {"BENCH_CACHE_MODE": "normal"}}, log_dir) as servers:
        base_url = servers["post"].base_url
        sequential = sequential_posts(base_url, page_id, markers["sequential"], SEQUENTIAL_POSTS)
        log(f"sequential posts: {sequential}")
        concurrent = concurrent_posts(
            base_url, page_id, markers["concurrent"], CONCURRENT_POSTERS, options.duration
        )
    sequential["stored"] = stored_with(markers["sequential"])
    concurrent["stored"] = stored_with(markers["concurrent"])
    log(f"concurrent posts: {concurrent}")
    return {"n": REFERENCE_N, "sequential": sequential, "concurrent": concurrent}


# Moderation ----------------------------------------------------------------------------------


def time_gets(client: Client, url: str, count: int) -> dict:
    """Median of ``count`` timed GETs after one warm-up; every answer must be a 200."""
    client.get(url)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    return {"url": url, "median_ms": statistics.median(times), "times_ms": times}


def time_bulk_approve(count: int, out: Path) -> None:
    """Approves ``count`` pending comments through apply_action and writes the timings to
    ``out``: once at commit (the transaction's share) and again when the on_commit work
    (signals, notification tasks on the immediate backend, e-mails) is done."""
    ids = list(
        Comment.objects.filter(status=CommentStatus.PENDING)
        .order_by("-created", "-pk")
        .values_list("pk", flat=True)[:count]
    )
    user = data.superuser()
    mail.outbox = []
    result: dict = {"requested": count, "approved": 0, "total_ms": None, "on_commit_ms": None}

    def committed() -> None:  # registered first, so it runs before the app's on_commit work
        result["transaction_ms"] = (time.perf_counter() - started) * 1000
        out.write_text(json.dumps(result))

    started = time.perf_counter()
    with transaction.atomic():
        transaction.on_commit(committed)
        result["approved"] = len(apply_action(ACTIONS["approve"], ids, user))
    finished = time.perf_counter()
    result["total_ms"] = (finished - started) * 1000
    result["on_commit_ms"] = result["total_ms"] - result["transaction_ms"]
    result["emails_built"] = len(mail.outbox)
    out.write_text(json.dumps(result))


def bulk_approve_with_timeout(count: int, log_dir: Path) -> dict:
    """time_bulk_approve in a child process, stopped after BULK_APPROVE_TIMEOUT seconds so that
    a pathological on_commit cost is reported instead of hanging the benchmark."""
    out = log_dir / "bulk-approve.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.driver", "approve", "--out", str(out)]
    error = None
    try:
        done = subprocess.run(command, timeout=BULK_APPROVE_TIMEOUT, check=False)  # noqa: S603
        if done.returncode != 0:
            error = f"the approve step exited with {done.returncode}"
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        error = f"stopped after {BULK_APPROVE_TIMEOUT} s"
    result = json.loads(out.read_text()) if out.exists() else {"requested": count}
    result.setdefault("approved", None)
    result.setdefault("total_ms", None)
    result["error"] = error
    return result


def measure_moderation(log_dir: Path) -> dict:
    """The admin listing with 100,000 comments stored, and bulk-approving 1,000 of them."""
    started = time.perf_counter()
    added = data.fill_moderation_queue(MODERATION_ROWS)
    fill_seconds = time.perf_counter() - started
    total = Comment.objects.count()
    log(f"moderation queue: {added} rows added in {fill_seconds:.1f} s ({total} stored)")
    cache.clear()
    client = Client(HTTP_HOST=pages.HOST)
    client.force_login(data.superuser())
    listing = {label: time_gets(client, url, LISTING_GETS) for label, url in LISTING_URLS.items()}
    log("listing: " + ", ".join(f"{k} {v['median_ms']:.0f} ms" for k, v in listing.items()))
    approve = bulk_approve_with_timeout(BULK_APPROVE, log_dir)
    log(f"bulk approve: {approve}")
    return {
        "comments_stored": total,
        "fill_seconds": fill_seconds,
        "listing": listing,
        "bulk_approve": approve,
    }


# Entry point ---------------------------------------------------------------------------------


def measure(options: BenchOptions, log_dir: Path, measure_floor: bool) -> dict:
    """Every measurement against the database in BENCH_DATABASE_URL, as one JSON-able dict."""
    results: dict = {
        "database": database_version(),
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "rows": [],
        "floors": [],
    }
    for n in COMMENT_COUNTS:
        measured = measure_comment_count(n, options, log_dir, measure_floor)
        results["rows"].extend(measured.pop("rows"))
        floor = measured.pop("floor")
        if floor is not None:
            results["floors"].append(floor)
        results.update(measured)  # at N=500: one_page, first_view (or moderated_error)
    results["post"] = measure_posting(options, log_dir)
    results["moderation"] = measure_moderation(log_dir)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["prepare", "measure", "approve"])
    parser.add_argument("--out", type=Path, help="where measure writes its JSON")
    parser.add_argument("--log-dir", type=Path, default=Path(settings.BENCH_WORKDIR))
    parser.add_argument("--floor", action="store_true", help="also measure the static floor")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare()
        return 0
    if args.command == "approve":
        time_bulk_approve(BULK_APPROVE, args.out)
        return 0
    results = measure(BenchOptions.from_env(), args.log_dir, args.floor)
    args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    # A SIGTERM unwinds normally, so the gunicorn servers started here are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main(sys.argv[1:]))
