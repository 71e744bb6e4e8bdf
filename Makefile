# Two commands for a fresh clone: `make run` serves the site, `make test` runs every test.
# Both are idempotent: the virtualenv is rebuilt only when a requirements file changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Extra pytest arguments, e.g. `make test PYTEST_ARGS='-m "not browser"'` (CI's second pass).
PYTEST_ARGS ?=

.PHONY: run test setup lint chromium package fresh-site

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_content
	$(PY) manage.py ensure_local_admin

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# Installs Debian's Chromium when it can; otherwise the browser tests are skipped (outside CI).
chromium:
	@bash scripts/ensure-chromium.sh

test: $(STAMP) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 -rs $(PYTEST_ARGS)
	# The comments app on its own test site (tests/testapp): no blog, no pagecache.
	DJANGO_SETTINGS_MODULE=tests.testapp.settings $(PY) -m pytest -n 2 -m "not browser and not live" tests/comments

# Style, migrations in step with the models, and every template compiles (tests/test_templates.py).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -q tests/test_templates.py

# The comments app's wheel and sdist, in dist/.
package: $(STAMP)
	rm -rf dist build
	$(PY) -m build --outdir dist .

# A fresh Wagtail project installs the wheel and runs the README's steps (scripts/fresh_site.py).
fresh-site: package
	$(PY) scripts/fresh_site.py dist/*.whl

# Performance benchmark (not part of the tests): see bench/README.md.
.PHONY: bench
bench: $(STAMP)
	$(PY) bench/run.py
