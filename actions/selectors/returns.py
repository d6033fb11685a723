"""Reads of completions returned to their owners ("Not assured: returned to the owner"): which open
actions were returned since they were last done, and why. The return itself is written by
actions.services.assurance.action_return_completion, as a progress entry of kind EntryKind.RETURN whose
narrative starts with RETURN_NARRATIVE_PREFIX; these read it back.

A return is open while the action has not been done again since (no complete, assured or embedded entry
after it): the owner still has its reason to answer, on the action page, in "My actions" and in a lead's
work queue.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from actions.choices import DONE_STATUSES
from actions.models import Action, EntryKind, ProgressUpdate
from actions.models.progress import RETURN_NARRATIVE_PREFIX


@dataclass(frozen=True)
class OpenReturn:
    action: Action
    reason: str
    returned_at: datetime.datetime
    returned_by: str


def with_open_return(*, actions: QuerySet) -> QuerySet:
    """`actions` narrowed to the open ones whose latest return is still open, annotated with
    `return_narrative`, `returned_at` and `returned_by_id`. Three subqueries, one query.
    """
    returns = ProgressUpdate.objects.filter(action=OuterRef("pk"), kind=EntryKind.RETURN).order_by("-created_at", "-id")
    done = ProgressUpdate.objects.filter(action=OuterRef("pk"), status__in=DONE_STATUSES).order_by("-created_at", "-id")
    return (
        actions.exclude(status__in=DONE_STATUSES)
        .annotate(
            return_narrative=Subquery(returns.values("narrative")[:1]),
            returned_at=Subquery(returns.values("created_at")[:1]),
            returned_by_id=Subquery(returns.values("author_id")[:1]),
            last_done_at=Subquery(done.values("created_at")[:1]),
        )
        .filter(returned_at__isnull=False)
        .filter(Q(last_done_at__isnull=True) | Q(last_done_at__lte=F("returned_at")))
    )


def _reason(narrative: str) -> str:
    return narrative.removeprefix(RETURN_NARRATIVE_PREFIX)


def open_returns(*, actions: QuerySet, limit: int | None = None) -> list[OpenReturn]:
    """The open returns among `actions`, most recent first (two queries)."""
    rows = list(with_open_return(actions=actions).order_by("-returned_at", "reference")[:limit])
    people = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in={row.returned_by_id for row in rows})
    }
    return [
        OpenReturn(
            action=row,
            reason=_reason(row.return_narrative),
            returned_at=row.returned_at,
            returned_by=people.get(row.returned_by_id, "An improvement lead"),
        )
        for row in rows
    ]


def open_return(*, action: Action) -> dict:
    """This action's open return, {"reason", "returned_at", "returned_by"}, or {} when it has none (an empty
    dict rather than None, so the action page's cache keeps the answer). Reads the progress log only
    (two queries), never the action's row: the page has it already.
    """
    if action.status in DONE_STATUSES:
        return {}
    entry = (
        ProgressUpdate.objects.filter(action_id=action.pk, kind=EntryKind.RETURN)
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    if entry is None:
        return {}
    done_since = ProgressUpdate.objects.filter(
        action_id=action.pk, status__in=DONE_STATUSES, created_at__gt=entry.created_at
    ).exists()
    if done_since:
        return {}
    return {
        "reason": _reason(entry.narrative),
        "returned_at": entry.created_at,
        "returned_by": entry.author.get_full_name() or entry.author.get_username(),
    }
