# The commands a newcomer needs: `make run` (the app with demo data) and `make test` (every check).
# Everything else here is a step of those two, or a convenience for the people working on the code.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Python 3.11 where the machine has it by that name, else whatever python3 is (it must be 3.11+).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-m 'not browser' -x"
PYTEST_ARGS ?=
export PYTEST_ARGS

# Stamps: re-install only when the requirement or lock files change. They live inside the folders
# they describe, so deleting .venv or node_modules also forgets the stamp.
PIP_STAMP := $(VENV)/.requirements.stamp
NPM_STAMP := node_modules/.package-lock.stamp

.PHONY: help setup setup-run system-packages system-packages-run run test test-postgres lint format loadtest

help:
	@echo "make run            start the app at http://127.0.0.1:8000 with demo data, a Celery worker and beat"
	@echo "make test           ruff, migrations check, pip-audit and the whole pytest suite (SQLite)"
	@echo "make test-postgres  pytest only, against DATABASE_URL, without the browser tests (use: scripts/with-services.sh make test-postgres)"
	@echo "make loadtest       50 staff and 20 readers for 60 s against gunicorn, PostgreSQL and Redis on 127.0.0.1"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make format         ruff format, then ruff check --fix"
	@echo "make bench          time every page at 10,000 actions (SQLite; scripts/with-services.sh make bench: PostgreSQL)"
	@echo "make setup          the virtualenv, npm packages and system packages (run and test do this)"

setup: system-packages $(PIP_STAMP) $(NPM_STAMP)

# What a local run uses, and no more: no nginx (and its headers-more module), Redis or Chromium.
setup-run: system-packages-run $(PIP_STAMP) $(NPM_STAMP)

system-packages:
	@bash scripts/install-system-packages.sh

system-packages-run:
	@bash scripts/install-system-packages.sh --run

$(PIP_STAMP): requirements.txt requirements-dev.txt
	@if [ ! -x $(PY) ]; then \
		test -n "$(PYTHON)" || { echo "No python3.11 or python3 found: install Python 3.11." >&2; exit 1; }; \
		echo "Creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv $(VENV); \
	fi
	@echo "Installing Python requirements into $(VENV)"
	@# -qq: errors only (this machine's pip.conf makes pip warn about every local index it skips).
	@$(PY) -m pip install -qq --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@echo "Installing npm packages (npm ci)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: setup-run
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

# The suite alone (no lint, no pip-audit): CI's second run, against PostgreSQL, Redis and a real
# Celery worker that scripts/with-services.sh starts and describes. Without what `make test` has already
# run and the database does not change: the browser tests (pages in Chromium) and the tests of nginx
# (proxy; the micro-cache in front of a stand-in app). The cross-process tests run here too: their sites
# use this run's database, PostgreSQL; so do the PostgreSQL-only tests (`postgres` marker), nginx's
# among them (proxy and postgres: two app servers behind nginx, reports/tests/test_two_app_servers.py).
# Stored files go to Azurite when AZURITE_CONNECTION_STRING is set (STORAGE_BACKEND=azure).
POSTGRES_PYTEST_ARGS := -m "not browser and (not proxy or postgres)" --ignore=reports/tests/test_nginx_microcache.py
test-postgres: setup
	@case "$${DATABASE_URL:-}" in postgres*) ;; \
		*) echo "test-postgres needs DATABASE_URL=postgres://...; run: scripts/with-services.sh make test-postgres" >&2; exit 2;; \
	esac
	@# Stored files on Azurite (with-services.sh starts it) rather than the disk: every evidence test on object storage.
	@if [ -n "$${AZURITE_CONNECTION_STRING:-}" ]; then \
		export STORAGE_BACKEND=azure AZURE_CONNECTION_STRING="$$AZURITE_CONNECTION_STRING" AZURE_CONTAINER=test-postgres; \
	fi; \
	bash scripts/test.sh --pytest-only $(POSTGRES_PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Bounded load against gunicorn on 127.0.0.1, with throwaway PostgreSQL, Redis and a Celery worker
# (scripts/with-services.sh). Options: LOADTEST_DURATION=60 LOADTEST_STAFF=50 LOADTEST_READERS=20 ...
# (loadtest/run.sh lists them). Results under var/loadtest/. Fails on any error or lost write.
LOADTEST_DURATION ?= 60
export LOADTEST_DURATION
loadtest: setup
	@bash scripts/with-services.sh bash loadtest/run.sh

# Every page timed at 10,000 actions and 200,000 progress updates (manage.py bench), in a database of
# its own (var/bench/bench.sqlite3), writing var/bench/bench-<database>-<time>.json. BENCH_ARGS passes
# options, e.g. make bench BENCH_ARGS="--reuse --repetitions 50". On PostgreSQL and Redis:
# scripts/with-services.sh make bench
BENCH_ARGS ?=
.PHONY: bench
bench: setup
	@# DEBUG only so that this process's settings load without a SECRET_KEY: the measurements run in a
	@# child process with DEBUG off (see benchmarks/command.py and benchmarks/).
	DEBUG=true $(PY) manage.py bench $(BENCH_ARGS)
