"""The moderation queue at a million comments, on PostgreSQL (issue 14 point 7).

``python -m bench.queue_scale --rows 1000000 --database-url postgresql://postgres@127.0.0.1/bench_x``
migrates the database (its name must contain ``bench``; it is not dropped), loads the seed
content, fills the comment table up to ``--rows`` with one ``INSERT ... SELECT`` over
``generate_series`` (the rows ``data.fill_moderation_queue`` makes, plus a rare word in one body
in 1,000), runs ``VACUUM ANALYZE``, then times as a superuser, in-process, the median of 5 GETs
after a warm-up: the listing, its page 50, a search for a word, a name, an e-mail and an IP
fragment, each filter, the tab counts, and 5 bulk approvals of the 1,000 newest pending
comments. It checks that every search's plan reads the trigram indexes (migration 0018) and
prints a markdown table (operation, budget, measured, PASS/FAIL); ``--out`` writes JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rows", type=int, default=1_000_000)
parser.add_argument("--database-url", required=True)
parser.add_argument("--out", type=Path)
parser.add_argument("--runs", type=int, default=5)
ARGS = parser.parse_args()
if "bench" not in ARGS.database_url.rsplit("/", 1)[-1]:
    raise SystemExit("--database-url: the database's name must contain 'bench'")
os.environ["BENCH_DATABASE_URL"] = ARGS.database_url
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

# No collectstatic here: the admin's static URLs come unhashed (a dict lookup less per URL).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import data, pages  # noqa: E402
from blog.management.commands.load_seed_content import KNEE_PAIN_SLUG  # noqa: E402
from blog.models import ArticlePage  # noqa: E402
from comments.admin_listing import MatchingIds, search_condition  # noqa: E402
from comments.migrations import __name__ as _migrations  # noqa: E402
from comments.models import Comment, CommentStatus  # noqa: E402
from comments.moderation import ACTIONS, apply_action, status_counts  # noqa: E402
from comments.sanitize import sanitize_comment  # noqa: E402
from comments.viewsets import CommentViewSet  # noqa: E402

RARE_WORD = "sciatica"  # in one body in 1,000, instead of "lower back pain"
search_indexes = importlib.import_module(f"{_migrations}.0018_search_indexes")
BUDGETS_MS = {"listing": 200, "search": 300, "filter": 200, "counts": 200, "approve": 1000}


def log(message: str) -> None:
    print(f"[queue-scale] {message}", file=sys.stderr, flush=True)


def fill(total: int) -> int:
    """Adds top-level comments on the related article until ``total`` are stored, in one
    statement; the same rows as ``data.fill_moderation_queue`` (HTML sanitised once from the
    template, checked on a sample), one minute apart, the newest a minute ago."""
    missing = max(0, total - Comment.objects.count())
    if not missing:
        return 0
    placeholder = "NUMBERPLACEHOLDER"
    html = sanitize_comment(data.BODY.format(i=placeholder))
    assert html.replace(placeholder, "7") == sanitize_comment(data.body(7)), "template differs"
    oldest = timezone.now() - timezone.timedelta(minutes=missing + 1)
    sql = """
        INSERT INTO comments_comment (
            page_id, name, email, website, body, body_html, status, created, updated,
            ip_address, user_agent, notify_replies, is_site_reply, import_source, import_id,
            spam_verdict, spam_verdict_by, publish_if_ham, address_verified,
            awaiting_confirmation, pinned, block_mark
        )
        SELECT %(page)s, 'Queue reader ' || j, 'queue-' || j || '@example.com',
            CASE WHEN j %% 2 = 0 THEN '' ELSE 'https://example.com/q' || j END,
            CASE WHEN j %% 1000 = 7 THEN replace(b, 'lower back pain', %(rare)s) ELSE b END,
            CASE WHEN j %% 1000 = 7 THEN replace(h, 'lower back pain', %(rare)s) ELSE h END,
            CASE WHEN j %% 10 = 0 THEN 'pending' WHEN j %% 20 = 1 THEN 'spam'
                 ELSE 'approved' END,
            %(oldest)s + j * interval '1 minute', now(),
            ('10.' || ((j >> 16) & 255) || '.' || ((j >> 8) & 255) || '.' || (j & 255))::inet,
            '', false, false, '', '', '', '', false, false, false, false, ''
        FROM (
            SELECT j, replace(%(body)s, %(ph)s, j::text) AS b,
                replace(%(html)s, %(ph)s, j::text) AS h
            FROM generate_series(0, %(last)s) AS j
        ) AS rows
    """
    # The trigram indexes are dropped for the load and built again after it: far quicker
    # than maintaining them row by row.
    with connection.schema_editor() as editor:
        search_indexes.drop_search_indexes(None, editor)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "page": data.related_article().pk,
                "rare": RARE_WORD,
                "oldest": oldest,
                "body": data.BODY.format(i=placeholder),
                "html": html,
                "ph": placeholder,
                "last": missing - 1,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
    with connection.schema_editor() as editor:
        search_indexes.create_search_indexes(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE comments_comment")
    return missing


def median_ms(function, runs: int) -> tuple[float, list[float]]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


def get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")


def search_plan_uses_indexes(query: str) -> bool:
    """Whether PostgreSQL's plan for the queue's search, as the listing runs it (one page),
    reads the trigram indexes."""
    matching = Comment.objects.filter(search_condition(CommentViewSet.search_fields, query))
    plan = Comment.objects.filter(MatchingIds(matching))[:20].explain()
    return "_trgm" in plan


def approve_newest_pending(count: int) -> dict:
    ids = list(
        Comment.objects.filter(status=CommentStatus.PENDING)
        .order_by("-created", "-pk")
        .values_list("pk", flat=True)[:count]
    )
    started = time.perf_counter()
    with transaction.atomic():
        approved = len(apply_action(ACTIONS["approve"], ids, data.superuser()))
    return {"ms": (time.perf_counter() - started) * 1000, "approved": approved}


def main() -> int:
    call_command("migrate", interactive=False, verbosity=0)
    if not ArticlePage.objects.filter(slug=KNEE_PAIN_SLUG).exists():
        call_command("load_seed_content", verbosity=0)
    started = time.perf_counter()
    added = fill(ARGS.rows)
    stored = Comment.objects.count()
    log(f"{added} rows added in {time.perf_counter() - started:.0f} s ({stored} stored)")
    cache.clear()
    client = Client(HTTP_HOST=pages.HOST)
    client.force_login(data.superuser())
    page_id = data.related_article().pk
    newest = Comment.objects.order_by("-created").values_list("created", flat=True).first()
    month_ago = (newest - timezone.timedelta(days=30)).date().isoformat()
    year_ago = (newest - timezone.timedelta(days=365)).date().isoformat()
    j = ARGS.rows // 2 + 345  # a row in the middle of the table
    searches = {
        f"search a word ({RARE_WORD})": RARE_WORD,
        f"search a name fragment (reader {j})": f"reader {j}",
        f"search an e-mail fragment (queue-{j}@)": f"queue-{j}@",
        "search an IP fragment (10.7.19.)": "10.7.19.",
        # The worst case: a word nearly every comment has (counting 950,000 matches).
        "search a word in every comment (physiotherapist)": "physiotherapist",
    }
    urls = {
        "listing": "/admin/comments/",
        "listing ?p=50": "/admin/comments/?p=50",
        **{label: "/admin/comments/?" + _q(q) for label, q in searches.items()},
        "filter status=pending": "/admin/comments/?status=pending",
        "filter status=approved ?p=50": "/admin/comments/?status=approved&p=50",
        "filter status=spam": "/admin/comments/?status=spam",
        "filter page": f"/admin/comments/?page={page_id}",
        f"filter date (from {month_ago})": f"/admin/comments/?created_from={month_ago}",
        f"filter date (to {year_ago})": f"/admin/comments/?created_to={year_ago}",
    }
    rows = []
    for label, url in urls.items():
        ms, times = median_ms(lambda url=url: get(client, url), ARGS.runs)
        kind = (
            "search" if label.startswith("search") else label.split()[0].replace("listing", "")
        ) or "listing"
        rows.append(
            {
                "operation": label,
                "url": url,
                "kind": kind,
                "ms": ms,
                "times_ms": times,
            }
        )
        log(f"{label}: {ms:.0f} ms")
    ms, times = median_ms(lambda: status_counts(), ARGS.runs)
    rows.append(
        {
            "operation": "tab counts (status_counts)",
            "kind": "counts",
            "ms": ms,
            "times_ms": times,
        }
    )
    approvals = [approve_newest_pending(1000) for _ in range(ARGS.runs)]
    rows.append(
        {
            "operation": "bulk approve 1,000 (apply_action, committed)",
            "kind": "approve",
            "ms": statistics.median(a["ms"] for a in approvals),
            "times_ms": [a["ms"] for a in approvals],
            "approved": [a["approved"] for a in approvals],
        }
    )
    plans = {query: search_plan_uses_indexes(query) for query in searches.values()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    result = {
        "database": version,
        "comments_stored": stored,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "rows": rows,
        "search_plans_use_trigram_indexes": plans,
    }
    if ARGS.out:
        ARGS.out.write_text(json.dumps(result, indent=2, default=str))
    print(markdown(result))
    return 0


def _q(query: str) -> str:
    return urlencode({"q": query})


def markdown(result: dict) -> str:
    lines = [
        "| operation | budget | measured (median of 5) | result |",
        "| --- | ---: | ---: | --- |",
    ]
    for row in result["rows"]:
        budget = BUDGETS_MS[row["kind"]]
        verdict = "PASS" if row["ms"] <= budget else "FAIL"
        lines.append(f"| {row['operation']} | {budget} ms | {row['ms']:.0f} ms | {verdict} |")
    plans = ", ".join(
        f"{q!r}: {'yes' if used else 'NO'}"
        for q, used in result["search_plans_use_trigram_indexes"].items()
    )
    lines.append("")
    lines.append(f"Search plans read the trigram indexes: {plans}.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
