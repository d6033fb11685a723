#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database and a NEW storage, then checks it.
#
#   scripts/restore.sh DIR       (DATABASE_URL names an empty database; the storage settings an empty
#                                 container, bucket or MEDIA_ROOT)
#
# In order: the backup is checked against its manifest (the dump's and every file's SHA-256: an altered
# backup is refused, naming each altered file); the target is checked empty (a database with tables or a
# storage with files is refused, never overwritten); pg_restore in one transaction; the files are saved
# through the storage API; then every stored file's SHA-256 and every table's row count are compared
# with the manifest. Exit 0 when all agree; 1 naming each mismatch; 2 when the database is not PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/backup-common.sh"
backup_main restore "$@"
