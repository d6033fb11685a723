"""Dated progress figures: taking one day's ProgressSnapshot rows, and reading them back for trends.

`snapshot_take` is the service the daily Celery task and `manage.py take_snapshot` both call.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from actions.models import Action, ActionType, Status, overdue_q
from actions.selectors import StatusCounts
from pillars.models import Pillar
from reports.models import ProgressSnapshot, SnapshotScope
from themes.models import Theme

# --- Dates ---------------------------------------------------------------------------------------


def month_start(day: datetime.date, *, back: int = 0) -> datetime.date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + (day.month - 1) - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` months earlier (the 31st becomes the month's last day)."""
    first = month_start(day, back=months)
    following = month_start(first, back=-1)
    return first.replace(day=min(day.day, (following - datetime.timedelta(days=1)).day))


# --- Taking a snapshot ---------------------------------------------------------------------------


def _aggregates(day: datetime.date) -> dict:
    """The figures of one snapshot row as database aggregates, so counting happens in one query per scope."""
    figures = {"total": Count("id")}
    for status in Status:
        figures[status.value] = Count("id", filter=Q(status=status))
    # Overdue is judged on the snapshot's day.
    figures["overdue"] = Count("id", filter=overdue_q(day))
    figures["mean_percent"] = Avg("percent_complete")
    return figures


def _row_fields(row: dict | None) -> dict:
    row = row or {}
    fields = {status.value: row.get(status.value, 0) for status in Status}
    fields["total"] = row.get("total", 0)
    fields["overdue"] = row.get("overdue", 0)
    fields["mean_percent_complete"] = round(row.get("mean_percent") or 0)
    return fields


def _grouped(actions: QuerySet, key: str, day: datetime.date) -> dict:
    rows = actions.order_by().values(key).annotate(**_aggregates(day))
    return {row[key]: row for row in rows}


def snapshot_take(*, day: datetime.date | None = None) -> int:
    """Record the programme's figures for `day` (default today): one row overall, and one per pillar,
    per theme and per action type, including those with no actions (so a trend line has no false gap).

    Idempotent: taking the day's snapshot again replaces that day's rows. Atomic: a failure leaves the
    day's previous rows as they were. Figures are the actions' current state, with overdue judged on
    `day`. Returns the number of rows written.
    """
    day = day or timezone.localdate()
    actions = Action.objects.all()
    with transaction.atomic():
        overall = actions.aggregate(**_aggregates(day))
        by_pillar = _grouped(actions, "pillar_id", day)
        # An action answering two themes counts once under each: the join yields one row per theme.
        by_theme = _grouped(actions.filter(themes__isnull=False), "themes", day)
        by_type = _grouped(actions, "action_type", day)

        rows = [ProgressSnapshot(taken_on=day, scope=SnapshotScope.OVERALL, **_row_fields(overall))]
        rows += [
            ProgressSnapshot(taken_on=day, scope=SnapshotScope.PILLAR, pillar_id=pk, **_row_fields(by_pillar.get(pk)))
            for pk in Pillar.objects.order_by("number").values_list("pk", flat=True)
        ]
        rows += [
            ProgressSnapshot(taken_on=day, scope=SnapshotScope.THEME, theme_id=pk, **_row_fields(by_theme.get(pk)))
            for pk in Theme.objects.order_by("number").values_list("pk", flat=True)
        ]
        rows += [
            ProgressSnapshot(
                taken_on=day, scope=SnapshotScope.ACTION_TYPE, action_type=value, **_row_fields(by_type.get(value))
            )
            for value in ActionType.values
        ]
        # Delete then insert, inside the transaction: a rerun for the same day is a refresh, and the
        # unique constraints refuse a duplicate should two runs ever race.
        ProgressSnapshot.objects.filter(taken_on=day).delete()
        ProgressSnapshot.objects.bulk_create(rows)
    return len(rows)


# --- Reading snapshots back ----------------------------------------------------------------------

SCOPE_KEY = {
    SnapshotScope.PILLAR: "pillar_id",
    SnapshotScope.THEME: "theme_id",
    SnapshotScope.ACTION_TYPE: "action_type",
}


@dataclass
class Trend:
    """One figure per month for each key (pillar id, theme id...): the month's last snapshot, or None."""

    months: list[datetime.date]
    series: dict

    def for_key(self, key) -> list[ProgressSnapshot | None]:
        return self.series.get(key, [None] * len(self.months))


def snapshot_trend(
    *, scope: str, months: int = 12, today: datetime.date | None = None, keys: list | None = None
) -> Trend:
    """The last `months` months (this one included) of `scope`'s snapshots, one per month: the last
    taken that month. Two queries, however many daily snapshots there are.

    `keys` narrows to some pillars, themes or types (by id or value).
    """
    today = today or timezone.localdate()
    month_list = [month_start(today, back=n) for n in range(months - 1, -1, -1)]
    snapshots = ProgressSnapshot.objects.filter(scope=scope, taken_on__gte=month_list[0], taken_on__lte=today)
    key_field = SCOPE_KEY.get(scope)
    if keys is not None and key_field:
        snapshots = snapshots.filter(**{f"{key_field}__in": keys})
    # Each key's last day in each month (at most months x keys pairs), then those rows: two queries.
    group = [key_field, "month"] if key_field else ["month"]
    last_days = (
        snapshots.order_by().annotate(month=TruncMonth("taken_on")).values(*group).annotate(last=Max("taken_on"))
    )
    # The rows of those days, keeping each key's own day here: one OR term per (key, day) pair made the
    # query slower to build than to run, with a year of pillars or themes (issue 8, `manage.py bench`).
    wanted = {(row[key_field] if key_field else None, row["last"]) for row in last_days}
    rows = snapshots.filter(taken_on__in={day for _, day in wanted}).order_by("taken_on")
    index = {month: n for n, month in enumerate(month_list)}
    series: dict = {}
    for row in rows:
        key = getattr(row, key_field) if key_field else None
        if (key, row.taken_on) not in wanted:
            continue
        series.setdefault(key, [None] * len(month_list))[index[month_start(row.taken_on)]] = row
    return Trend(months=month_list, series=series)


# A month ago, give or take: a snapshot older than this before the one-month mark is too old to compare.
MONTH_AGO_TOLERANCE_DAYS = 14


def snapshot_month_ago(*, scope: str, today: datetime.date | None = None, keys: list | None = None) -> dict:
    """The snapshots taken about a month before `today` (the latest on or before that day, and no more
    than a fortnight earlier), by key (pillar id, theme id, type; None for the programme). One query.
    """
    today = today or timezone.localdate()
    mark = months_before(today, 1)
    candidates = ProgressSnapshot.objects.filter(
        scope=scope, taken_on__lte=mark, taken_on__gte=mark - datetime.timedelta(days=MONTH_AGO_TOLERANCE_DAYS)
    )
    key_field = SCOPE_KEY.get(scope)
    if keys is not None and key_field:
        candidates = candidates.filter(**{f"{key_field}__in": keys})
    # Each key's own latest day: a pillar added (or a snapshot missed) that day still finds its figure.
    same_key = candidates.filter(**{key_field: OuterRef(key_field)}) if key_field else candidates
    rows = candidates.filter(taken_on=Subquery(same_key.order_by("-taken_on").values("taken_on")[:1]))
    return {(getattr(row, key_field) if key_field else None): row for row in rows}


class Direction:
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass
class DirectionOfTravel:
    """How a pillar (or theme) has moved since about a month ago.

    Better or worse is judged on the share of actions complete or assured; when that has not moved,
    fewer overdue actions is better and more is worse.
    """

    then: ProgressSnapshot | None
    now: StatusCounts

    @property
    def known(self) -> bool:
        return self.then is not None

    @property
    def change(self) -> int:
        return self.now.percent_done - self.then.percent_done if self.then else 0

    @property
    def points(self) -> int:
        """The size of the change in percentage points, for "up 3 points" / "down 1 point"."""
        return abs(self.change)

    @property
    def overdue_change(self) -> int:
        return self.now.overdue - self.then.overdue if self.then else 0

    @property
    def direction(self) -> str | None:
        if self.then is None:
            return None
        if self.change or self.overdue_change:
            better = self.change > 0 if self.change else self.overdue_change < 0
            return Direction.BETTER if better else Direction.WORSE
        return Direction.SAME
