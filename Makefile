# Crocevia: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
# Links in mail sent from the background must point at the port the portal really listens on.
PUBLIC_URL ?= http://127.0.0.1:$(PORT)
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
VENDOR := portal/static/vendor/bootstrap-italia
APT_GET := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
# Some environments set PYTHONDONTWRITEBYTECODE: then pytest rewrites the assertions of every test
# module and plugin again in each process (seconds per xdist worker). The caches are git-ignored.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run serve test lint test-sqlite test-postgres test-browser install assets translations extract-messages migrate \
        setup-data browser lint clean help

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - the whole suite on SQLite, and on PostgreSQL when it answers (browser tests once)"
	@echo "make lint   - ruff (lint and format) and mypy"
	@echo "make serve  - production: migrate, sync tenants, gunicorn on PORT (see docs/deploy.md)"

$(STAMP_PY): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@

install: $(STAMP_PY) assets translations

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: $(STAMP_NPM)
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)
	cp -r node_modules/bootstrap-italia/dist/css node_modules/bootstrap-italia/dist/js \
	      node_modules/bootstrap-italia/dist/fonts node_modules/bootstrap-italia/dist/svg $(VENDOR)/
	touch $@

assets: $(VENDOR)/.copied

translations: $(STAMP_PY)
	@$(BIN)/pybabel compile -d portal/translations -D messages >/dev/null

extract-messages: $(STAMP_PY)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o portal/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations -D messages --no-fuzzy-matching
	$(BIN)/python portal/translations/fill_catalogs.py

migrate: install
	$(FLASK) db upgrade

setup-data: migrate
	$(FLASK) tenants sync
	$(FLASK) demo load
	$(FLASK) search rebuild

run: setup-data
	@$(FLASK) demo logins
	@echo "Serving Crocevia on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	PUBLIC_URL=$(PUBLIC_URL) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: the configuration checked in one line, migrations and tenant sync under a lock (safe
# when two hosts start at once), then gunicorn on $$PORT with $$WEB_CONCURRENCY workers. No demo data.
serve: install
	@$(BIN)/python -m portal.preflight
	$(FLASK) deploy prepare
	exec $(BIN)/gunicorn -c python:portal.gunicorn_conf wsgi:app

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq chromium; }

# ruff (lint + format) and mypy (strict on models, services and search_index), as configured in
# pyproject.toml; CI runs it before the tests.
lint: $(STAMP_PY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The browser tests (Chromium) do not depend on the database engine: they run once, with
# PostgreSQL when it answers, else with SQLite; every other test runs on both.
test: install browser
	$(MAKE) test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) test-postgres; \
	else echo "PostgreSQL not reachable at $(PG_TEST_URL): skipping the PostgreSQL run"; \
	  if [ -n "$$CI" ]; then echo "CI must run on PostgreSQL too"; exit 1; fi; \
	  $(MAKE) test-browser; fi

# Two workers (-n auto on this machine's 2 cores); each has its own SQLite file or PostgreSQL schema.
PYTEST := $(BIN)/pytest -q -n auto --dist worksteal

# The quick loop: everything but the browser tests and the few slow tests marked `once` that do not
# depend on the database; `make test` runs those in the PostgreSQL run (or with test-browser).
test-sqlite: install
	$(PYTEST) -m "not browser and not once"

test-postgres: install browser
	TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST)

test-browser: install browser
	$(PYTEST) -m "browser or once"

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
