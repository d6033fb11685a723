"""Background work on the beat schedule: the daily snapshot, the monthly draft update, the weekly reminders,
the board packs before meetings.

Each task takes plain values (dates as ISO strings), calls one service and returns ids or counts; the
services make each run idempotent and atomic. The names are fixed, because the schedule in the
database (reports/migrations/0003_beat_schedule.py) and the CI test send tasks by name.
"""

import datetime
import logging
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from reports.services.board_pack import board_packs_generate_due
from reports.services.periods import period_from_string, period_previous, update_draft_for_period
from reports.services.reminders import reminders_send_weekly
from reports.snapshots import snapshot_take

logger = logging.getLogger(__name__)

# Only a mail server that did not answer is worth trying again: the tasks that send e-mail record each
# message as it is sent (reports.notices), so a retry sends only to those the failed attempt had not reached.
MAIL_RETRY = {"autoretry_for": (SMTPException, ConnectionError, TimeoutError), "retry_backoff": 60, "max_retries": 3}


@shared_task(name="reports.tasks.take_daily_snapshot", soft_time_limit=120, time_limit=180)
def take_daily_snapshot(day: str | None = None) -> int:
    """Record today's (or `day`'s) ProgressSnapshot rows; taking one twice for a day refreshes it."""
    count = snapshot_take(day=datetime.date.fromisoformat(day) if day else None)
    logger.info("Progress snapshot taken for %s: %d rows", day or timezone.localdate(), count)
    return count


@shared_task(name="reports.tasks.draft_monthly_update", soft_time_limit=120, time_limit=180)
def draft_monthly_update(period: str | None = None) -> int:
    """Draft (or refresh the draft of) the public update for `period` ("YYYY-MM"), by default last month."""
    month = period_from_string(period) if period else period_previous(timezone.localdate())
    update = update_draft_for_period(period=month)
    logger.info("Public update for %s is %s (id %d)", month.isoformat(), update.status, update.pk)
    return update.pk


@shared_task(
    name="reports.tasks.send_weekly_reminders",
    soft_time_limit=300,
    time_limit=360,
    **MAIL_RETRY,
)
def send_weekly_reminders(day: str | None = None) -> dict:
    sent = reminders_send_weekly(day=datetime.date.fromisoformat(day) if day else None)
    logger.info(
        "Weekly reminders for the week of %s: %d owners, %d executive leads%s",
        sent.week_starting,
        sent.owners,
        sent.leads,
        " (already sent this week: nothing sent)" if sent.already_sent else "",
    )
    return {"week_starting": sent.week_starting.isoformat(), "owners": sent.owners, "leads": sent.leads}


@shared_task(
    name="reports.tasks.generate_board_packs",
    # A pack at 10,000 actions takes seconds (manage.py bench); a few meetings' worth fits well within.
    soft_time_limit=600,
    time_limit=660,
    # The packs made before a failure stay made (a meeting with a pack is skipped).
    **MAIL_RETRY,
)
def generate_board_packs(day: str | None = None) -> list[int]:
    """Generate the board pack of each meeting in the next BOARD_PACK_DAYS_BEFORE days that has none, and
    e-mail board members and the committee's members the link. The ids of the packs made."""
    made = board_packs_generate_due(today=datetime.date.fromisoformat(day) if day else None)
    logger.info("Board packs generated: %s", made or "none due")
    return made
