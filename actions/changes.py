"""What changed since a day (the board's "since the last meeting"): each change defined once, as a Q the
database evaluates, used by the dashboard's figures and by the register filters they link to, so a
count and the register rows behind it can never disagree.

`since` is a date: a change counts from the start of that day (local time), so what a meeting itself
decided on its day counts as changed since that meeting.
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q

from actions.governance_models import ActionReopening, DueDateRevision, RevisionState
from actions.models import DONE_STATUSES, overdue_q


def completed_since_q(since: datetime.date) -> Q:
    """Done now (complete, assured or embedded) and marked complete on or after `since`."""
    return Q(status__in=DONE_STATUSES, completed_at__date__gte=since)


def fell_overdue_since_q(since: datetime.date, today: datetime.date) -> Q:
    """Overdue today, and its agreed due date passed on or after `since` (it was not overdue then)."""
    return overdue_q(today) & Q(due_date__gte=since)


def slipped_since_q(since: datetime.date) -> Q:
    """A later due date was agreed on or after `since` (an agreed revision that moved the date on)."""
    return Q(
        Exists(
            DueDateRevision.objects.filter(
                action=OuterRef("pk"),
                state=RevisionState.AGREED,
                decided_on__gte=since,
                new_due_date__gt=F("previous_due_date"),
            )
        )
    )


def reopened_since_q(since: datetime.date) -> Q:
    """Reopened after sign-off on or after `since`."""
    return Q(Exists(ActionReopening.objects.filter(action=OuterRef("pk"), reopened_at__date__gte=since)))
