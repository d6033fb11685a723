#!/usr/bin/env bash
# The whole app on this machine, with no servers to install: SQLite, demo data, a Celery worker with
# beat (through kombu's filesystem broker) in the background, and Django's development server in the
# foreground. Stopping the server (Ctrl-C) stops the worker too. `make run` calls this after setup.
#
# HOST and PORT choose where the server listens (default 127.0.0.1:8000); DEMO_PASSWORD sets the
# demo users' password (default below, also in README.md).
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

if [ ! -x "$PY" ]; then
    echo "run.sh: $PY is missing; run 'make run' (which sets it up) or 'make setup'" >&2
    exit 2
fi

# A laptop: debug pages, console e-mail, no HTTPS redirect. Never set DEBUG=true on a server.
export DEBUG=true
# Links in e-mails and the feed, and the host public pages are cached for: where this server listens.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
export DJANGO_SETTINGS_MODULE=secamb_journey.settings.base
export DEMO_PASSWORD=${DEMO_PASSWORD:-improve-journey-2026}
CELERY_DATA_DIR=${CELERY_DATA_DIR:-$PWD/var/celery}
export CELERY_DATA_DIR
mkdir -p "$CELERY_DATA_DIR/queue" "$CELERY_DATA_DIR/processed" var/log

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

worker_pid=""
stop_worker() {
    if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
        echo "Stopping the Celery worker (pid $worker_pid)..."
        kill -TERM "$worker_pid" 2>/dev/null || true
        # A warm shutdown finishes the task in hand: give it 30 seconds, then insist.
        for _ in $(seq 1 60); do
            kill -0 "$worker_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$worker_pid" 2>/dev/null || true
        wait "$worker_pid" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
# Ctrl-C is the way to stop the app: not a failure.
trap 'exit 0' INT
trap 'exit 143' TERM

worker_log=var/log/celery.log
# One process runs both the worker and beat (django-celery-beat's DatabaseScheduler, set in
# settings): fine for one machine. Production runs them as separate processes (README.md).
"$PY" -m celery -A secamb_journey worker --beat --pool=solo --loglevel=info --logfile="$worker_log" &
worker_pid=$!

cat <<BANNER

  SECAmb Improvement Journey is starting at  http://$HOST:$PORT/

  Demo sign-ins (password for all: $DEMO_PASSWORD):
    owner, owner2   action owners          -> /actions/mine/
    lead            improvement lead       -> /actions/queue/ (their work queue)
    board           board member           -> /dashboard/
    comms           communications editor  -> /reports/updates/
    admin           administrator          -> /admin/

  Celery worker + beat: pid $worker_pid, log in $worker_log (e-mails are printed there).
  Stop with Ctrl-C: the worker stops with the server.

BANNER

"$PY" manage.py runserver "$HOST:$PORT"
