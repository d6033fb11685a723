"""The board dashboard's first screen (issue 14): the board's questions answered in a fixed number of
queries. Is the programme on track overall? Which pillar is furthest behind, and why? Which CQC warning
notices and must-dos are overdue or slipped? Which measures show special cause, and will targets be
met? What changed since the last meeting? Every figure carries the register link to the actions it
counts; the detail is on the pages one click away (pillars, themes, goals, CQC, measures).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from actions import changes
from actions.choices import CQC_TYPES, OPEN_STATUSES, ActionType, Status
from actions.figures import Audience, figures
from actions.figures_cache import figures_cached
from actions.models import Action, DueDateRevision, Meeting, RevisionState
from actions.models.states import overdue_q
from measures.selectors import ASSURANCE_WORDS, VARIATION_WORDS, MeasureChart, measures_summary
from pillars.models import Pillar, StrategicGoal
from reports.governance_figures import dashboard_governance
from reports.links import RegisterLinks, register_url
from reports.models import ProgressSnapshot, SnapshotScope
from reports.selectors.dashboard import (
    DASHBOARD_LIST_LIMIT,
    Figures,
    PillarCard,
    _by_pillar_and_type,
    _total,
    _type_slices,
    action_figures,
    furthest_behind,
    pillar_slice,
)
from reports.snapshots import DirectionOfTravel, snapshot_as_at
from themes.models import Theme

# "Since the last meeting" when no committee has met yet: the last this many days.
SINCE_DAYS_WITHOUT_A_MEETING = 30
# The first screen names at most this many actions or measures in a list; the counts link to the rest.
FIRST_SCREEN_LIST_LIMIT = 3
# Measures named under each Making Data Count reading; the rest are counted, on the measures page.
MEASURES_NAMED = 3
# The board's CQC question is about warning notices and must-dos (should-dos are on the CQC page).
BOARD_CQC_TYPES = (ActionType.WARNING_NOTICE, ActionType.MUST_DO)


@dataclass
class Since:
    """The day the board last met (or SINCE_DAYS_WITHOUT_A_MEETING ago), and what changed from then."""

    day: datetime.date
    meeting: Meeting | None
    completed: int = 0
    fell_overdue: int = 0
    slipped: int = 0
    reopened: int = 0
    then: ProgressSnapshot | None = None
    links: dict = field(default_factory=dict)


@dataclass
class CqcType:
    """Warning notices or must-dos: how many, how many overdue and slipped, and the register links."""

    action_type: ActionType
    total: int
    overdue: int
    slipped: int
    links: RegisterLinks

    @property
    def label(self) -> str:
        return {ActionType.WARNING_NOTICE: "Warning notices", ActionType.MUST_DO: "Must-do actions"}[self.action_type]

    @property
    def noun(self) -> str:
        """One of them, for a count to agree with through `pluralize`: "1 overdue must-do action"."""
        return {ActionType.WARNING_NOTICE: "warning notice", ActionType.MUST_DO: "must-do action"}[self.action_type]

    @property
    def overdue_link(self) -> str:
        return self.links.overdue

    @property
    def slipped_link(self) -> str:
        return self.links.url(slipped=True, status=list(OPEN_STATUSES))


@dataclass
class Concern:
    """An action that is overdue or has slipped: by how many days, and the reason for its latest slip."""

    action: Action
    overdue_days: int
    slipped_days: int
    slip_reason: str


@dataclass
class MeasureGroup:
    """Measures that share a Making Data Count reading (e.g. special cause: concern), first few named."""

    code: str  # the icon: measures.selectors.VARIATION_WORDS or ASSURANCE_WORDS
    kind: str  # "variation" or "assurance"
    label: str
    # Only the first MEASURES_NAMED, and how many in all: the overview is cached (pickled) per change,
    # and 500 measures' charts with their values took a quarter of a second to unpickle (issue 15).
    charts: list[MeasureChart]
    count: int

    @property
    def shown(self) -> list[MeasureChart]:
        return self.charts

    @property
    def more(self) -> int:
        return max(self.count - MEASURES_NAMED, 0)


@dataclass
class BoardOverview:
    today: datetime.date
    overall: PillarCard
    pillar_cards: list[PillarCard]
    furthest_behind: PillarCard | None
    furthest_behind_actions: list[Concern]
    cqc_types: list[CqcType]
    cqc_concerns: list[Concern]
    cqc_concern_total: int
    measure_groups: list[MeasureGroup]
    measure_total: int
    # How many of the actions counted here the public pages count (only those public): every page says
    # which it counts, so "39 actions in all" is never mistaken for the public "31".
    public_total: int

    @property
    def special_cause(self) -> bool:
        return any(group.kind == "variation" for group in self.measure_groups)

    since: Since
    direction: DirectionOfTravel
    themes: list[Theme]
    goals: list[StrategicGoal]

    @property
    def status_rows(self):
        """The programme's open actions by BRAG status, in order, with their register links."""
        return [row for row in self.overall.status_rows if row[0] in OPEN_STATUS_ORDER]


OPEN_STATUS_ORDER = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NOT_STARTED)


def last_meeting(*, today: datetime.date) -> Meeting | None:
    """The latest committee meeting before today (one that has happened), or None."""
    return Meeting.objects.filter(date__lt=today).select_related("committee").order_by("-date", "-pk").first()


def since_moment(*, today: datetime.date) -> tuple[datetime.date, Meeting | None]:
    """The day "since" means on the dashboard and in the board pack alike: the last committee meeting's,
    or SINCE_DAYS_WITHOUT_A_MEETING days ago when none has met. One answer, so the two never disagree.
    """
    meeting = last_meeting(today=today)
    return (meeting.date if meeting else today - datetime.timedelta(days=SINCE_DAYS_WITHOUT_A_MEETING)), meeting


def _since(*, today: datetime.date) -> Since:
    day, meeting = since_moment(today=today)
    counts = Action.objects.aggregate(
        completed=Count("id", filter=changes.completed_since_q(day)),
        fell_overdue=Count("id", filter=changes.fell_overdue_since_q(day, today)),
        slipped=Count("id", filter=changes.slipped_since_q(day)),
        reopened=Count("id", filter=changes.reopened_since_q(day)),
    )
    then = snapshot_as_at(day=day, scope=SnapshotScope.OVERALL).get(None)
    return Since(
        day=day,
        meeting=meeting,
        then=then,
        links={
            "completed": register_url(completed_since=day),
            # changes.fell_overdue_since_q, as the register's filters say it.
            "fell_overdue": register_url(overdue=True, due_after=day),
            "slipped": register_url(slipped_since=day),
            "reopened": register_url(reopened_since=day),
        },
        **counts,
    )


def _cqc(
    *, today: datetime.date, by_type: dict, limit: int = FIRST_SCREEN_LIST_LIMIT
) -> tuple[list[CqcType], list[Concern], int]:
    """Warning notices and must-dos: counts by type (one query for the slipped), and the most pressing
    of those overdue or slipped, each with the reason for its latest agreed slip (one query)."""
    cqc = Action.objects.filter(action_type__in=BOARD_CQC_TYPES)
    # Slipped and still open: a slipped action since done is history, not a concern (the CQC page has both).
    open_slipped = cqc.open().slipped()
    slipped = dict(
        open_slipped.order_by().values("action_type").annotate(n=Count("id")).values_list("action_type", "n")
    )
    types = [
        CqcType(
            action_type=ActionType(value),
            total=by_type.get(value, Figures()).counts.total,
            overdue=by_type.get(value, Figures()).counts.overdue,
            slipped=slipped.get(value, 0),
            links=RegisterLinks(today=today, action_type=value),
        )
        for value in BOARD_CQC_TYPES
    ]
    latest_slip = (
        DueDateRevision.objects.filter(action=OuterRef("pk"), state=RevisionState.AGREED)
        .filter(changes.revision_slip_q())
        .order_by("-decided_on", "-requested_at", "-pk")
    )
    concerning = cqc.filter(overdue_q(today) | Q(pk__in=open_slipped.values("pk")))
    # Open, so ordering by due date puts the overdue first, longest overdue first; then the slipped.
    rows = list(
        concerning.annotate(slip_reason=Subquery(latest_slip.values("reason")[:1])).order_by("due_date", "reference")[
            :limit
        ]
    )
    concerns = [
        Concern(
            action=action,
            overdue_days=action.days_overdue_on(today),
            slipped_days=action.slipped_days,
            slip_reason=action.slip_reason or "",
        )
        for action in rows
    ]
    total = concerning.count()
    return types, concerns, total


# Making Data Count readings the board asks about, in the order the first screen shows them: special
# cause (concern, then improvement), then assurance (whether the target will be met). One group per icon,
# so each group's icon and words are exactly those of its measures.
MEASURE_GROUPS = (
    ("concern_high", "variation"),
    ("concern_low", "variation"),
    ("improvement_high", "variation"),
    ("improvement_low", "variation"),
    ("consistent_fail", "assurance"),
    ("inconsistent", "assurance"),
    ("consistent_pass", "assurance"),
)


def _measure_groups() -> tuple[list[MeasureGroup], int]:
    """The measures read as Making Data Count, grouped by icon (only icons some measure shows): three
    queries whatever their number (measures.selectors)."""
    charts = measures_summary(public_only=False)
    groups = []
    for code, kind in MEASURE_GROUPS:
        words = VARIATION_WORDS[code] if kind == "variation" else ASSURANCE_WORDS[code]
        matching = [mc for mc in charts if getattr(mc, f"{kind}_icon") == code]
        if matching:
            groups.append(
                MeasureGroup(code=code, kind=kind, label=words, charts=matching[:MEASURES_NAMED], count=len(matching))
            )
    return groups, len(charts)


def _cards(pillars, by_pillar: dict, *, today) -> list[PillarCard]:
    return [pillar_slice(p, by_pillar.get(p.pk, Figures()), today=today, kind=PillarCard) for p in pillars]


@figures_cached
def board_overview(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> BoardOverview:
    """Everything the dashboard's first screen shows, in a fixed number of queries (about a dozen)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    pillars = list(Pillar.objects.order_by("number"))
    by_pillar, by_type = _by_pillar_and_type(Action.objects.all(), today=today, now=now)
    cards = _cards(pillars, by_pillar, today=today)
    behind = furthest_behind(cards)
    # Why it is behind: its figures, and its most overdue open actions.
    behind_actions = (
        [
            Concern(action=action, overdue_days=action.days_overdue_on(today), slipped_days=0, slip_reason="")
            for action in Action.objects.filter(pillar=behind.obj)
            .filter(overdue_q(today))
            .order_by("due_date", "reference")[:FIRST_SCREEN_LIST_LIMIT]
        ]
        if behind
        else []
    )
    cqc_types, concerns, concern_total = _cqc(today=today, by_type=by_type)
    groups, measure_total = _measure_groups()
    overall = _total(by_pillar.values())
    since = _since(today=today)
    return BoardOverview(
        today=today,
        overall=PillarCard(label="Whole programme", figures=overall, links=RegisterLinks(today=today)),
        pillar_cards=cards,
        furthest_behind=behind,
        furthest_behind_actions=behind_actions,
        cqc_types=cqc_types,
        cqc_concerns=concerns,
        cqc_concern_total=concern_total,
        measure_groups=groups,
        measure_total=measure_total,
        public_total=figures(as_at=today, audience=Audience.PUBLIC).overall.total,
        since=since,
        direction=DirectionOfTravel(then=since.then, now=overall.counts),
        themes=list(Theme.objects.order_by("number")),
        goals=list(StrategicGoal.objects.order_by("number")),
    )


@figures_cached
def dashboard_cqc(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> dict:
    """The CQC page, one click from the first screen: warning notices, must-do and should-do actions by
    type, the warning notices and must-dos overdue or slipped (the first DASHBOARD_LIST_LIMIT), and the
    governance figures (slipped due dates, committees, regulations, key questions). A fixed number of queries.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    by_type = action_figures(actions=Action.objects.all(), group_by=("action_type",), today=today, now=now)
    cqc_types, concerns, concern_total = _cqc(today=today, by_type=by_type, limit=DASHBOARD_LIST_LIMIT)
    return {
        "today": today,
        "cqc": _type_slices(by_type, CQC_TYPES, today=today),
        "improvement": _type_slices(by_type, [ActionType.IMPROVEMENT], today=today)[0],
        "cqc_types": cqc_types,
        "concerns": concerns,
        "concern_total": concern_total,
        **dashboard_governance(today=today, now=now),
    }
