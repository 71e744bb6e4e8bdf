"""Settings for the benchmark: production's, pointed at a throwaway database and tuned by env.

Environment (set by ``bench/run.py``; every one has a default so the module imports anywhere):

- ``BENCH_DATABASE_URL``: the database under test (dj-database-url syntax).
- ``BENCH_CACHE_MODE``: ``cold`` (DummyCache: every cache lookup misses, as if every cache were
  cleared before each request), ``normal`` (the page cache on without whole pages:
  ``PAGECACHE_FULL_PAGE = False``) or ``full-page`` (``PAGECACHE_FULL_PAGE = True``).
- ``REDIS_URL``: when set, the cache lives in Redis (database 2, whatever the URL says), shared
  by both gunicorn workers as in production; otherwise local memory.
- ``BENCH_WORKDIR``: a scratch folder; ``static/`` in it is where ``collectstatic`` writes and
  whitenoise serves from, ``media/`` takes any upload.
"""

from __future__ import annotations

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

CACHE_MODES = ("cold", "normal", "full-page")
BENCH_SECRET_KEY = "bench-only-not-secret-6d1f0b8a2c4e"  # noqa: S105 - benchmark only
BENCH_HOSTS = ["127.0.0.1", "localhost"]
DEFAULT_DATABASE_URL = f"sqlite:///{tempfile.gettempdir()}/bench-clinic.sqlite3"
REDIS_CACHE_DB = 2

_database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
# production.py refuses to start without these; give it harmless values, then override below.
for _name, _value in {
    "SECRET_KEY": BENCH_SECRET_KEY,
    "ALLOWED_HOSTS": ",".join(BENCH_HOSTS),
    "DATABASE_URL": _database_url,
    "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
}.items():
    os.environ.setdefault(_name, _value)

from config.database import tuned_for_processes  # noqa: E402
from config.settings.production import *  # noqa: E402, F403


def redis_url_for_bench(url: str) -> str:
    """The same Redis server, but always its database 2 (kept apart from the site's own)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{REDIS_CACHE_DB}"))


def cache_settings(mode: str, redis_url: str | None) -> dict:
    """The settings that make up one cache mode, as a dict (also used with override_settings)."""
    if mode not in CACHE_MODES:
        raise ValueError(f"BENCH_CACHE_MODE must be one of {', '.join(CACHE_MODES)}, not {mode!r}")
    if mode == "cold":
        caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    elif redis_url:
        caches = {
            "default": {
                "BACKEND": "config.cache.PooledRedisCache",
                "LOCATION": redis_url_for_bench(redis_url),
            }
        }
    else:
        caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"CACHES": caches, "PAGECACHE_FULL_PAGE": mode == "full-page"}


DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
ALLOWED_HOSTS = BENCH_HOSTS
CSRF_TRUSTED_ORIGINS = [f"http://{host}" for host in BENCH_HOSTS]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"

# Same parsing as config/settings/base.py, so the database behaves as the site's would.
DATABASES = {"default": tuned_for_processes(dj_database_url.parse(_database_url, conn_max_age=60))}

BENCH_CACHE_MODE = os.environ.get("BENCH_CACHE_MODE", "normal")
_cache = cache_settings(BENCH_CACHE_MODE, os.environ.get("REDIS_URL") or None)
CACHES = _cache["CACHES"]
PAGECACHE_FULL_PAGE = _cache["PAGECACHE_FULL_PAGE"]

# Posting as fast as the server allows: no rate limit, no flood interval, no minimum fill time.
COMMENTS_RATE_LIMIT = 10**9
COMMENTS_FLOOD_SECONDS = 0
COMMENTS_MIN_FILL_SECONDS = 0

# Production's static pipeline (manifest + compression via whitenoise), in a temporary folder.
BENCH_WORKDIR = os.environ.get("BENCH_WORKDIR", os.path.join(tempfile.gettempdir(), "bench-clinic"))
STATIC_ROOT = os.path.join(BENCH_WORKDIR, "static")
MEDIA_ROOT = os.path.join(BENCH_WORKDIR, "media")

# Production's background queue: a POST only INSERTs its notification task into the database's
# queue table. No worker runs during the benchmark; the tasks stay queued (nothing is lost) and
# are thrown away with the throwaway database. Mails a worker would build go to memory.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Only errors are logged: 4xx warnings from django.request must not slow the runs down.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
