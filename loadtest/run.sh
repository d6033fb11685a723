#!/usr/bin/env bash
# The load test, end to end: `make loadtest` runs this inside scripts/with-services.sh, which gives it
# a throwaway PostgreSQL, Redis and a live Celery worker on 127.0.0.1 (and stops them afterwards).
#
#   make loadtest                                  60 s, 50 staff, 20 anonymous readers
#   make loadtest LOADTEST_DURATION=15             a short run
#   scripts/with-services.sh bash loadtest/run.sh  the same, by hand
#
# Options (environment): LOADTEST_DURATION (seconds, 60), LOADTEST_STAFF (50), LOADTEST_READERS (20),
# LOADTEST_THINK (average seconds between one person's requests, 1), LOADTEST_RAMP (seconds over which the staff arrive to sign in, before the timed run, 60),
# LOADTEST_PORT (a free one), LOADTEST_WORKERS (gunicorn processes, 3), LOADTEST_THREADS (threads each, 8),
# LOADTEST_TO_ASSURE (complete actions the two leads sign off together, 200), LOADTEST_OUT (var/loadtest),
# LOADTEST_SETTINGS (secamb_journey.settings.base; loadtest.short_settings collects no static files).
# Results: printed, and written to $LOADTEST_OUT/result-<time>.json. Exit status 0 only with zero
# errors and zero lost writes. Traffic goes to 127.0.0.1 only.
# secamb_journey/tests/test_loadtest.py runs this for a few seconds in CI, so it cannot rot unnoticed.
set -euo pipefail

cd "$(dirname "$0")/.."
PY="$PWD/${VENV:-.venv}/bin/python"
case "${DATABASE_URL:-}" in
    postgres*) ;;
    *) echo "loadtest: needs PostgreSQL and Redis; run it as: make loadtest (or scripts/with-services.sh bash loadtest/run.sh)" >&2
       exit 2 ;;
esac
: "${REDIS_URL:?loadtest: REDIS_URL is not set; run it through scripts/with-services.sh}"

DURATION=${LOADTEST_DURATION:-60}
STAFF=${LOADTEST_STAFF:-50}
READERS=${LOADTEST_READERS:-20}
THINK=${LOADTEST_THINK:-1}
RAMP=${LOADTEST_RAMP:-60}
# A free loopback port unless one is given: several people (or CI jobs) may run this on one machine.
PORT=${LOADTEST_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORKERS=${LOADTEST_WORKERS:-3}
THREADS=${LOADTEST_THREADS:-8}
TO_ASSURE=${LOADTEST_TO_ASSURE:-200}
OUT=${LOADTEST_OUT:-var/loadtest}
mkdir -p "$OUT"
scratch=$(mktemp -d /tmp/secamb-loadtest.XXXXXX)
password="loadtest-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# Production settings (DEBUG off, manifest static files, tasks queued to the live worker), except
# that this server speaks plain HTTP on loopback, so the HTTPS redirect and HTTPS-only cookies are
# turned off: with them on, no browser-like client could sign in over http://127.0.0.1.
SETTINGS=${LOADTEST_SETTINGS:-secamb_journey.settings.base}
export DJANGO_SETTINGS_MODULE="$SETTINGS"
export DEBUG=false
export SECRET_KEY="loadtest-throwaway-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
# Public pages are cached only for requests addressed to SITE_URL's host (and port).
export SITE_URL="http://127.0.0.1:$PORT"
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export CELERY_BROKER_URL="${CELERY_LIVE_BROKER_URL:-$REDIS_URL}"
export CELERY_TASK_ALWAYS_EAGER=false
export MEDIA_ROOT="$scratch/media" CELERY_DATA_DIR="$scratch/celery"
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export LOG_LEVEL=WARNING

gunicorn_pid=""
cleanup() {
    local status=$?
    if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
        kill -TERM "$gunicorn_pid"
        wait "$gunicorn_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
    exit "$status"
}
trap cleanup EXIT

echo "loadtest: collecting static files and seeding $STAFF staff" >&2
"$PY" manage.py migrate --noinput -v0
if [ "$SETTINGS" != loadtest.short_settings ]; then
    "$PY" manage.py collectstatic --noinput -v0
fi
"$PY" -m loadtest.seed --staff "$STAFF" --to-assure "$TO_ASSURE" --password "$password" --out "$scratch/people.json"

# --keep-alive 5: longer than a simulated person's longest pause (1.5 x think), as a proxy in front
# of gunicorn would keep its upstream connections; the default (2 s) closes them mid-conversation.
echo "loadtest: starting gunicorn on 127.0.0.1:$PORT ($WORKERS workers x $THREADS threads)" >&2
"$PY" -m gunicorn secamb_journey.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --threads "$THREADS" --worker-class gthread --timeout 60 --keep-alive 5 --error-logfile "$OUT/gunicorn.log" &
gunicorn_pid=$!
for _ in $(seq 1 60); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)
    [ "$code" = 200 ] && break
    sleep 0.5
done
if [ "$code" != 200 ]; then
    echo "loadtest: gunicorn did not answer /healthz with 200 (last: $code); see $OUT/gunicorn.log" >&2
    exit 1
fi

"$PY" -m loadtest.load --host 127.0.0.1 --port "$PORT" --people "$scratch/people.json" --password "$password" \
    --staff "$STAFF" --readers "$READERS" --duration "$DURATION" --ramp "$RAMP" --think "$THINK" \
    --json "$OUT/result-$(date -u +%Y%m%dT%H%M%SZ).json"
