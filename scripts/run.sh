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

# Quiet until the app is up: the details go to var/log, and the address and sign-ins are printed once, last.
echo "Starting: the database, the demo data, a Celery worker and the web server (logs in var/log/)..."
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py ensure_storage
"$PY" manage.py seed_demo >var/log/seed_demo.log 2>&1

worker_pid=""
server_pid=""
stop_all() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        # The server and its autoreloader's child are one process group (setsid, below).
        kill -TERM -- "-$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
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
trap stop_all EXIT
# Ctrl-C is the way to stop the app: not a failure.
trap 'exit 0' INT
trap 'exit 143' TERM

worker_log=var/log/celery.log
: >"$worker_log" # this run's log, so "ready" below is this worker's
# Celery warns at every start that a worker running as root "is absolutely not recommended"; its risk is
# a root worker unpickling messages. Ours accept JSON only (Celery's default accept_content) and
# C_FORCE_ROOT is not set, so Celery still refuses pickle as root; C_FORCE_ROOT would not silence the
# warning anyway (celery/platforms.py). Where the README's first run was as root (a container), the
# worker must write the same SQLite file and queue folders as the server, so it runs as the same user,
# and Python's own warning filter (by the message: -W cannot name Celery's class before it is
# importable) leaves that one warning out. Production runs the worker as a user of its own (README.md).
worker_warnings=()
if [ "$(id -u)" -eq 0 ]; then
    worker_warnings=(-W "ignore:You're running the worker with superuser privileges")
fi
# One process runs both the worker and beat (django-celery-beat's DatabaseScheduler, set in
# settings): fine for one machine. Production runs them as separate processes (README.md). Its banner
# and output go to its log.
"$PY" "${worker_warnings[@]}" -m celery -A secamb_journey worker --beat --pool=solo --loglevel=info \
    --logfile="$worker_log" >>"$worker_log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 120); do
    grep -q " ready\.$" "$worker_log" && break
    kill -0 "$worker_pid" 2>/dev/null || { echo "run.sh: the Celery worker stopped; see $worker_log" >&2; exit 1; }
    sleep 0.5
done

# Its own process group, so that stopping it stops the autoreloader's child too.
setsid "$PY" manage.py runserver "$HOST:$PORT" &
server_pid=$!
for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the web server stopped" >&2; exit 1; }
    sleep 0.5
done

enrolment=$(grep "^Enrolment code" var/log/seed_demo.log | sed 's/^/    /' || true)
cat <<BANNER

  SECAmb Improvement Journey is running at  http://$HOST:$PORT/

  Demo sign-ins (password for all: $DEMO_PASSWORD):
    owner, owner2   action owners          -> /actions/mine/
    lead            improvement lead       -> /actions/queue/ (their work queue)
    board           board member           -> /dashboard/
    comms           communications editor  -> /reports/updates/
    admin           administrator          -> /admin/
${enrolment:+
  Second factor: leads and administrators set up an authenticator app with these one-time codes:
$enrolment
}
  Celery worker + beat: pid $worker_pid, log in $worker_log (e-mails are printed there).
  Stop with Ctrl-C: the worker stops with the server.

BANNER

wait "$server_pid"
