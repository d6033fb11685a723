#!/usr/bin/env bash
# Every check CI runs, in order: ruff (lint and format), missing migrations, known vulnerabilities in
# the pinned requirements, then the whole pytest suite, browser tests included. Each step runs even
# if an earlier one failed, so one run shows every problem; the exit code is non-zero if any failed.
#
#   scripts/test.sh                         all of it (what `make test` runs)
#   scripts/test.sh --pytest-only [ARGS]    the suite alone, with pytest ARGS (what `make test-postgres` runs)
#
# Extra pytest arguments come from PYTEST_ARGS (after ARGS, so they win), e.g.
# PYTEST_ARGS="-m browser" scripts/test.sh
#
# pytest runs on PYTEST_WORKERS processes (pytest-xdist; default 2, this machine's cores; 0: one process,
# e.g. to read a failure in order). `--dist load` hands the tests out in the order pytest-django sorts them
# (database tests, then transactional ones, which empty the database, then the rest), so each process
# runs its share in that order too. Each process has its own test database (and Redis database:
# secamb_journey/settings/test.py), and the browser tests on it their own shared demo world.
set -uo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"

pytest_only=false
case "${1:-}" in
    "") ;;
    --pytest-only)
        pytest_only=true
        shift
        ;;
    *)
        echo "test.sh: unknown option '$1'" >&2
        exit 2
        ;;
esac

if [ ! -x "$PY" ]; then
    echo "test.sh: $PY is missing; run 'make setup' (or 'make test', which does it)" >&2
    exit 2
fi

failed=()
step() {
    printf '\n==> %s\n' "$1"
}

if [ "$pytest_only" = false ]; then
    step "ruff check"
    "$VENV/bin/ruff" check --output-format concise . || failed+=("ruff check")

    step "ruff format --check"
    "$VENV/bin/ruff" format --check --output-format concise . || failed+=("ruff format")

    step "makemigrations --check (no model change without its migration)"
    DJANGO_SETTINGS_MODULE=secamb_journey.settings.test "$PY" manage.py makemigrations --check --dry-run ||
        failed+=("makemigrations --check")

    step "lint-imports (the apps' layers, and no import cycles: .importlinter)"
    "$VENV/bin/lint-imports" || failed+=("lint-imports")

    step "pip-audit -r requirements.txt"
    # pip-audit exits 1 both for a vulnerability and for an error. A vulnerability fails the run; a
    # vulnerability service (or index) that cannot be reached only warns, so an offline machine can
    # still run the tests. Any other error fails, so that a broken audit is not mistaken for a pass.
    audit_log=$(mktemp)
    if "$VENV/bin/pip-audit" --progress-spinner off -r requirements.txt >"$audit_log" 2>&1; then
        cat "$audit_log"
        # pip-audit passes a package it could not look up (the service unreachable, or answering
        # "not found" from behind a mirror) with only a note: say plainly that it was not audited.
        unaudited=$(grep -c 'could not be audited' "$audit_log" || true)
        if [ "$unaudited" -gt 0 ]; then
            echo "WARNING: pip-audit could not look up $unaudited requirement(s) in its vulnerability service;" \
                "those were NOT audited this run." >&2
        fi
    else
        cat "$audit_log"
        if grep -qiE 'known vulnerabilit|^Name +Version +ID' "$audit_log"; then
            failed+=("pip-audit: vulnerable requirement")
        elif grep -qiE 'connection|connect|resolve|name resolution|network is unreachable|timed out|timeout|max retries|proxy|ssl|temporarily unavailable|HTTPError|50[0-9] Server Error' "$audit_log"; then
            echo "WARNING: pip-audit could not reach its vulnerability service; requirements NOT audited this run." >&2
        else
            failed+=("pip-audit (error)")
        fi
    fi
    rm -f "$audit_log"
fi

step "pytest"
# Playwright's sync API runs an event loop in the test thread; Django's live_server teardown then
# refuses database access as "async-unsafe" unless told this is intended (tests only).
export DJANGO_ALLOW_ASYNC_UNSAFE=true
if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: /usr/bin/chromium is missing (browser tests need it): run scripts/install-system-packages.sh" >&2
    failed+=("chromium missing")
fi
# PYTEST_ARGS is split as a shell would split it, so quoted marker expressions work.
eval "pytest_args=(${PYTEST_ARGS:-})"
workers=${PYTEST_WORKERS:-2}
xdist_args=()
if [ "$workers" != 0 ]; then
    xdist_args=(-n "$workers" --dist load)
fi
"$PY" -m pytest "${xdist_args[@]}" "$@" "${pytest_args[@]}"
status=$?
if [ "$status" -eq 5 ]; then
    echo "test.sh: pytest collected no tests (exit 5): check python_files and testpaths in pytest.ini" >&2
fi
[ "$status" -eq 0 ] || failed+=("pytest (exit $status)")

echo
if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "All checks passed."
