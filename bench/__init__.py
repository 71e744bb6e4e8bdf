"""Performance benchmark of the article page and the comments app (see bench/README.md).

Not part of the test suite: ``make bench`` runs it against SQLite and PostgreSQL and writes the
results into bench/README.md.
"""
