"""Generate a board pack now: for a meeting (the next version of its pack), or an ad-hoc pack for a date."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from actions.models import Meeting
from reports.services.board_pack import board_pack_generate, board_pack_notify
from secamb_journey.site_url import absolute_url


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}.") from None


def _meeting_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"--meeting must be a meeting's id (a whole number), not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Generates a board pack, frozen (figures, HTML and PDF stored), and prints its URL. --meeting ID makes "
        "the next version of that meeting's pack (earlier versions stay); --date YYYY-MM-DD an ad-hoc pack "
        "with no meeting, its figures as of that day's data (today's data: the tracker keeps no history of "
        "every figure, so the date names the pack). --notify e-mails board members and the committee's members."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--meeting", type=_meeting_id, help="The meeting's id (see /committees/).")
        which.add_argument("--date", type=_date, help="An ad-hoc pack for this date, as YYYY-MM-DD.")
        parser.add_argument("--notify", action="store_true", help="E-mail the pack's link to its readers.")

    def handle(self, *args, **options):
        meeting_id, day = options["meeting"], options["date"]
        if isinstance(day, str):  # call_command(..., date="2026-05-01") skips the parser's type
            day = _date(day)
        if isinstance(meeting_id, str):
            meeting_id = _meeting_id(meeting_id)
        meeting = None
        if meeting_id is not None:
            meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
            if meeting is None:
                raise CommandError(
                    f"There is no meeting with id {meeting_id}. The meetings are listed at /committees/."
                )
        generated = board_pack_generate(meeting=meeting, day=day)
        pack = generated.pack
        if options["notify"]:
            sent = board_pack_notify(pack=pack)
            self.stderr.write(f"E-mailed to {sent} people.")
        self.stderr.write(f"Generated {pack.title}, version {pack.version} ({len(pack.pdf):,} bytes of PDF).")
        self.stdout.write(absolute_url(pack.get_absolute_url()))
