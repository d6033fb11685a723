"""`manage.py generate_update [--period YYYY-MM] [--publish]`: the monthly draft task, run by hand."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import PublishedUpdate, UpdateStatus
from reports.services.editorial import update_publish
from reports.services.periods import period_from_string
from reports.tasks import draft_monthly_update


class Command(BaseCommand):
    help = (
        "Draft the public progress update for a month (default: last month) from the live record, exactly "
        "as the scheduled task does; a draft that exists is refreshed, a published one left alone. "
        "With --publish, publish it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", metavar="YYYY-MM", help="The month to report on. Default: last month.")
        parser.add_argument("--publish", action="store_true", help="Publish the update once drafted.")
        parser.add_argument(
            "--publisher",
            metavar="USERNAME",
            help="With --publish: the communications editor to record as publisher. "
            "Default: none, recorded as published from the command line.",
        )

    def handle(self, *args, period=None, publish=False, publisher=None, **options):
        if publisher and not publish:
            raise CommandError("--publisher only makes sense with --publish.")
        try:
            if period:
                period_from_string(period)  # refuse a bad --period before doing anything
            # The task's own code, run here in this process rather than through the broker.
            update = PublishedUpdate.objects.get(pk=draft_monthly_update.run(period))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{update.get_status_display()}: {update.headline} (/updates/{update.slug}/)")
        if not publish:
            return
        if update.status != UpdateStatus.DRAFT:
            self.stdout.write(f"Not published again: it is already {update.get_status_display().lower()}.")
            return
        person = None
        if publisher:
            person = get_user_model().objects.filter(username=publisher).first()
            if person is None:
                raise CommandError(f"No user is called {publisher!r}.")
        try:
            update = update_publish(update=update, publisher=person)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(self.style.SUCCESS(f"Published at /updates/{update.slug}/"))
