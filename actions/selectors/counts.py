"""Counts of actions by status: each says what it fetches, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from actions.choices import DONE_STATUSES, SIGNED_OFF_STATUSES, Status
from actions.models import Action
from actions.models.states import overdue_q


@dataclass
class StatusCounts:
    """How many actions are at each BRAG status, and the figures derived from that."""

    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Status.values, 0))
    overdue: int = 0
    # The sum of the actions' percent complete, where the counter was given them (actions.figures).
    percent_total: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def done(self) -> int:
        return sum(self.by_status[s] for s in DONE_STATUSES)

    @property
    def assured(self) -> int:
        """Assured, embedded or not: an embedded action was assured first."""
        return sum(self.by_status[s] for s in SIGNED_OFF_STATUSES)

    @property
    def embedded(self) -> int:
        return self.by_status[Status.EMBEDDED]

    @property
    def complete(self) -> int:
        return self.by_status[Status.COMPLETE]

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def percent_done(self) -> int:
        """Share of actions complete or assured, as a whole percentage (0 when there are none)."""
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def percent_mean(self) -> float:
        """The actions' mean percent complete, to one decimal place (0 when there are none)."""
        return round(self.percent_total / self.total, 1) if self.total else 0

    def rows(self):
        """(Status, count) pairs in BRAG order, for tables and charts."""
        return [(Status(value), self.by_status[value]) for value in Status.values]

    def add(self, status: str, count: int, overdue: int, *, percent: int = 0) -> None:
        self.by_status[status] += count
        self.overdue += overdue
        self.percent_total += percent


def action_status_counts(*, actions: QuerySet | None = None, group_by: str | None = None, today=None):
    """Counts by status (and overdue) of `actions`, optionally grouped by a field such as "pillar_id".

    One query. Returns a StatusCounts, or a dict of group value -> StatusCounts when grouped.
    """
    actions = Action.objects.all() if actions is None else actions
    today = today or timezone.localdate()
    overdue = Count("id", filter=overdue_q(today))
    keys = [group_by, "status"] if group_by else ["status"]
    rows = actions.order_by().values(*keys).annotate(n=Count("id"), overdue=overdue)
    if not group_by:
        counts = StatusCounts()
        for row in rows:
            counts.add(row["status"], row["n"], row["overdue"])
        return counts
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[group_by], StatusCounts()).add(row["status"], row["n"], row["overdue"])
    return grouped
