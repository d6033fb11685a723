"""Demo only: a newcomer's demo has public updates to read and one to edit.

Drafted by the real service after the demo's history has been replayed (actions.demo), each on the day
it would have been drafted (`now=`), so its figures come from the record. The two months before last
are published (by the demo communications editor, a few days after each month ended, their figures as
at the month's end); last month is a draft waiting for its editor, as it would be early in a month.
Idempotent: when any update exists, nothing is added or changed, and a published update is never
touched (it never changes after publication).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from reports.models import PublishedUpdate
from reports.services import period_next, period_previous, update_draft_for_period, update_publish

PUBLISHED_MONTHS = 2


def _month_end_plus(period: datetime.date, days: int) -> datetime.datetime:
    day = period_next(period) + datetime.timedelta(days=days - 1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_demo_updates(users: dict) -> int:
    """Create the demo's updates; return how many were created (0 when any already existed)."""
    if PublishedUpdate.objects.exists():
        return 0
    last_month = period_previous(timezone.localdate())
    months = [last_month]
    for _ in range(PUBLISHED_MONTHS):
        months.insert(0, period_previous(months[0]))
    with transaction.atomic():
        for period in months[:-1]:
            drafted = _month_end_plus(period, 1)
            update = update_draft_for_period(period=period, now=drafted)
            update_publish(update=update, publisher=users["comms"], at=_month_end_plus(period, 4))
        update_draft_for_period(period=last_month, now=min(_month_end_plus(last_month, 1), timezone.now()))
    return len(months)
