"""The benchmark's knobs, read from the environment (no Django here: the runner uses it too)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

COMMENT_COUNTS = (0, 100, 500, 2000)  # N approved comments on the article
QUERY_COUNTS = (0, 500, 2000)  # the N at which the query budget applies
REFERENCE_N = 500  # N for the throughput, size and POST figures
CACHE_MODES = ("cold", "normal", "full-page")
FIRST_VIEW_MODES = ("normal", "full-page")  # the variants with caches an approval invalidates
WRK_THREADS = 2
WRK_CONNECTIONS = 8
GUNICORN_WORKERS = 2
CONCURRENT_POSTERS = 8
SEQUENTIAL_POSTS = 200
MODERATION_ROWS = 100_000
MODERATION_BATCH = 5_000
BULK_APPROVE = 1_000
BULK_APPROVE_TIMEOUT = 10  # seconds; a slower bulk approval is reported as stopped
LISTING_GETS = 5
# Every GET and wrk run sends what a browser sends: gzip (Django's GZipMiddleware, the page
# cache's pre-compressed segments, whitenoise's precompressed floor.html.gz).
ACCEPT_ENCODING = "gzip, deflate, br"
ONE_PAGE_PER_PAGE = 125  # top-level comments per page: N=500's 125 threads all on one page
APPROVAL_ROUNDS = 20  # approvals per "first view after an approval" figure
FOLLOW_UP_GETS = 4  # after the timed GET, two at a time, so both workers serve the new page
DATABASES = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/bench_clinic"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"


@dataclass(frozen=True)
class BenchOptions:
    duration: int  # seconds per wrk run, and of the concurrent-posting run
    runs: int  # wrk runs per measurement (the median is reported)
    databases: tuple[str, ...]
    postgres_url: str

    @classmethod
    def from_env(cls) -> BenchOptions:
        """BENCH_DURATION (10), BENCH_RUNS (3), BENCH_DATABASES ("sqlite,postgresql") and
        BENCH_POSTGRES_URL; the protocol's figures need the defaults."""
        databases = tuple(
            name.strip()
            for name in os.environ.get("BENCH_DATABASES", ",".join(DATABASES)).split(",")
            if name.strip()
        )
        unknown = set(databases) - set(DATABASES)
        if unknown:
            raise SystemExit(f"BENCH_DATABASES: unknown {', '.join(sorted(unknown))}")
        return cls(
            duration=max(1, int(os.environ.get("BENCH_DURATION", "10"))),
            runs=max(1, int(os.environ.get("BENCH_RUNS", "3"))),
            databases=databases,
            postgres_url=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        )
