"""The site's SQLite database as several processes share it."""

import sqlite3

from config.database import tuned_for_processes


def test_sqlite_gets_a_write_ahead_log_and_waits_for_the_write_lock(tmp_path):
    database = tuned_for_processes(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3")}
    )

    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    connection = sqlite3.connect(database["NAME"])
    connection.executescript(options["init_command"])
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL: durable


def test_options_a_site_sets_itself_win():
    database = tuned_for_processes(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {"timeout": 60}}
    )
    assert database["OPTIONS"]["timeout"] == 60


def test_other_databases_are_left_as_configured():
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "site"}
    assert tuned_for_processes(postgres) == postgres
