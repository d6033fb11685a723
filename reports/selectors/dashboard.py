"""Reads for the board dashboard and its drill-down pages (board members and improvement leads)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actions.choices import CQC_TYPES, ActionType
from actions.figures_cache import figures_cached
from actions.models import Action
from actions.models.states import due_soon_q, open_q, overdue_q, stale_q
from actions.selectors.counts import StatusCounts
from pillars.models import Pillar, StrategicGoal
from reports.charts import LineChart, percent_line_chart
from reports.links import RegisterLinks
from reports.models import SnapshotScope
from reports.snapshots import DirectionOfTravel, Trend, snapshot_month_ago, snapshot_trend
from themes.models import Theme

# --- Board dashboard ------------------------------------------------------------------------------
# Every page reads in a fixed number of queries: counts are aggregates grouped in the database, and
# the lists of actions show at most DASHBOARD_LIST_LIMIT rows, each list's full length being a count
# that links to the register.

DASHBOARD_LIST_LIMIT = 15


@dataclass
class Figures:
    """Counts by status and overdue (StatusCounts), plus the two flags a board asks about next."""

    counts: StatusCounts = field(default_factory=StatusCounts)
    stale: int = 0
    due_soon: int = 0


def action_figures(*, actions: QuerySet, group_by: tuple[str, ...] = (), today=None, now=None):
    """Figures for `actions`, in one query: a Figures, or a dict of group key -> Figures when grouped
    (the key is the field's value, or a tuple of values when grouping by more than one field).
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    rows = (
        actions.order_by()
        .values(*group_by, "status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=overdue_q(today)),
            stale=Count("id", filter=stale_q(now)),
            due_soon=Count("id", filter=due_soon_q(today)),
        )
    )
    grouped: dict = {}
    for row in rows:
        key = tuple(row[g] for g in group_by) if len(group_by) > 1 else (row[group_by[0]] if group_by else None)
        figures = grouped.setdefault(key, Figures())
        figures.counts.add(row["status"], row["n"], row["overdue"])
        figures.stale += row["stale"]
        figures.due_soon += row["due_soon"]
    if not group_by:
        return grouped.get(None, Figures())
    return grouped


def _by_pillar_and_type(actions: QuerySet, *, today, now) -> tuple[dict, dict]:
    """Figures by pillar and by action type from one scan of the actions, grouped by both and summed
    here: two grouped scans cost twice as much at 10,000 actions (issue 8, `manage.py bench`)."""
    both = action_figures(actions=actions, group_by=("pillar_id", "action_type"), today=today, now=now)
    pillars: dict = {}
    types: dict = {}
    for (pillar_id, action_type), figures in both.items():
        pillars.setdefault(pillar_id, []).append(figures)
        types.setdefault(action_type, []).append(figures)
    return {k: _total(v) for k, v in pillars.items()}, {k: _total(v) for k, v in types.items()}


def _total(figures) -> Figures:
    total = Figures()
    for f in figures:
        for status, n in f.counts.by_status.items():
            total.counts.by_status[status] += n
        total.counts.overdue += f.counts.overdue
        total.stale += f.stale
        total.due_soon += f.due_soon
    return total


@dataclass
class Slice:
    """A part of the programme (the whole, a pillar, a theme, a type...) with its figures and the
    register links behind each of them."""

    label: str
    figures: Figures
    links: RegisterLinks
    obj: object = None
    url: str = ""

    @property
    def counts(self) -> StatusCounts:
        return self.figures.counts

    @property
    def status_rows(self) -> list[tuple]:
        """(Status, count, register link) in BRAG order."""
        return [(status, n, self.links.url(status=status.value)) for status, n in self.counts.rows()]


@dataclass
class PillarCard(Slice):
    direction: DirectionOfTravel | None = None
    chart: LineChart | None = None
    trend: list = field(default_factory=list)


@dataclass
class TrendTable:
    """The figures behind trend charts, as a table: a row per month, a column per pillar (or theme)."""

    labels: list[str]
    rows: list[tuple[datetime.date, list]]


def trend_table(months: list[datetime.date], series: list[tuple[str, list]]) -> TrendTable:
    """`series`: (column heading, a snapshot or None per month) pairs."""
    return TrendTable(
        labels=[label for label, _ in series],
        rows=[(month, [snapshots[n] for _, snapshots in series]) for n, month in enumerate(months)],
    )


def _settings_figures() -> dict:
    return {"stale_after_days": settings.STALE_AFTER_DAYS, "due_soon_days": settings.DUE_SOON_DAYS}


@dataclass
class ActionList:
    """The first few actions of a list (overdue, due soon, stale), how many there are, and the link to all."""

    actions: list
    total: int
    link: str

    @property
    def more(self) -> int:
        return max(self.total - len(self.actions), 0)


@dataclass
class GridCell:
    pillar: Pillar
    open: int
    overdue: int
    links: RegisterLinks


@dataclass
class GridRow:
    theme: Theme
    cells: list[GridCell]
    open: int
    overdue: int
    links: RegisterLinks


def _action_lists(*, actions: QuerySet, figures: Figures, links: RegisterLinks, today, now) -> dict:
    """The overdue, due-soon and stale lists: DASHBOARD_LIST_LIMIT rows each, one query each."""
    base = actions.select_related("pillar", "owner")
    stale = base.stale(now=now)
    limit = DASHBOARD_LIST_LIMIT
    return {
        "overdue_actions": ActionList(
            list(base.overdue(today=today).order_by("due_date", "reference")[:limit]),
            figures.counts.overdue,
            links.overdue,
        ),
        "due_soon_actions": ActionList(
            list(base.due_soon(today=today).order_by("due_date", "reference")[:limit]), figures.due_soon, links.due_soon
        ),
        "stale_actions": ActionList(
            list(stale.order_by(Coalesce("last_progress_at", "created_at"), "reference")[:limit]),
            figures.stale,
            links.stale,
        ),
    }


def pillar_slice(pillar, figures, *, today, theme=None, kind=Slice, **more) -> Slice:
    """A pillar's slice (or card: `kind`), linking to its page and to its actions in the register
    (within `theme`, if given)."""
    return kind(
        label=pillar.name,
        figures=figures,
        links=RegisterLinks(today=today, theme=theme, pillar=pillar),
        obj=pillar,
        url=reverse("reports:dashboard_pillar", args=[pillar.slug]),
        **more,
    )


def _pillar_cards(pillars, by_pillar: dict, *, today, months_ago: dict, trend: Trend) -> list[PillarCard]:
    cards = []
    for pillar in pillars:
        figures = by_pillar.get(pillar.pk, Figures())
        snapshots = trend.for_key(pillar.pk)
        cards.append(
            pillar_slice(
                pillar,
                figures,
                today=today,
                kind=PillarCard,
                direction=DirectionOfTravel(then=months_ago.get(pillar.pk), now=figures.counts),
                chart=percent_line_chart(
                    title=f"{pillar.name}: actions complete or assured, by month",
                    subject=f"The share of {pillar.name} actions complete or assured",
                    months=trend.months,
                    values=[s.percent_done if s else None for s in snapshots],
                ),
                trend=snapshots,
            )
        )
    return cards


def furthest_behind(cards: list[PillarCard]) -> PillarCard | None:
    """The pillar with actions whose share complete or assured is lowest; more overdue breaks a tie."""
    with_actions = [card for card in cards if card.counts.total]
    if not with_actions:
        return None
    return min(with_actions, key=lambda c: (c.counts.percent_done, -c.counts.overdue, c.obj.number))


def _type_slices(by_type: dict, types, *, today, **scope) -> list[Slice]:
    return [
        Slice(
            label=ActionType(value).label,
            figures=by_type.get(value, Figures()),
            links=RegisterLinks(today=today, **scope, action_type=value),
            obj=ActionType(value),
        )
        for value in types
    ]


def _theme_grid(actions: QuerySet, themes, pillars, *, today, now) -> list[GridRow]:
    """Open and overdue actions by theme and pillar, in one query. An action answering two themes
    sits in both rows (each row is that theme's actions); within a row each action counts once.

    The grid shows only open actions, so only open ones are joined to their themes: at 10,000 actions
    that halves the query (manage.py bench), the join being the costly part.
    """
    rows = (
        actions.filter(open_q(), themes__isnull=False)
        .order_by()
        .values("themes", "pillar_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(today)))
    )
    cells = {(row["themes"], row["pillar_id"]): (row["open"], row["overdue"]) for row in rows}
    grid = []
    for theme in themes:
        row_cells = []
        for pillar in pillars:
            open_count, overdue = cells.get((theme.pk, pillar.pk), (0, 0))
            row_cells.append(
                GridCell(pillar, open_count, overdue, RegisterLinks(today=today, theme=theme, pillar=pillar))
            )
        grid.append(
            GridRow(
                theme=theme,
                cells=row_cells,
                open=sum(c.open for c in row_cells),
                overdue=sum(c.overdue for c in row_cells),
                links=RegisterLinks(today=today, theme=theme),
            )
        )
    return grid


def programme_slices(*, today, now) -> dict:
    """The dashboard's figures for the whole programme, each pillar and each kind of CQC action, without
    its trends, theme grid and action lists: what the board pack shows of it. (The trends read a year of
    month-end states from the progress log: about 4 CPU seconds at 10,000 actions, cold.)"""
    by_pillar, by_type = _by_pillar_and_type(Action.objects.all(), today=today, now=now)
    pillars = [
        pillar_slice(pillar, by_pillar.get(pillar.pk, Figures()), today=today)
        for pillar in Pillar.objects.order_by("number")
    ]
    return {
        "overall": Slice(label="Whole programme", figures=_total(by_pillar.values()), links=RegisterLinks(today=today)),
        "pillar_cards": pillars,
        "furthest_behind": furthest_behind(pillars),
        "cqc": _type_slices(by_type, CQC_TYPES, today=today),
        **_settings_figures(),
    }


@figures_cached
def dashboard_overview(*, today=None, now=None) -> dict:
    """Everything /dashboard/ shows, in a fixed number of queries whatever the number of actions."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    actions = Action.objects.all()
    pillars = list(Pillar.objects.order_by("number"))
    themes = list(Theme.objects.order_by("number"))
    goals = list(StrategicGoal.objects.order_by("number"))
    by_pillar, by_type = _by_pillar_and_type(actions, today=today, now=now)
    overall = _total(by_pillar.values())
    trend = snapshot_trend(scope=SnapshotScope.PILLAR, today=today)
    months_ago = snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today)
    cards = _pillar_cards(pillars, by_pillar, today=today, months_ago=months_ago, trend=trend)
    overall_links = RegisterLinks(today=today)
    cqc = _type_slices(by_type, CQC_TYPES, today=today)
    must_do = next(s for s in cqc if s.obj == ActionType.MUST_DO)
    return {
        "today": today,
        "overall": Slice(label="Whole programme", figures=overall, links=overall_links),
        "pillar_cards": cards,
        "furthest_behind": furthest_behind(cards),
        "must_do": must_do,
        "cqc": cqc,
        "improvement": _type_slices(by_type, [ActionType.IMPROVEMENT], today=today)[0],
        "pillars": pillars,
        "theme_grid": _theme_grid(actions, themes, pillars, today=today, now=now),
        "goals": goals,
        "trend_table": trend_table(trend.months, [(card.label, card.trend) for card in cards]),
        **_settings_figures(),
        **_action_lists(actions=actions, figures=overall, links=overall_links, today=today, now=now),
    }


def _one_scope(actions: QuerySet, scope: str, key: int, *, today, now) -> tuple[Figures, Trend, dict]:
    """A pillar's or a theme's figures, its trend and its figures a month ago."""
    figures = action_figures(actions=actions, today=today, now=now)
    trend = snapshot_trend(scope=scope, today=today, keys=[key])
    return figures, trend, snapshot_month_ago(scope=scope, today=today, keys=[key])


@figures_cached
def dashboard_pillar(*, pillar: Pillar, today=None, now=None) -> dict:
    """One pillar's drill-down: its figures by status, type and theme, its trend and its lists."""
    today, now = today or timezone.localdate(), now or timezone.now()
    actions = Action.objects.filter(pillar=pillar)
    figures, trend, months_ago = _one_scope(actions, SnapshotScope.PILLAR, pillar.pk, today=today, now=now)
    by_type = action_figures(actions=actions, group_by=("action_type",), today=today, now=now)
    by_theme = action_figures(actions=actions.filter(themes__isnull=False), group_by=("themes",), today=today, now=now)
    themes = list(Theme.objects.order_by("number"))
    (card,) = _pillar_cards([pillar], {pillar.pk: figures}, today=today, months_ago=months_ago, trend=trend)
    theme_slices = [
        Slice(
            label=theme.short_name,
            figures=by_theme[theme.pk],
            links=RegisterLinks(today=today, pillar=pillar, theme=theme),
            obj=theme,
            url=reverse("reports:dashboard_theme", args=[theme.slug]),
        )
        for theme in themes
        if theme.pk in by_theme
    ]
    return {
        "today": today,
        "pillar": pillar,
        "goals": list(pillar.goals.order_by("number")),
        "card": card,
        "types": _type_slices(by_type, ActionType.values, today=today, pillar=pillar),
        "themes": theme_slices,
        "trend_table": trend_table(trend.months, [(card.label, card.trend)]),
        **_settings_figures(),
        **_action_lists(actions=actions, figures=figures, links=card.links, today=today, now=now),
    }


@figures_cached
def dashboard_theme(*, theme: Theme, today=None, now=None) -> dict:
    """One theme's drill-down: its figures, where its actions sit by pillar and type, its trend, its lists."""
    today, now = today or timezone.localdate(), now or timezone.now()
    actions = Action.objects.filter(themes=theme)
    figures, trend, months_ago = _one_scope(actions, SnapshotScope.THEME, theme.pk, today=today, now=now)
    by_pillar, by_type = _by_pillar_and_type(actions, today=today, now=now)
    pillars = list(Pillar.objects.order_by("number"))
    answering = {p.pk for p in theme.pillars.all()}
    links = RegisterLinks(today=today, theme=theme)
    snapshots = trend.for_key(theme.pk)
    pillar_slices = [
        pillar_slice(pillar, by_pillar.get(pillar.pk, Figures()), today=today, theme=theme)
        for pillar in pillars
        if pillar.pk in by_pillar or pillar.pk in answering
    ]
    return {
        "today": today,
        "theme": theme,
        "answering_pillars": [p for p in pillars if p.pk in answering],
        "summary": Slice(label=theme.short_name, figures=figures, links=links, obj=theme),
        "direction": DirectionOfTravel(then=months_ago.get(theme.pk), now=figures.counts),
        "chart": percent_line_chart(
            title=f"{theme.short_name}: actions complete or assured, by month",
            subject=f"The share of actions on the theme ‘{theme.short_name}’ complete or assured",
            months=trend.months,
            values=[s.percent_done if s else None for s in snapshots],
        ),
        "trend_table": trend_table(trend.months, [(theme.short_name, snapshots)]),
        **_settings_figures(),
        "pillars": pillar_slices,
        "types": _type_slices(by_type, ActionType.values, today=today, theme=theme),
        **_action_lists(actions=actions, figures=figures, links=links, today=today, now=now),
    }


@figures_cached
def dashboard_goal(*, goal: StrategicGoal, today=None, now=None) -> dict:
    """One strategic goal's drill-down: the pillars that serve it, each with its figures and trend."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    pillars = list(goal.pillars.order_by("number"))
    pillar_ids = [p.pk for p in pillars]
    actions = Action.objects.filter(pillar_id__in=pillar_ids)
    by_pillar = action_figures(actions=actions, group_by=("pillar_id",), today=today, now=now)
    trend = snapshot_trend(scope=SnapshotScope.PILLAR, today=today, keys=pillar_ids)
    months_ago = snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today, keys=pillar_ids)
    cards = _pillar_cards(pillars, by_pillar, today=today, months_ago=months_ago, trend=trend)
    overall = _total(by_pillar.values())
    # The register filters by one pillar at a time, so the goal's lists link per pillar (in the cards);
    # the lists here show the most pressing actions across all the goal's pillars.
    lists = _action_lists(actions=actions, figures=overall, links=RegisterLinks(today=today), today=today, now=now)
    for action_list in lists.values():
        action_list.link = ""
    return {
        "today": today,
        "goal": goal,
        "pillar_cards": cards,
        "overall_percent_done": overall.counts.percent_done,
        "trend_table": trend_table(trend.months, [(card.label, card.trend) for card in cards]),
        **_settings_figures(),
        **lists,
    }
