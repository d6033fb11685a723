"""Restore the backup in DIR (made by `backup`) into the empty database named by DATABASE_URL and the empty
default storage; refuse an altered backup or a target holding data; then check every stored file's SHA-256
and every table's row count against the manifest. scripts/restore.sh runs this."""

from secamb_journey.backup import BackupCommand, backup_restore


class Command(BackupCommand):
    help = __doc__  # the module's docstring: what `manage.py help` shows
    directory_help = "A folder written by `backup`."
    program = "pg_restore"

    def handle(self, *args, directory, pg_bin, **options):
        manifest = self.run(backup_restore, directory, pg_bin)
        self.stdout.write(
            f"Restored and checked {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) "
            f"and {len(manifest['files'])} stored files from {directory} (taken {manifest['taken_at']})."
        )
