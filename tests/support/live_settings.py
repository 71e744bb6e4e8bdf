"""Settings for the site run in real processes by ``tests/support/live_site.py``.

The test settings, then what a live site needs from its environment (set by ``LiveSite``):

- ``LIVE_DATABASE_URL``: its own database (an SQLite file or a PostgreSQL database);
- ``LIVE_REDIS_URL``: Redis for the cache, or empty for Django's local-memory cache (the
  site's default: one cache per process);
- ``LIVE_EMAIL_DIR``: e-mails are written there as files, whichever process sends them;
- ``LIVE_MIN_FILL_SECONDS``: how long a reader must take to fill in the form (default 1 s).
"""

import os

import dj_database_url

from config.database import tuned_for_processes
from config.settings.test import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Two gunicorn workers and management commands write the same file, as on a real site.
DATABASES = {
    "default": tuned_for_processes(
        dj_database_url.parse(os.environ["LIVE_DATABASE_URL"], conn_max_age=60)
    )
}

if os.environ.get("LIVE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.PooledRedisCache",
            "LOCATION": os.environ["LIVE_REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["LIVE_EMAIL_DIR"]

COMMENTS_MIN_FILL_SECONDS = int(os.environ.get("LIVE_MIN_FILL_SECONDS", "1"))
COMMENTS_FLOOD_SECONDS = 0
COMMENTS_RATE_LIMIT = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "level": "WARNING"}
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
