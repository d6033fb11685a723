"""What changed since a day (the board's "since the last meeting", the pack's "since the last pack"):
each change defined once, as a Q the database evaluates, used by the dashboard's figures, the board
pack and the register filters they link to, so a count and the register rows behind it can never
disagree.

`since` is a date: a change counts from the start of that day (local time), so what a meeting itself
decided on its day counts as changed since that meeting.

A due-date revision moves the date later (a slip) or earlier (brought forward), never both: "slipped
since" counts only the first, "brought forward since" only the second, so a date brought forward is
never shown as negative slippage. DueDateRevision.is_slip and .is_brought_forward are the same rules
on one revision.

Beside them, the two states an action has through its governance records rather than its own fields:
a revision pending a lead's decision, and a place on a committee's agenda.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from actions.choices import DONE_STATUSES
from actions.models import ActionReopening, CommitteeDecision, Decision, DueDateRevision, RevisionState
from actions.models.states import overdue_q, slipped_q


def completed_since_q(since: datetime.date) -> Q:
    """Done now (complete, assured or embedded) and marked complete on or after `since`."""
    return Q(status__in=DONE_STATUSES, completed_at__date__gte=since)


def fell_overdue_since_q(since: datetime.date, today: datetime.date) -> Q:
    """Overdue today, and its agreed due date passed on or after `since` (it was not overdue then)."""
    return overdue_q(today) & Q(due_date__gte=since)


def revision_slip_q(prefix: str = "") -> Q:
    """A revision that moves the due date later."""
    return Q(**{f"{prefix}new_due_date__gt": F(f"{prefix}previous_due_date")})


def revision_brought_forward_q(prefix: str = "") -> Q:
    """A revision that moves the due date earlier."""
    return Q(**{f"{prefix}new_due_date__lt": F(f"{prefix}previous_due_date")})


def agreed_since(since: datetime.date) -> QuerySet:
    """Revisions agreed on or after `since`."""
    return DueDateRevision.objects.filter(state=RevisionState.AGREED, decided_on__gte=since)


def slips_since(since: datetime.date) -> QuerySet:
    """The agreed revisions that moved a date later, on or after `since` (the pack lists each)."""
    return agreed_since(since).filter(revision_slip_q())


def brought_forward_revisions_since(since: datetime.date) -> QuerySet:
    """The agreed revisions that moved a date earlier, on or after `since`."""
    return agreed_since(since).filter(revision_brought_forward_q())


def slipped_since_q(since: datetime.date) -> Q:
    """Slipped since: a revision agreed on or after `since` moved the action's due date later."""
    return Q(Exists(slips_since(since).filter(action=OuterRef("pk"))))


def brought_forward_since_q(since: datetime.date) -> Q:
    """Brought forward since: a revision agreed on or after `since` moved the action's due date earlier."""
    return Q(Exists(brought_forward_revisions_since(since).filter(action=OuterRef("pk"))))


def slipped_twice_q() -> Q:
    """Slipped (actions.models.states.slipped_q), by two or more agreed revisions that each moved the date later."""
    twice = (
        DueDateRevision.objects.filter(state=RevisionState.AGREED)
        .filter(revision_slip_q())
        .order_by()
        .values("action")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("action")
    )
    return slipped_q() & Q(pk__in=twice)


def revision_pending_q() -> Q:
    """A new due date has been asked for and waits for a lead's decision (at most one per action)."""
    return Q(Exists(DueDateRevision.objects.filter(action=OuterRef("pk"), state=RevisionState.REQUESTED)))


def on_agenda_q() -> Q:
    """Put to a committee meeting whose decision is not yet recorded (at most one per action)."""
    return Q(Exists(CommitteeDecision.objects.filter(action=OuterRef("pk"), decision=Decision.PENDING)))


def reopened_since_q(since: datetime.date) -> Q:
    """Reopened after sign-off on or after `since`."""
    return Q(Exists(ActionReopening.objects.filter(action=OuterRef("pk"), reopened_at__date__gte=since)))
