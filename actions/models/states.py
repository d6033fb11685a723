"""The derived states of an action, each defined once, as a Q expression and beside it in Python."""

import datetime

from django.conf import settings
from django.db.models import F, Q

from actions.choices import (
    CQC_TYPES,
    DONE_STATUSES,
    OPEN_STATUSES,
    Status,
)

# --- The derived states, each defined once --------------------------------------------------------
# "Complete", "overdue" (and by how many days), "due soon", "stale", "slipped", "brought forward",
# "awaiting ratification", "review due", "embedded", "reopened and open" and "public" are never stored
# (DESIGN.md, domain rules). Each is written here once, as a Q expression the database evaluates
# (querysets, aggregates, snapshots, reminders, the published update's frozen figures) and, beside it,
# the same rule on one action in Python (templates, e-mails). What changed in a window ("slipped
# since", "brought forward since") is actions/changes.py; the four-eyes rule is
# actions.signoff.action_signoff_problem. actions/tests/test_rules.py holds the two to the same
# boundary dates. `prefix` reaches the rule through a relation, e.g. prefix="action__".


def cqc_q(prefix: str = "") -> Q:
    """A CQC action: a warning notice, a must-do or a should-do (Action.is_cqc)."""
    return Q(**{f"{prefix}action_type__in": CQC_TYPES})


def done_q(prefix: str = "") -> Q:
    """Complete, assured or embedded: the action's work is done. Overdue, due soon and stale never apply."""
    return Q(**{f"{prefix}status__in": DONE_STATUSES})


def open_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES})


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Open, and its due date has passed (due today is not yet overdue)."""
    return open_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last due date that counts as "due soon" on `today` (inclusive)."""
    return today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


def due_soon_q(today: datetime.date, prefix: str = "") -> Q:
    """Open, and due from today up to and including DUE_SOON_DAYS from today."""
    return open_q(prefix) & Q(**{f"{prefix}due_date__gte": today, f"{prefix}due_date__lte": due_soon_until(today)})


def stale_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Progress (or, with none, creation) before this moment is too old: STALE_AFTER_DAYS ago."""
    return now - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def stale_q(now: datetime.datetime, prefix: str = "") -> Q:
    """Open, and no progress logged for STALE_AFTER_DAYS (counted from creation when none was ever logged)."""
    cutoff = stale_cutoff(now)
    return open_q(prefix) & (
        Q(**{f"{prefix}last_progress_at__lt": cutoff})
        | Q(**{f"{prefix}last_progress_at__isnull": True, f"{prefix}created_at__lt": cutoff})
    )


def slipped_q(prefix: str = "") -> Q:
    """Slipped: the agreed due date is later than the original one. The one definition of "slipped"."""
    return Q(**{f"{prefix}due_date__gt": F(f"{prefix}original_due_date")})


def brought_forward_q(prefix: str = "") -> Q:
    """Brought forward: the agreed due date is earlier than the original one (never "negative slippage")."""
    return Q(**{f"{prefix}due_date__lt": F(f"{prefix}original_due_date")})


def awaiting_ratification_q(prefix: str = "") -> Q:
    """Assured (signed off by a lead) and not yet ratified by a committee."""
    return Q(**{f"{prefix}status": Status.ASSURED, f"{prefix}ratified_at__isnull": True})


def awaiting_review_q(prefix: str = "") -> Q:
    """Assured and ratified, not yet embedded: waiting for its sustainability review, due or not."""
    return Q(**{f"{prefix}status": Status.ASSURED, f"{prefix}ratified_at__isnull": False})


def review_due_q(today: datetime.date, prefix: str = "") -> Q:
    """Ratified, not yet embedded, and its sustainability review falls due on or before `today` (or no
    date was ever set for it: then nothing holds the review back, as actions.services allows)."""
    return awaiting_review_q(prefix) & (
        Q(**{f"{prefix}sustainability_review_due__lte": today})
        | Q(**{f"{prefix}sustainability_review_due__isnull": True})
    )


def embedded_q(prefix: str = "") -> Q:
    """Embedded (blue): the change has lasted, shown at a sustainability review after ratification."""
    return Q(**{f"{prefix}status": Status.EMBEDDED})


def reopened_q(prefix: str = "") -> Q:
    """Reopened after sign-off at least once."""
    return Q(**{f"{prefix}reopened_at__isnull": False})


def reopened_open_q(prefix: str = "") -> Q:
    """Reopened after sign-off at least once, and open now (not done again yet)."""
    return open_q(prefix) & reopened_q(prefix)


def public_q(prefix: str = "") -> Q:
    """Marked public by a person: the only actions (and their highlights) the public may read."""
    return Q(**{f"{prefix}is_public": True})


def status_is_done(status: str) -> bool:
    return status in DONE_STATUSES


def is_overdue_on(*, status: str, due_date: datetime.date, day: datetime.date) -> bool:
    """overdue_q for one action's values, also for a status it had on a past day (synthetic history)."""
    return not status_is_done(status) and due_date < day


def days_overdue(*, status: str, due_date: datetime.date, day: datetime.date) -> int:
    """How many days overdue on `day`: 1 the day after the due date, 0 when not overdue."""
    return (day - due_date).days if is_overdue_on(status=status, due_date=due_date, day=day) else 0
