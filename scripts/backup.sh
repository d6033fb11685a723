#!/usr/bin/env bash
# Backs up the whole record into DIR: the PostgreSQL database DATABASE_URL names (pg_dump's custom
# format, database.dump), a copy of every file in the configured storage (files/, under their stored
# names), and manifest.json: the SHA-256 and size of the dump and of every file, and every table's row
# count, taken in the dump's own snapshot. SHA256SUMS repeats the checksums for `sha256sum -c`.
#
#   scripts/backup.sh DIR        (DIR new or empty; DATABASE_URL and the storage settings from the environment)
#
# Exit 0 when done, 1 on any failure, 2 when the database is not PostgreSQL. Restore: scripts/restore.sh.
set -euo pipefail
source "$(dirname "$0")/backup-common.sh"
backup_main backup "$@"
