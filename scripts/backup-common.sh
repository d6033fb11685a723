# What scripts/backup.sh and scripts/restore.sh share: find PostgreSQL's client programs (the newest
# under /usr/lib/postgresql/*/bin, as scripts/with-services.sh does, else PATH) and run the management
# command of the same name with the app's virtualenv.

backup_main() {
    local command=$1
    shift
    if [ "$#" -ne 1 ]; then
        echo "usage: scripts/$command.sh DIR" >&2
        exit 2
    fi
    local directory
    directory=$(realpath -m -- "$1")
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local python="$root/${VENV:-.venv}/bin/python"
    local pgbin
    pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
    local args=("$directory")
    if [ -n "$pgbin" ]; then
        args+=(--pg-bin "$pgbin")
    fi
    cd "$root"
    exec "$python" manage.py "$command" "${args[@]}"
}
