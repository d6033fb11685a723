"""The daily leavers run, by hand: the same code as the beat task."""

from django.core.management.base import BaseCommand

from secamb_journey.accounts.services import identity_deactivate_leavers


class Command(BaseCommand):
    help = "Deactivate accounts from the identity provider that are inactive or that it reports disabled."

    def handle(self, *args, **options):
        run = identity_deactivate_leavers()
        self.stdout.write(
            f"Deactivated {run.inactive} account(s) not signed in for a long time "
            f"and {run.disabled} disabled at the identity provider."
        )
