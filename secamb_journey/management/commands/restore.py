"""Restore a backup into an empty database and an empty storage, then check it against its manifest."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from secamb_journey.backup import BackupError, BackupUnsupported, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the backup in DIR (made by `backup`) into the empty database named by DATABASE_URL and the "
        "empty default storage; refuse an altered backup or a target holding data; then check every stored "
        "file's SHA-256 and every table's row count against the manifest. scripts/restore.sh runs this."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A folder written by `backup`.")
        parser.add_argument("--pg-bin", default=None, help="The folder holding pg_restore (default: PATH).")

    def handle(self, *args, directory, pg_bin, **options):
        try:
            manifest = backup_restore(directory, connection=connection, storage=default_storage, pg_bin=pg_bin)
        except BackupUnsupported as error:
            raise CommandError(str(error), returncode=2) from None
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored and checked {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) "
            f"and {len(manifest['files'])} stored files from {directory} (taken {manifest['taken_at']})."
        )
