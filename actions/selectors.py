"""Reads of actions that feed pages: each says what it fetches, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format

from actions.choices import DONE_STATUSES, SIGNED_OFF_STATUSES, Status
from actions.governance_selectors import actions_awaiting_ratification
from actions.models import Action, Evidence, ProgressUpdate, RevisionState
from actions.models.states import overdue_q
from actions.signoff import action_assurance_refusal
from pillars.models import Pillar
from themes.models import Theme


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


# --- Staff pages: the register, my actions, one action -------------------------------------------


def _status_rank():
    """BRAG order as a number, so sorting by status follows the scale rather than the alphabet."""
    return Case(*[When(status=value, then=Value(rank)) for rank, value in enumerate(Status.values)], default=Value(99))


def _overdue_expression(today):
    return Case(
        When(overdue_q(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def action_register_queryset(*, today=None) -> QuerySet:
    """Every action with what a register row shows (pillar, owner, executive lead) in the same query,
    and `status_rank` and `overdue` annotated for sorting and display. Filtering and paging are added
    by the caller (actions.filters.ActionFilter, a Paginator); the page's query count stays fixed.
    """
    today = today or timezone.localdate()
    return Action.objects.select_related("pillar", "owner", "executive_lead").annotate(
        status_rank=_status_rank(), overdue=_overdue_expression(today)
    )


# What a row of the action table shows (actions/templatetags/action_rows.py), and no more: a page of
# 50 actions built four whole model instances per row (action, pillar, owner, executive lead), most of
# the ORM's time on "my actions" in issue 15's profile.
ACTION_TABLE_FIELDS = (
    "reference",
    "title",
    "action_type",
    "due_date",
    "original_due_date",
    "status",
    "percent_complete",
    "pillar__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def for_action_table(queryset: QuerySet) -> QuerySet:
    """`queryset` (action_register_queryset's, filtered and ordered) reading only what a table row shows."""
    return queryset.select_related(None).select_related("pillar", "owner").only(*ACTION_TABLE_FIELDS)


def actions_owned_by(*, user, today=None) -> QuerySet:
    """The actions `user` owns: overdue first, then by due date (one query)."""
    return (
        action_register_queryset(today=today).filter(owner=user).order_by(F("overdue").desc(), "due_date", "reference")
    )


def action_for_detail(*, reference: str) -> Action | None:
    """One action with its pillar, people and themes (two queries), or None."""
    return (
        Action.objects.select_related("pillar", "owner", "executive_lead", "assured_by", "embedded_by")
        .prefetch_related("themes", "regulations")
        .filter(reference=reference)
        .first()
    )


def action_timeline(*, action: Action) -> QuerySet:
    """The progress log, newest first, with each entry's author (one query)."""
    return action.progress_updates.select_related("author").order_by("-created_at", "-id")


def action_evidence(*, action: Action) -> QuerySet:
    """The action's evidence files, newest first, with who uploaded each (one query)."""
    return action.evidence.select_related("uploaded_by").order_by("-uploaded_at", "-id")


# --- The change history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    who: str
    reason: str
    created: bool
    changes: list[FieldChange]


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _label(field_name: str) -> str:
    name = str(Action._meta.get_field(field_name).verbose_name)
    return name[:1].upper() + name[1:]


class _Names:
    """Turns stored values (ids, choice values, dates) into words, looking up each kind of id once."""

    def __init__(self, *, user_ids=(), pillar_ids=(), theme_ids=()):
        self.users = {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=set(user_ids))}
        self.pillars = dict(Pillar.objects.filter(pk__in=set(pillar_ids)).values_list("pk", "name"))
        self.themes = dict(Theme.objects.filter(pk__in=set(theme_ids)).values_list("pk", "short_name"))

    def describe(self, field_name: str, value) -> str:
        if value in (None, ""):
            return ""
        if field_name in ("owner", "executive_lead", "assured_by"):
            return self.users.get(value, f"user {value}")
        if field_name == "pillar":
            return self.pillars.get(value, f"pillar {value}")
        if field_name == "themes":
            return ", ".join(sorted(self.themes.get(pk, f"theme {pk}") for pk in value)) or ""
        field = Action._meta.get_field(field_name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if field_name == "percent_complete":
            return f"{value}%"
        if hasattr(value, "strftime"):
            return date_format(value, "j F Y")
        return str(value)


# Compared between history records: what a person can change, and the outcome of the progress log.
HISTORY_FIELDS = [
    "reference",
    "title",
    "description",
    "action_type",
    "cqc_regulation",
    "pillar",
    "owner",
    "executive_lead",
    "due_date",
    "is_public",
    "status",
    "percent_complete",
    "cqc_finding",
    "key_question",
    "core_service",
    "source",
]
_FK_FIELDS = {"pillar", "owner", "executive_lead"}


def _theme_ids_by_record(record_ids) -> dict[int, frozenset]:
    through = Action.history.model._meta.get_field("historicalaction_themes").related_model
    by_record: dict[int, set] = {pk: set() for pk in record_ids}
    for history_id, theme_id in through.objects.filter(history_id__in=list(record_ids)).values_list(
        "history_id", "theme_id"
    ):
        by_record[history_id].add(theme_id)
    return {pk: frozenset(ids) for pk, ids in by_record.items()}


def describe_changes(old_record, new_record, *, old_themes=None, new_themes=None, names=None) -> list[FieldChange]:
    """What changed between two history records, in words: simple-history's diff_against for the fields,
    and the themes compared from their recorded ids (passed in, so a long history costs no extra queries).
    """
    delta = new_record.diff_against(old_record, included_fields=HISTORY_FIELDS)
    raw = [(change.field, change.old, change.new) for change in delta.changes]
    if old_themes is not None and new_themes is not None and old_themes != new_themes:
        raw.append(("themes", old_themes, new_themes))
    if names is None:
        names = _Names(
            user_ids=[v for f, o, n in raw if f in ("owner", "executive_lead") for v in (o, n)],
            pillar_ids=[v for f, o, n in raw if f == "pillar" for v in (o, n)],
            theme_ids=[v for f, o, n in raw if f == "themes" for v in (*o, *n)],
        )
    order = {name: i for i, name in enumerate([*HISTORY_FIELDS, "themes"])}
    return [
        FieldChange(field, _label(field), names.describe(field, old), names.describe(field, new))
        for field, old, new in sorted(raw, key=lambda change: order[change[0]])
    ]


class HistoryList(list):
    """The history entries shown, and whether older changes were left out (`more`)."""

    more = False


def action_history(*, action: Action, limit: int = 100) -> HistoryList:
    """Who changed what on the action, and when, newest first: old and new value of each field.

    A fixed number of queries whatever the length of the history: the records (with who made each),
    their themes, and one look-up each for the people, pillars and themes they name.
    """
    records = list(action.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    themes = _theme_ids_by_record([r.history_id for r in records])
    user_ids, pillar_ids, theme_ids = set(), set(), set()
    for record in records:
        user_ids.update(getattr(record, f"{name}_id") for name in ("owner", "executive_lead"))
        pillar_ids.add(record.pillar_id)
        theme_ids.update(themes[record.history_id])
    names = _Names(user_ids=user_ids, pillar_ids=pillar_ids, theme_ids=theme_ids)

    entries = HistoryList()
    entries.more = len(records) > limit
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None and len(records) > limit:
            break  # the oldest fetched record only serves as the "before" of the next one
        if older is None:
            changes = []
        else:
            changes = describe_changes(
                older,
                newer,
                old_themes=themes[older.history_id],
                new_themes=themes[newer.history_id],
                names=names,
            )
            if not changes:
                continue  # a save that changed nothing a person would see (a version bump alone, say)
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                who=person_name(newer.history_user) or "The system",
                reason=newer.history_change_reason or "",
                created=older is None,
                changes=changes,
            )
        )
    return entries


# --- Where each role starts: the lead's work queue, my actions -----------------------------------

# A queue section lists this many actions; "see all" opens the register filtered to the rest.
QUEUE_SECTION_SIZE = 20


@dataclass
class QueueSection:
    """One kind of work awaiting a lead: how many, the first few (most urgent first), and where the rest are."""

    key: str
    title: str
    count: int
    actions: list
    register_query: str  # the register's filters that list all of them
    all_url: str = ""  # where all of them are, when that is not the register (leavers' actions)
    decisions: list = field(default_factory=list)  # what each row asks, where decided (actions.queue_decisions)


def _section(key: str, title: str, actions: QuerySet, register_query: str) -> QueueSection:
    # Two queries whatever the number of actions: the count, and the first QUEUE_SECTION_SIZE rows.
    return QueueSection(
        key=key,
        title=title,
        count=actions.count(),
        actions=list(actions[:QUEUE_SECTION_SIZE]),
        register_query=register_query,
    )


def _awaiting_assurance_by(*, user, actions: QuerySet) -> tuple[int, list]:
    """The complete actions `user` may sign off as assured (four eyes: actions.signoff.
    action_assurance_refusal), oldest completion first: how many, and the first QUEUE_SECTION_SIZE.

    Most have never been touched by this lead (never owned, logged complete or given evidence by them):
    those pass the four-eyes rule without a look at their history, in two queries. Only the few this lead
    has touched need action_assurance_refusal's reading of the history (touched before a reopening is
    allowed), and at most QUEUE_SECTION_SIZE of those are read, so the page's queries stay bounded.
    """
    candidates = actions.filter(status=Status.COMPLETE).exclude(owner=user).order_by("completed_at", "reference")
    touched = Q(
        Exists(Action.history.model.objects.filter(id=OuterRef("pk"), owner_id=user.pk))
        | Exists(ProgressUpdate.objects.filter(action=OuterRef("pk"), author_id=user.pk, status=Status.COMPLETE))
        | Exists(Evidence.objects.filter(action=OuterRef("pk"), uploaded_by_id=user.pk))
    )
    untouched = candidates.exclude(touched)
    allowed_touched = [
        action
        for action in candidates.filter(touched)[:QUEUE_SECTION_SIZE]
        if action_assurance_refusal(action=action, user=user) is None
    ]
    first = sorted(
        [*untouched[:QUEUE_SECTION_SIZE], *allowed_touched],
        key=lambda a: (a.completed_at is None, a.completed_at or timezone.now(), a.reference),
    )[:QUEUE_SECTION_SIZE]
    return untouched.count() + len(allowed_touched), first


def actions_needing_new_owner() -> QuerySet:
    """Open actions owned by someone whose account is switched off: nobody can act on them until an
    improvement lead gives them a new owner. One query, whatever their number.
    """
    return (
        Action.objects.open()
        .filter(owner__is_active=False)
        .select_related("owner")
        .order_by("owner__last_name", "owner__first_name", "owner_id", "due_date", "reference")
    )


def work_queue_for(*, user, today=None, now=None) -> list[QueueSection]:
    """What awaits an improvement lead: complete actions they may sign off (four eyes, strong:
    _awaiting_assurance_by), then overdue and stale open actions, then (for a lead who may change
    owners) leavers' open actions that need a new owner. Bounded query count.
    """

    today = today or timezone.localdate()
    now = now or timezone.now()
    actions = action_register_queryset(today=today)
    awaiting_count, awaiting = _awaiting_assurance_by(user=user, actions=actions)
    overdue = actions.overdue(today=today).order_by("due_date", "reference")
    stale = actions.stale(now=now).order_by(F("last_progress_at").asc(nulls_first=True), "reference")
    sections = [
        QueueSection(
            key="awaiting_assurance",
            title="Awaiting your assurance",
            count=awaiting_count,
            actions=awaiting,
            register_query="status=complete",
        ),
        _section("overdue", "Overdue", overdue, "overdue=on"),
        _section("stale", "No progress logged recently", stale, "stale=on"),
    ]
    # Governance (issue 13): requested due-date revisions (not on the lead's own actions, which another
    # lead must agree), and assured actions not yet put to a committee for ratification.
    revisions = (
        actions.filter(due_date_revisions__state=RevisionState.REQUESTED)
        .exclude(owner=user)
        .distinct()
        .order_by("due_date", "reference")
    )
    sections.append(_section("revisions", "Due-date revisions awaiting agreement", revisions, ""))
    to_ratify = actions.filter(pk__in=actions_awaiting_ratification().values("pk")).order_by("assured_at", "reference")
    sections.append(
        _section("to_ratify", "Assured, to put to a committee for ratification", to_ratify, "status=assured")
    )
    if user.has_perm("actions.change_action"):
        leavers = actions.filter(pk__in=actions_needing_new_owner().values("pk")).order_by("due_date", "reference")
        section = _section("needs_owner", "Open actions that need a new owner", leavers, "")
        section.all_url = "/actions/needs-owner/"
        sections.append(section)
    return sections


def actions_led_by(*, user, today=None) -> QuerySet:
    """The actions `user` leads as executive (and does not also own): overdue first, then by due date."""
    return (
        action_register_queryset(today=today)
        .filter(executive_lead=user)
        .exclude(owner=user)
        .order_by(F("overdue").desc(), "due_date", "reference")
    )
