#!/usr/bin/env bash
# Runs a command beside throwaway production services, then stops them all, whatever happens.
#
#   scripts/with-services.sh make test-postgres     (what CI runs)
#   scripts/with-services.sh bash                   (a shell with them, to poke at by hand)
#
# What it starts, all on 127.0.0.1 and all gone afterwards:
#   - PostgreSQL (the newest under /usr/lib/postgresql/*/bin) on PG_PORT (54329), data under /tmp,
#     superuser `postgres`, trust authentication, fsync off: for tests only;
#   - Redis on REDIS_PORT (63799), no persistence;
#   - Azurite, Microsoft's Azure Storage emulator (node_modules/.bin/azurite-blob), blob service only,
#     on AZURITE_PORT (10000), its data under this script's temporary directory, without telemetry
#     (these machines have no outside network);
#   - a real Celery worker with beat (`celery -A secamb_journey worker --beat --pool=solo`) on the base
#     settings as production runs them (DEBUG off, tasks not eager), against the database `secamb`
#     (migrated first) and the broker redis://127.0.0.1:REDIS_PORT/0.
#
# The contract with the command (and with the tests it runs):
#   DATABASE_URL              postgres://postgres@127.0.0.1:PG_PORT/secamb. pytest-django builds its
#                             own database `test_secamb` from it, so tests never touch `secamb`.
#   REDIS_URL                 redis://127.0.0.1:REDIS_PORT/1: the command's cache (and broker, though
#                             test settings run tasks eagerly). Database 1, so nothing the tests do
#                             lands on the live worker's queue by accident.
#   CELERY_LIVE_BROKER_URL    redis://127.0.0.1:REDIS_PORT/0: the queue the live worker consumes.
#   CELERY_LIVE_DATABASE_URL  postgres://postgres@127.0.0.1:PG_PORT/secamb: the database the live
#                             worker reads and writes. Tests marked `celery_worker` send tasks to
#                             the live broker and check their effect here, through their own
#                             connection; they are skipped when CELERY_LIVE_BROKER_URL is not set.
#   CELERY_LIVE_WORKER_LOG    the live worker's log file (its console e-mails are there too).
#   AZURITE_CONNECTION_STRING the well-known development account's connection string for the Azurite
#                             above (BlobEndpoint=http://127.0.0.1:AZURITE_PORT/devstoreaccount1).
#                             The command chooses whether to use it (STORAGE_BACKEND=azure with
#                             AZURE_CONNECTION_STRING set to it); tests marked `azurite` are
#                             skipped when it is not set.
# The command's exit code is this script's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
PY="$ROOT/$VENV/bin/python"
PG_PORT=${PG_PORT:-54329}
REDIS_PORT=${REDIS_PORT:-63799}
AZURITE_PORT=${AZURITE_PORT:-10000}
AZURITE="$ROOT/node_modules/.bin/azurite-blob"
DB_NAME=secamb

say() { echo "with-services: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for NAME LOG SECONDS PID CHECK...: runs CHECK every 0.1 s until it succeeds; after SECONDS, or as soon
# as PID (when not empty) has exited, says NAME did not answer, shows LOG and exits.
wait_for() {
    local name=$1 log=$2 seconds=$3 pid=$4
    shift 4
    for _ in $(seq 1 $((seconds * 10))); do
        "$@" && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    say "$name did not answer in $seconds s"
    cat "$log" >&2
    exit 1
}

bash scripts/install-system-packages.sh --postgres
make --no-print-directory setup >&2

pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/pg_ctl" ]; then
    say "no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/install-system-packages.sh --postgres)"
    exit 1
fi
if [ ! -x "$AZURITE" ]; then
    say "no Azurite at $AZURITE (npm devDependency azurite: make setup)"
    exit 1
fi
for port in "$PG_PORT" "$REDIS_PORT" "$AZURITE_PORT"; do
    if port_in_use "$port"; then
        say "port $port on 127.0.0.1 is already in use; set PG_PORT / REDIS_PORT / AZURITE_PORT to free ports"
        exit 1
    fi
done

# PostgreSQL refuses to run as root, and its data directory must be somewhere its user can enter.
if [ "$(id -u)" -eq 0 ]; then
    as_pg=(runuser -u postgres --)
else
    as_pg=()
fi

workdir=$(mktemp -d /tmp/secamb-services.XXXXXX)
pgdata=""
pg_started=false
redis_started=false
worker_pid=""
azurite_pid=""

# stop NAME PID SECONDS: asks a process this script started (PID, when not empty and alive) to stop, and
# kills it if it has not stopped after SECONDS.
stop() {
    local name=$1 pid=$2 seconds=$3
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        return 0
    fi
    say "stopping $name (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 $((seconds * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name did not stop in $seconds s; killing it"
        kill -KILL "$pid"
    fi
    wait "$pid" 2>/dev/null
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    set +e
    stop "the Celery worker" "$worker_pid" 30
    if [ "$status" -ne 0 ] && [ -s "$workdir/celery.log" ]; then
        say "last lines of the Celery worker's log:"
        tail -n 30 "$workdir/celery.log" >&2
    fi
    stop Azurite "$azurite_pid" 5
    if [ "$redis_started" = true ]; then
        say "stopping Redis"
        redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
    fi
    if [ "$pg_started" = true ]; then
        say "stopping PostgreSQL"
        "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    fi
    [ -n "$pgdata" ] && rm -rf "$pgdata"
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL ---------------------------------------------------------------------------------
pgdata=$(mktemp -d /tmp/secamb-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pgdata"
fi
chmod 700 "$pgdata"
say "starting PostgreSQL ($pgbin) on 127.0.0.1:$PG_PORT"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    --no-instructions >"$workdir/initdb.log" 2>&1 || {
    cat "$workdir/initdb.log" >&2
    exit 1
}
# The server's log lives in its own data directory, which only its user may write.
pg_started=true
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -w -l "$pgdata/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
    cat "$pgdata/server.log" >&2
    exit 1
}
"$pgbin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$DB_NAME"

# --- Redis --------------------------------------------------------------------------------------
say "starting Redis on 127.0.0.1:$REDIS_PORT"
mkdir -p "$workdir/redis"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
    --dir "$workdir/redis" --logfile "$workdir/redis/redis.log" --pidfile "$workdir/redis/redis.pid" >/dev/null
redis_started=true
redis_answers() { [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
wait_for Redis "$workdir/redis/redis.log" 5 "" redis_answers

# --- Azurite (blob service only) -----------------------------------------------------------------
say "starting Azurite on 127.0.0.1:$AZURITE_PORT"
mkdir -p "$workdir/azurite"
"$AZURITE" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --location "$workdir/azurite" \
    --disableTelemetry --skipApiVersionCheck --silent >"$workdir/azurite.log" 2>&1 &
azurite_pid=$!
wait_for Azurite "$workdir/azurite.log" 10 "$azurite_pid" port_in_use "$AZURITE_PORT"
# The well-known development account (public, documented by Microsoft; not a secret).
azurite_connection_string="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;"

# --- The live Celery worker and beat ------------------------------------------------------------
live_database_url="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
live_broker_url="redis://127.0.0.1:$REDIS_PORT/0"
# The base settings, as production runs them (the test settings would make every task eager), with
# only what a loopback machine without HTTPS or SMTP needs changed.
live_env=(
    DJANGO_SETTINGS_MODULE=secamb_journey.settings.base
    DEBUG=false
    SECRET_KEY="with-services-throwaway-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    ALLOWED_HOSTS=localhost,127.0.0.1
    SECURE_SSL_REDIRECT=false
    SESSION_COOKIE_SECURE=false
    CSRF_COOKIE_SECURE=false
    CELERY_TASK_ALWAYS_EAGER=false
    DATABASE_URL="$live_database_url"
    REDIS_URL="$live_broker_url"
    CELERY_BROKER_URL="$live_broker_url"
    MEDIA_ROOT="$workdir/media"
    CELERY_DATA_DIR="$workdir/celery"
    EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
    LOG_LEVEL=INFO
)
mkdir -p "$workdir/media" "$workdir/celery"

say "migrating the live database '$DB_NAME'"
env "${live_env[@]}" "$PY" manage.py migrate --noinput >"$workdir/migrate.log" 2>&1 || {
    cat "$workdir/migrate.log" >&2
    say "migrate failed"
    exit 1
}

say "starting a Celery worker with beat (log: $workdir/celery.log)"
env "${live_env[@]}" "$PY" -m celery -A secamb_journey worker --beat --pool=solo --loglevel=info \
    --without-mingle --without-gossip --hostname="secamb-live@%h" --logfile="$workdir/celery.log" \
    >"$workdir/celery.out" 2>&1 &
worker_pid=$!
wait_for "The Celery worker" "$workdir/celery.out" 60 "$worker_pid" grep -qs ' ready\.' "$workdir/celery.log"

# --- The command --------------------------------------------------------------------------------
export DATABASE_URL="$live_database_url"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1"
export CELERY_LIVE_BROKER_URL="$live_broker_url"
export CELERY_LIVE_DATABASE_URL="$live_database_url"
export CELERY_LIVE_WORKER_LOG="$workdir/celery.log"
export AZURITE_CONNECTION_STRING="$azurite_connection_string"
say "services ready; running: $*"
set +e
"$@"
status=$?
set -e
say "command exited $status"
exit "$status"
