"""Make the stored files' container or bucket if it is missing (STORAGE_BACKEND=azure or s3)."""

from django.core.management.base import BaseCommand

from secamb_journey.stored_files import storage_ensure, storage_kind


class Command(BaseCommand):
    help = (
        "Make the Azure container or S3 bucket that STORAGE_BACKEND names if it is missing (private). "
        "Nothing to do for the local disk. Safe to run on every start, by several machines at once."
    )

    def handle(self, *args, **options):
        made = storage_ensure()
        if made:
            self.stdout.write(f"Made the {made}.")
        elif options["verbosity"] > 1:
            self.stdout.write(f"The file storage ({storage_kind()}) is ready.")
