# Two commands for a fresh clone: `make run` serves the site, `make test` runs every test.
# Both are idempotent: the virtualenv is rebuilt only when requirements.txt changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint chromium

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_content
	$(PY) manage.py ensure_local_admin

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@bash scripts/ensure-chromium.sh

test: $(STAMP) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2
	# The comments app on its own test site (tests/testapp): no blog, no pagecache.
	DJANGO_SETTINGS_MODULE=tests.testapp.settings $(PY) -m pytest -n 2 -m "not browser and not live" tests/comments

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Performance benchmark (not part of the tests): see bench/README.md.
.PHONY: bench
bench: $(STAMP)
	$(PY) bench/run.py
