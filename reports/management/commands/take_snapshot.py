"""Record today's (or a given day's) progress snapshot: one row overall and per pillar, theme and action type."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.snapshots import snapshot_take, snapshots_rebuild


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Idempotent. Records the programme's figures for one day (default today) as ProgressSnapshot rows, "
        "replacing any already taken that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="The day to record, as YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Write every stored day's snapshot again from the record (the snapshots are its cache).",
        )

    def handle(self, *args, **options):
        if options["rebuild"]:
            written = snapshots_rebuild()
            self.stdout.write(f"Snapshots rebuilt from the record: {written} rows written.")
            return
        day = options["date"]
        if isinstance(day, str):  # call_command(..., date="2026-05-01") skips the parser's type
            day = _date(day)
        day = day or timezone.localdate()
        written = snapshot_take(day=day)
        self.stdout.write(f"Snapshot for {day.isoformat()}: {written} rows written.")
