"""Issue a one-time second-factor enrolment code for a person (the admin does the same)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from secamb_journey.enrolment import enrolment_code_issue


class Command(BaseCommand):
    help = (
        "Issue a one-time code that lets USERNAME set up their authenticator app (needed by leads and "
        "administrators when OTP_REQUIRED_FOR_PRIVILEGED is on). Replaces any unused earlier code."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--hours", type=int, default=None, help="How long it stays valid (ENROLMENT_CODE_HOURS).")
        parser.add_argument(
            "--issued-by", default=None, help="The administrator issuing it (default: the first superuser)."
        )

    def handle(self, *args, username, hours, issued_by, **options):
        users = get_user_model().objects
        try:
            person = users.get(username=username)
        except users.model.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        issuer = users.filter(username=issued_by).first() if issued_by else users.filter(is_superuser=True).first()
        if issuer is None:
            raise CommandError("No administrator to issue it: name one with --issued-by.")
        valid_for = datetime.timedelta(hours=hours) if hours else None
        record, code = enrolment_code_issue(user=person, issued_by=issuer, valid_for=valid_for)
        self.stdout.write(f"Enrolment code for {username}: {code} (expires {record.expires_at:%Y-%m-%d %H:%M %Z})")
