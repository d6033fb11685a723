"""Back up the whole record into a folder: the database, every stored file, a manifest of checksums."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from secamb_journey.backup import BackupError, BackupUnsupported, backup_take


class Command(BaseCommand):
    help = (
        "Back up the database named by DATABASE_URL (PostgreSQL: pg_dump's custom format) and every file "
        "in the default storage into DIR, with manifest.json (SHA-256 and size of the dump and of each file, "
        "every table's row count). scripts/backup.sh runs this."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new or empty folder.")
        parser.add_argument("--pg-bin", default=None, help="The folder holding pg_dump (default: PATH).")

    def handle(self, *args, directory, pg_bin, **options):
        try:
            manifest = backup_take(directory, connection=connection, storage=default_storage, pg_bin=pg_bin)
        except BackupUnsupported as error:
            raise CommandError(str(error), returncode=2) from None
        except BackupError as error:
            raise CommandError(str(error)) from None
        for entry in manifest["unstored"]:
            self.stderr.write(f"Warning: {entry['name']} is named by {entry['named_by']} but was not in the storage.")
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) and "
            f"{len(manifest['files'])} stored files into {directory}."
        )
