"""The programme's figures at any moment, past or present: one function, read by every page that counts.

`figures(as_at=day, audience=...)` counts the actions as they stood at the end of `day` (UK time): their
status, percent complete, agreed due date, pillar, type, themes and whether they were public, each read
from the action's history (django-simple-history's HistoricalAction), which every service writes with
the event's own time (actions.services.common.save_with_history). Overdue is judged on `day` by the one rule
(actions.models.states.is_overdue_on). The dashboard and its trend, the home page, the public plan, open data,
each published update (frozen from it) and each board pack (frozen from it) call this and nothing else,
so the same question gets the same answer everywhere (issue 25).

Audience "public" counts the actions that were public at that moment; "board" counts every action.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from actions.choices import CQC_TYPES, Status
from actions.models import Action
from actions.models.states import is_overdue_on
from actions.selectors.counts import StatusCounts
from pillars.models import Pillar


class Audience:
    PUBLIC = "public"
    BOARD = "board"
    ALL = (PUBLIC, BOARD)


# What each action's state at a moment is read as, from the present row or a history record alike.
STATE_FIELDS = ("id", "status", "percent_complete", "due_date", "is_public", "pillar_id", "action_type")


@dataclass(frozen=True)
class ActionState:
    """One action as it stood at a moment."""

    id: int
    status: str
    percent_complete: int
    due_date: datetime.date
    is_public: bool
    pillar_id: int
    action_type: str
    theme_ids: frozenset = frozenset()


@dataclass
class Figures:
    """The counts at one moment for one audience, whole and by pillar, theme and type."""

    as_at: datetime.date
    audience: str
    overall: StatusCounts = field(default_factory=StatusCounts)
    by_pillar: dict = field(default_factory=lambda: defaultdict(StatusCounts))
    by_theme: dict = field(default_factory=lambda: defaultdict(StatusCounts))
    by_type: dict = field(default_factory=lambda: defaultdict(StatusCounts))

    def pillar(self, pillar_id) -> StatusCounts:
        return self.by_pillar.get(pillar_id) or StatusCounts()

    def theme(self, theme_id) -> StatusCounts:
        return self.by_theme.get(theme_id) or StatusCounts()

    def action_type(self, action_type) -> StatusCounts:
        return self.by_type.get(str(action_type)) or StatusCounts()


def moment_end(day: datetime.date) -> datetime.datetime:
    """The end of `day` in UK time (the start of the next day): `as_at=day` counts what happened by then."""
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def _count(states: Iterable[ActionState], *, as_at: datetime.date, audience: str) -> Figures:
    result = Figures(as_at=as_at, audience=audience)
    for state in states:
        if audience == Audience.PUBLIC and not state.is_public:
            continue
        overdue = int(is_overdue_on(status=state.status, due_date=state.due_date, day=as_at))
        tallies = [result.overall, result.by_pillar[state.pillar_id], result.by_type[state.action_type]]
        tallies += [result.by_theme[theme_id] for theme_id in state.theme_ids]
        for tally in tallies:
            tally.add(state.status, 1, overdue, percent=state.percent_complete)
    return result


def _present_states() -> list[ActionState]:
    """Every action as it stands now: the present rows, which are the latest records of their history."""
    themes = defaultdict(set)
    for action_id, theme_id in Action.themes.through.objects.values_list("action_id", "theme_id"):
        themes[action_id].add(theme_id)
    return [
        ActionState(*row, theme_ids=frozenset(themes[row[0]]))
        for row in Action.objects.order_by().values_list(*STATE_FIELDS)
    ]


# Up to this many past days are each read with one query of their own (each action's latest record
# before the day's end, by index: 0.5 s at 10,000 actions and 210,000 records on SQLite, against 3 s for a
# pass); more, such as a year of month ends for a trend, in one pass over the whole history (3.6 s there).
PAST_DAYS_READ_ONE_BY_ONE = 3


def _states_before(moment: datetime.datetime) -> list[ActionState]:
    """Every action as it stood at `moment`: its latest history record before then. Actions are never
    deleted (the admin refuses, and their progress log protects them), so the present rows list them all.
    """
    history = Action.history.model
    theme_history = history._meta.get_field("historicalaction_themes").related_model
    latest = (
        history.objects.filter(id=OuterRef("pk"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = Action.objects.order_by().annotate(record=Subquery(latest)).filter(record__isnull=False)
    themes = defaultdict(set)
    for history_id, theme_id in theme_history.objects.filter(history_id__in=records.values("record")).values_list(
        "history_id", "theme_id"
    ):
        themes[history_id].add(theme_id)
    return [
        ActionState(*row, theme_ids=frozenset(themes[history_id]))
        for history_id, *row in history.objects.filter(history_id__in=records.values("record"))
        .exclude(history_type="-")
        .values_list("history_id", *STATE_FIELDS)
    ]


def action_states_at(moments: list[datetime.datetime]) -> list[list[ActionState]]:
    """Every action as it stood at each of `moments` (ascending): a few moments one query each, more
    from one pass over the history. An action created after a moment is not counted then.
    """
    if len(moments) <= PAST_DAYS_READ_ONE_BY_ONE:
        return [_states_before(moment) for moment in moments]
    history = Action.history.model
    theme_history = history._meta.get_field("historicalaction_themes").related_model
    latest = moments[-1]
    records = (
        history.objects.filter(history_date__lt=latest)
        .order_by("history_date", "history_id")
        .values_list("history_id", "history_date", "history_type", *STATE_FIELDS)
    )
    themes = defaultdict(set)
    for history_id, theme_id in theme_history.objects.filter(history__history_date__lt=latest).values_list(
        "history_id", "theme_id"
    ):
        themes[history_id].add(theme_id)
    current: dict[int, ActionState] = {}
    states_at: list[list[ActionState]] = []
    index = 0
    for history_id, history_date, history_type, *row in records.iterator(chunk_size=5000):
        while index < len(moments) and history_date >= moments[index]:
            states_at.append(list(current.values()))
            index += 1
        if history_type == "-":
            current.pop(row[0], None)
        else:
            current[row[0]] = ActionState(*row, theme_ids=frozenset(themes[history_id]))
    while index < len(moments):
        states_at.append(list(current.values()))
        index += 1
    return states_at


def figures_series(*, days: list[datetime.date], audience: str) -> list[Figures]:
    """`figures` for each of `days` (in any order), reading the history once."""
    if audience not in Audience.ALL:
        raise ValueError(f"audience must be one of {Audience.ALL}, not {audience!r}")
    today = timezone.localdate()
    past = sorted({day for day in days if day < today})
    by_day = {}
    if past:
        for day, states in zip(past, action_states_at([moment_end(day) for day in past]), strict=True):
            by_day[day] = _count(states, as_at=day, audience=audience)
    if any(day >= today for day in days):
        present = _present_states()
        for day in {day for day in days if day >= today}:
            by_day[day] = _count(present, as_at=day, audience=audience)
    return [by_day[day] for day in days]


def figures(*, as_at: datetime.date | None = None, audience: str) -> Figures:
    """The figures at the end of `as_at` (default today) for `audience` ("public" or "board").

    Today's (and a later day's, whose overdue is judged on that day) come from the present rows, past
    days' from the history; the two agree because every save writes its history record
    (actions/tests/test_figures_properties.py replays random histories to hold them to it).
    """
    return figures_series(days=[as_at or timezone.localdate()], audience=audience)[0]


# --- Open data: one shape for the figures of a day and those frozen in an update ------------------


def _status_dict(counts: StatusCounts) -> dict:
    return {status: counts.by_status[status] for status in Status.values}


def figures_open_data(result: Figures, *, pillars: Iterable[Pillar] | None = None) -> dict:
    """`result` as plain JSON in the shape of /open-data/figures.json (and of an update's frozen figures)."""
    pillars = Pillar.objects.order_by("number") if pillars is None else pillars
    return {
        "as_at": result.as_at.isoformat(),
        "audience": result.audience,
        "actions_total": result.overall.total,
        "by_status": _status_dict(result.overall),
        "overdue": result.overall.overdue,
        "by_pillar": [
            {
                "slug": pillar.slug,
                "name": pillar.name,
                "actions_total": result.pillar(pillar.pk).total,
                "by_status": _status_dict(result.pillar(pillar.pk)),
                "overdue": result.pillar(pillar.pk).overdue,
                "percent_mean": result.pillar(pillar.pk).percent_mean,
            }
            for pillar in pillars
        ],
        "by_type": {
            str(action_type): {
                "actions_total": result.action_type(action_type).total,
                "by_status": _status_dict(result.action_type(action_type)),
                "overdue": result.action_type(action_type).overdue,
            }
            for action_type in CQC_TYPES
        },
    }
