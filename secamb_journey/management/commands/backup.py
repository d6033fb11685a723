"""Back up the database named by DATABASE_URL (PostgreSQL: pg_dump's custom format) and every file in the
default storage into DIR, with manifest.json (SHA-256 and size of the dump and of each file, every table's
row count). scripts/backup.sh runs this."""

from secamb_journey.backup import BackupCommand, backup_take


class Command(BackupCommand):
    help = __doc__  # the module's docstring: what `manage.py help` shows
    directory_help = "A new or empty folder."
    program = "pg_dump"

    def handle(self, *args, directory, pg_bin, **options):
        manifest = self.run(backup_take, directory, pg_bin)
        for entry in manifest["unstored"]:
            self.stderr.write(f"Warning: {entry['name']} is named by {entry['named_by']} but was not in the storage.")
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) and "
            f"{len(manifest['files'])} stored files into {directory}."
        )
