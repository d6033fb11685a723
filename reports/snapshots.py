"""Dated progress figures for trends: each month's figures from actions.figures, and the daily
ProgressSnapshot rows, a cache of the same function that can be rebuilt from the record.

`snapshot_take` is the service the daily Celery task and `manage.py take_snapshot` both call.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.figures import Audience, Figures, figures, figures_series
from actions.selectors.counts import StatusCounts
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


# --- Snapshots: a cache of actions.figures ---------------------------------------------------------


def _row_fields(counts: StatusCounts) -> dict:
    fields = {status: counts.by_status[status] for status in Status.values}
    fields["total"] = counts.total
    fields["overdue"] = counts.overdue
    fields["mean_percent_complete"] = round(counts.percent_mean)
    return fields


def _snapshot_rows(result: Figures, *, day: datetime.date, pillar_ids, theme_ids) -> list[ProgressSnapshot]:
    """The rows for one day: the programme, each pillar, each theme and each type, including those with
    no actions (so a trend line has no false gap). Unsaved: a trend reads them without storing them.
    """
    rows = [ProgressSnapshot(taken_on=day, scope=SnapshotScope.OVERALL, **_row_fields(result.overall))]
    rows += [
        ProgressSnapshot(taken_on=day, scope=SnapshotScope.PILLAR, pillar_id=pk, **_row_fields(result.pillar(pk)))
        for pk in pillar_ids
    ]
    rows += [
        ProgressSnapshot(taken_on=day, scope=SnapshotScope.THEME, theme_id=pk, **_row_fields(result.theme(pk)))
        for pk in theme_ids
    ]
    rows += [
        ProgressSnapshot(
            taken_on=day, scope=SnapshotScope.ACTION_TYPE, action_type=value, **_row_fields(result.action_type(value))
        )
        for value in ActionType.values
    ]
    return rows


def _keys() -> tuple[list, list]:
    return (
        list(Pillar.objects.order_by("number").values_list("pk", flat=True)),
        list(Theme.objects.order_by("number").values_list("pk", flat=True)),
    )


def snapshot_take(*, day: datetime.date | None = None) -> int:
    """Record the programme's figures for `day` (default today), every action counted (the board's
    audience), as actions.figures gives them: the rows are a cache of that function, and a rebuild
    (snapshots_rebuild) writes the same rows again.

    Idempotent: taking the day's snapshot again replaces that day's rows. Atomic: a failure leaves the
    day's previous rows as they were. Returns the number of rows written.
    """
    day = day or timezone.localdate()
    return snapshots_take(days=[day])


def snapshots_take(*, days: list[datetime.date]) -> int:
    """snapshot_take for each of `days`, reading the record once."""
    pillar_ids, theme_ids = _keys()
    results = figures_series(days=days, audience=Audience.BOARD)
    rows = []
    for day, result in zip(days, results, strict=True):
        rows += _snapshot_rows(result, day=day, pillar_ids=pillar_ids, theme_ids=theme_ids)
    with transaction.atomic():
        # Delete then insert, inside the transaction: a rerun for the same day is a refresh, and the
        # unique constraints refuse a duplicate should two runs ever race.
        ProgressSnapshot.objects.filter(taken_on__in=days).delete()
        ProgressSnapshot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def snapshots_rebuild() -> int:
    """Write every stored day's snapshot again from the record (manage.py take_snapshot --rebuild).
    A rebuild changes nothing unless something wrote the snapshots behind the record.
    """
    days = sorted(set(ProgressSnapshot.objects.values_list("taken_on", flat=True)))
    return snapshots_take(days=days) if days else 0


# --- Trends: the figures at each month's end -----------------------------------------------------

SCOPE_KEY = {
    SnapshotScope.PILLAR: "pillar_id",
    SnapshotScope.THEME: "theme_id",
    SnapshotScope.ACTION_TYPE: "action_type",
}


@dataclass
class Trend:
    """One figure per month for each key (pillar id, theme id...): the figures at the month's end (today
    for this month), or None for a month before the programme had any action.
    """

    months: list[datetime.date]
    series: dict

    def for_key(self, key) -> list[ProgressSnapshot | None]:
        return self.series.get(key, [None] * len(self.months))


def _month_last_day(month: datetime.date, today: datetime.date) -> datetime.date:
    return min(month_start(month, back=-1) - datetime.timedelta(days=1), today)


def _scope_keys(scope: str, keys: list | None) -> list:
    """The keys a scope has figures for: the programme (None), every pillar, theme or type, or `keys`."""
    if scope == SnapshotScope.OVERALL:
        return [None]
    if keys is not None:
        return list(keys)
    if scope == SnapshotScope.PILLAR:
        return list(Pillar.objects.order_by("number").values_list("pk", flat=True))
    if scope == SnapshotScope.THEME:
        return list(Theme.objects.order_by("number").values_list("pk", flat=True))
    return list(ActionType.values)


def _figures_by_key(result: Figures, *, scope: str, day: datetime.date, keys: list) -> dict:
    """Unsaved snapshot rows of `scope` for `day`, by key (None for the programme). A key with no actions
    that day has none (and the programme none before it had an action), so a chart shows no point
    rather than a false zero.
    """
    if not result.overall.total:
        return {}
    counts_for = {
        SnapshotScope.OVERALL: lambda key: result.overall,
        SnapshotScope.PILLAR: result.pillar,
        SnapshotScope.THEME: result.theme,
        SnapshotScope.ACTION_TYPE: result.action_type,
    }[scope]
    key_field = SCOPE_KEY.get(scope)
    return {
        key: ProgressSnapshot(
            taken_on=day, scope=scope, **({key_field: key} if key_field else {}), **_row_fields(counts_for(key))
        )
        for key in keys
        if counts_for(key).total
    }


def snapshot_trend(
    *, scope: str, months: int = 12, today: datetime.date | None = None, keys: list | None = None
) -> Trend:
    """The last `months` months (this one included) of `scope`'s figures, one per month: those at the
    month's end (today for this one), from actions.figures. `keys` narrows to some pillars, themes or types.
    """
    today = today or timezone.localdate()
    month_list = [month_start(today, back=n) for n in range(months - 1, -1, -1)]
    days = [_month_last_day(month, today) for month in month_list]
    keys = _scope_keys(scope, keys)
    series: dict = {}
    for index, (day, result) in enumerate(zip(days, figures_series(days=days, audience=Audience.BOARD), strict=True)):
        for key, row in _figures_by_key(result, scope=scope, day=day, keys=keys).items():
            series.setdefault(key, [None] * len(month_list))[index] = row
    return Trend(months=month_list, series=series)


def snapshot_month_ago(*, scope: str, today: datetime.date | None = None, keys: list | None = None) -> dict:
    """The figures of a month before `today` (the same day of the previous month), by key (pillar id,
    theme id, type; None for the programme), from actions.figures; {} before the programme began.
    """
    today = today or timezone.localdate()
    return snapshot_as_at(day=months_before(today, 1), scope=scope, keys=keys)


def snapshot_as_at(*, day: datetime.date, scope: str, keys: list | None = None) -> dict:
    """The figures at the end of `day`, by key (None for the programme), as unsaved snapshot rows."""
    result = figures(as_at=day, audience=Audience.BOARD)
    return _figures_by_key(result, scope=scope, day=day, keys=_scope_keys(scope, keys) if result.overall.total else [])


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
