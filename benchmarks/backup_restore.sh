#!/usr/bin/env bash
# Times scripts/backup.sh and scripts/restore.sh at a large trust's size: seed_scale's 10,000 actions
# (200,000 progress updates) and FILES random evidence-sized files (default 500 of 100 KB), on Azurite
# and on the local disk. Run it beside throwaway servers, which it fills and which are then thrown away:
#
#   scripts/with-services.sh bash benchmarks/backup_restore.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run it as: scripts/with-services.sh bash benchmarks/backup_restore.sh}"
: "${AZURITE_CONNECTION_STRING:?run it as: scripts/with-services.sh bash benchmarks/backup_restore.sh}"
FILES=${FILES:-500}
export DJANGO_SETTINGS_MODULE=secamb_journey.settings.test
unset REDIS_URL
pgbin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin | sort -V | tail -n 1)
server=${DATABASE_URL%/*}
work=$(mktemp -d /tmp/secamb-backup-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export STORAGE_BACKEND=azure AZURE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING" AZURE_CONTAINER=bench-original
timed() { local label=$1; shift; /usr/bin/time -f "$label: %e s" "$@" >/dev/null; }

.venv/bin/python manage.py ensure_storage
timed "seed_scale, 10,000 actions" .venv/bin/python manage.py seed_scale --actions 10000 --updates 200000
timed "$FILES files of 100 KB" .venv/bin/python manage.py shell -c "
import os
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
for i in range($FILES):
    default_storage.save(f'evidence/BENCH/{i:04d}.pdf', ContentFile(os.urandom(100_000)))
"
timed "backup.sh from Azurite" bash scripts/backup.sh "$work/backup"
du -sh "$work/backup/database.dump" "$work/backup/files"
"$pgbin/createdb" --maintenance-db="$DATABASE_URL" bench_restored_azure
AZURE_CONTAINER=bench-restored DATABASE_URL="$server/bench_restored_azure" \
    timed "restore.sh to Azurite" bash scripts/restore.sh "$work/backup"
"$pgbin/createdb" --maintenance-db="$DATABASE_URL" bench_restored_disk
STORAGE_BACKEND=filesystem MEDIA_ROOT="$work/media" DATABASE_URL="$server/bench_restored_disk" \
    timed "restore.sh to the disk" bash scripts/restore.sh "$work/backup"
STORAGE_BACKEND=filesystem MEDIA_ROOT="$work/media" DATABASE_URL="$server/bench_restored_disk" \
    timed "backup.sh from the disk" bash scripts/backup.sh "$work/backup-disk"
uptime
