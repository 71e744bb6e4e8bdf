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
import uuid
from concurrent.futures import ThreadPoolExecutor
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
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import data, server, wrk  # noqa: E402
from bench.options import (  # noqa: E402
    BULK_APPROVE,
    BULK_APPROVE_TIMEOUT,
    CACHE_MODES,
    COMMENT_COUNTS,
    CONCURRENT_POSTERS,
    LISTING_GETS,
    MODERATION_ROWS,
    REFERENCE_N,
    SEQUENTIAL_POSTS,
    BenchOptions,
)
from bench.posting import concurrent_posts, sequential_posts  # noqa: E402
from bench.settings import cache_settings  # noqa: E402
from comments.models import Comment, CommentStatus  # noqa: E402
from comments.moderation import ACTIONS, apply_action  # noqa: E402

HOST = "127.0.0.1"
FLOOR_PATH = "bench/floor.html"  # under STATIC_ROOT, so served at /static/bench/floor.html
WARM_UP_GETS = 4
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


# Rendering -----------------------------------------------------------------------------------


def count_queries(path: str, mode: str) -> tuple[int, bytes]:
    """SQL queries of one anonymous GET in a cache mode, after one warm-up GET (so process-level
    memoisation is as warm as in a running worker); also returns the HTML."""
    with override_settings(**cache_settings(mode, os.environ.get("REDIS_URL") or None)):
        cache.clear()
        client = Client(HTTP_HOST=HOST)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} ({mode}) answered {response.status_code}")
    return len(captured.captured_queries), response.content


def comments_shown(html: bytes) -> int:
    return html.count(b'<article id="comment-')


def inspect_page(url: str, expected_shown: int) -> dict:
    """One GET through gunicorn: status, size, how many comments it shows (against an
    in-process render of the same data: a stale cache would differ), hidden ones leaked."""
    status, body = server.http_get(url)
    return {
        "status": status,
        "bytes": len(body),
        "comments_shown": comments_shown(body),
        "expected_shown": expected_shown,
        "hidden_leaked": data.HIDDEN_MARKER.encode() in body,
    }


def warm_up(url: str) -> None:
    """A few GETs two at a time, so both workers have served the page before measuring."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(server.http_get, [url] * WARM_UP_GETS))


def measure_comment_count(
    n: int, options: BenchOptions, log_dir: Path, measure_floor: bool
) -> tuple[list[dict], dict | None]:
    """Everything at one N: queries in-process, then each cache mode (and the floor) by wrk."""
    stored = data.load_article_comments(n)
    path = data.article().url
    log(f"N={n}: {stored} comments stored")
    queries = {}
    html = b""
    for mode in CACHE_MODES:
        queries[mode], content = count_queries(path, mode)
        if mode == "normal":
            html = content
    log(f"N={n}: queries per GET {queries}")
    if measure_floor:
        floor_file = Path(settings.STATIC_ROOT) / FLOOR_PATH
        floor_file.parent.mkdir(parents=True, exist_ok=True)
        floor_file.write_bytes(html)
    cache.clear()  # nothing computed for the previous N survives
    rows = []
    floor = None
    envs = {mode: {"BENCH_CACHE_MODE": mode} for mode in CACHE_MODES}
    with server.running(envs, log_dir) as servers:
        log(f"N={n}: servers ready")
        for mode in CACHE_MODES:
            url = servers[mode].base_url + path
            checks = inspect_page(url, comments_shown(html))
            warm_up(url)
            stats = wrk.measure(url, options.duration, options.runs, f"N={n} {mode}")
            rows.append({"n": n, "variant": mode, "queries": queries[mode], **checks, **stats})
        if measure_floor:
            url = f"{servers['normal'].base_url}{settings.STATIC_URL}{FLOOR_PATH}"
            status, body = server.http_get(url)
            warm_up(url)
            stats = wrk.measure(url, options.duration, options.runs, f"N={n} floor")
            floor = {"n": n, "status": status, "bytes": len(body), **stats}
    return rows, floor


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
    client = Client(HTTP_HOST=HOST)
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
        rows, floor = measure_comment_count(n, options, log_dir, measure_floor)
        results["rows"].extend(rows)
        if floor is not None:
            results["floors"].append(floor)
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
