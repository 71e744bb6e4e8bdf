"""Test settings: fast hashing, mail kept in memory, plain static storage."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

DEBUG = False
# The comments app's own test site (tests/testapp) beside the blog: tests/comments runs on
# its page types here, and again on it alone (tests/testapp/settings.py, no blog).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
SECRET_KEY = "test-only-not-secret-3c1e5a7b9d"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks (e-mails) run inline, at commit, so tests see their effects at once; the queue
# backend of the other settings is tested on its own (tests/comments/test_notifications.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The browser tests' live server answers in threads of its own. On SQLite's in-memory test
# database Django shares one connection between those threads and the test's, and two queries
# at once (a page's background fetch while the test writes a comment) break each other's
# transactions at random ("cannot start a transaction within a transaction"). A test database
# in a file gives every thread its own connection, and SQLite's lock with the busy timeout
# serialises the writers; /dev/shm keeps the file in memory. pytest-xdist workers each get
# their own file (pytest-django adds the worker's suffix).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _shm = Path("/dev/shm")  # noqa: S108 - a throwaway test database, recreated each run
    _test_dir = _shm if _shm.is_dir() else Path(tempfile.gettempdir())
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(_test_dir / f"clinic-blog-test-{os.getpid()}.sqlite3")
    }

# With REDIS_URL (CI's PostgreSQL + Redis run), each pytest-xdist worker gets its own Redis
# database, since the tests clear the cache between tests.
if os.environ.get("REDIS_URL"):
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    _redis = urlsplit(os.environ["REDIS_URL"])
    CACHES = {
        "default": {
            "BACKEND": "config.cache.PooledRedisCache",
            "LOCATION": urlunsplit(_redis._replace(path=f"/{1 + int(_worker)}")),
        }
    }
