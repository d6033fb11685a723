"""The weekly reminder e-mails: owners' overdue and due-soon actions, executive leads' digests."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone

from actions.choices import Status
from actions.models import Action
from actions.models.states import due_soon_q, overdue_q, stale_q
from reports.models import ReminderRun
from reports.notices import send_once
from secamb_journey.profile import trust_profile

# --- Weekly reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemindersSent:
    week_starting: datetime.date
    owners: int
    leads: int
    already_sent: bool = False


def _week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _grouped(actions, person: str) -> dict:
    """The actions by the person in field `person` (owner or executive lead), in their order."""
    by_person: dict = {}
    for action in actions:
        by_person.setdefault(getattr(action, person), []).append(action)
    return by_person


def _owner_message(owner, actions, today: datetime.date) -> EmailMessage:
    context = {
        "person": owner,
        # (action, days overdue): the status is said with how late it is, never "on track" beside "overdue".
        "overdue": [(a, a.days_overdue_on(today)) for a in actions if a.is_overdue_on(today)],
        "due_soon": [a for a in actions if a.is_due_soon_on(today)],
        "site_url": settings.SITE_URL.rstrip("/"),
        "due_soon_days": settings.DUE_SOON_DAYS,
        "trust": trust_profile(),
    }
    return EmailMessage(
        subject=f"Your {context['trust'].programme_name} actions: {len(actions)} overdue or due soon",
        body=render_to_string("reports/email/owner_reminder.txt", context),
        to=[owner.email],
    )


def _lead_reasons(action, today: datetime.date, now: datetime.datetime) -> list[str]:
    """Why an action is in its executive lead's digest."""
    days = action.days_overdue_on(today)
    return [
        reason
        for reason, applies in (
            (f"overdue by {days} day{pluralize(days)}", action.is_overdue_on(today)),
            ("off track", action.status == Status.OFF_TRACK),
            (f"no progress logged for over {settings.STALE_AFTER_DAYS} days", action.is_stale_at(now)),
        )
        if applies
    ]


def _lead_message(lead, actions, today: datetime.date, now: datetime.datetime) -> EmailMessage:
    context = {
        "person": lead,
        "rows": [(a, _lead_reasons(a, today, now)) for a in actions],
        "site_url": settings.SITE_URL.rstrip("/"),
        "trust": trust_profile(),
    }
    return EmailMessage(
        subject=f"{context['trust'].programme_name} digest: {len(actions)} of your actions need attention",
        body=render_to_string("reports/email/lead_digest.txt", context),
        to=[lead.email],
    )


def reminders_send_weekly(*, day: datetime.date | None = None) -> RemindersSent:
    """E-mail each owner their overdue and due-soon actions, and each executive lead a digest of their
    actions that are stale, overdue or off track. Once a week: a second run in the same week sends nothing.

    Each person's message is recorded as it is sent (reports.notices.send_once), so when sending fails
    part-way, the task's retry sends only to those not yet sent it. The week's ReminderRun row is written
    once every message has gone; after that, a run in the same week sends nothing.
    """
    today = day or timezone.localdate()
    week = _week_starting(today)
    if ReminderRun.objects.filter(week_starting=week).exists():
        return RemindersSent(week_starting=week, owners=0, leads=0, already_sent=True)
    now = timezone.now()

    open_actions = Action.objects.open().select_related("owner", "executive_lead", "pillar")
    for_owners = open_actions.filter(overdue_q(today) | due_soon_q(today)).order_by("due_date", "reference")
    for_leads = open_actions.filter(overdue_q(today) | Q(status=Status.OFF_TRACK) | stale_q(now)).order_by(
        "due_date", "reference"
    )
    to_owners = [
        (owner, _owner_message(owner, actions, today))
        for owner, actions in _grouped(for_owners, "owner").items()
        if owner.email and owner.is_active
    ]
    to_leads = [
        (lead, _lead_message(lead, actions, today, now))
        for lead, actions in _grouped(for_leads, "executive_lead").items()
        if lead.email and lead.is_active
    ]

    send_once(to_owners, notice="weekly-owner-reminder", period=week.isoformat())
    send_once(to_leads, notice="weekly-lead-digest", period=week.isoformat())
    # Everyone due a message this week has it (now, or in an earlier attempt): the week is done.
    ReminderRun.objects.get_or_create(
        week_starting=week, defaults={"owners_emailed": len(to_owners), "leads_emailed": len(to_leads)}
    )
    return RemindersSent(week_starting=week, owners=len(to_owners), leads=len(to_leads))
