"""Demo only: backfill 12 months of ProgressSnapshots so a newcomer's trend charts show a line at once.

A fresh demo has one day of snapshots, so every 12-month trend chart would be a single dot. This takes
today's snapshot (the real figures), then writes one snapshot at the end of each earlier month with
the figures scaled back deterministically: fewer actions complete or assured, lower mean progress, as
a programme that has been moving for a year. Months that already have a snapshot are left alone, so
running it again (seed_demo is idempotent) changes nothing; real snapshots are never overwritten.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from reports.models import ProgressSnapshot
from reports.snapshots import month_start, snapshot_take

OPEN_FIELDS = ("not_started", "on_track", "at_risk", "off_track")


def _scaled(row: ProgressSnapshot, day: datetime.date, back: int, months: int) -> ProgressSnapshot:
    """Today's row as it might have stood `back` months ago: done actions moved back to open."""
    share = 1 - 0.75 * back / months  # a year ago, a quarter of today's done actions were done
    complete, assured = round(row.complete * share), round(row.assured * share)
    moved = (row.complete - complete) + (row.assured - assured)
    open_counts = {name: getattr(row, name) for name in OPEN_FIELDS}
    # The actions not yet done then were on track or not started, alternately, so no count goes negative.
    open_counts["on_track"] += moved // 2 + moved % 2
    open_counts["not_started"] += moved // 2
    wobble = (back % 3) - 1  # -1, 0, 1: a line that moves, not a ruler
    return ProgressSnapshot(
        taken_on=day,
        scope=row.scope,
        pillar_id=row.pillar_id,
        theme_id=row.theme_id,
        action_type=row.action_type,
        total=row.total,
        complete=complete,
        assured=assured,
        overdue=max(0, row.overdue + wobble - back // 4),
        mean_percent_complete=max(0, min(100, round(row.mean_percent_complete * share) + wobble)),
        **open_counts,
    )


@transaction.atomic
def backfill_demo_snapshots(*, months: int = 12, today: datetime.date | None = None) -> int:
    """Today's snapshot, and one for the last day of each of the `months - 1` months before it that has
    none. Returns the number of rows written.
    """
    today = today or timezone.localdate()
    written = 0
    if not ProgressSnapshot.objects.filter(taken_on__gte=month_start(today)).exists():
        written += snapshot_take(day=today)
    current = list(ProgressSnapshot.objects.filter(taken_on=today)) or list(
        ProgressSnapshot.objects.filter(taken_on=ProgressSnapshot.objects.order_by("-taken_on").values("taken_on")[:1])
    )
    rows = []
    for back in range(1, months):
        first = month_start(today, back=back)
        last_day = month_start(today, back=back - 1) - datetime.timedelta(days=1)
        if ProgressSnapshot.objects.filter(taken_on__gte=first, taken_on__lte=last_day).exists():
            continue
        rows += [_scaled(row, last_day, back, months) for row in current]
    ProgressSnapshot.objects.bulk_create(rows)
    return written + len(rows)
