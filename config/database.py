"""The database settings every process of the site shares (gunicorn, manage.py, the task worker)."""

from __future__ import annotations

SQLITE_ENGINE = "django.db.backends.sqlite3"


def tuned_for_processes(database: dict) -> dict:
    """SQLite served by several processes at once; other engines are left as they are.

    A write-ahead log lets readers go on while a comment is written and needs one fsync per
    commit instead of the rollback journal's several (``synchronous`` stays FULL: a commit is
    still on disk when it returns). IMMEDIATE takes the write lock at BEGIN, so two writers
    wait in turn, up to the busy timeout, instead of one failing with "database is locked"
    when it upgrades a read lock.
    """
    if database.get("ENGINE") != SQLITE_ENGINE:
        return database
    options = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    return {**database, "OPTIONS": {**options, **database.get("OPTIONS", {})}}
