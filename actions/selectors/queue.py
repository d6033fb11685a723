"""Where each role starts: the lead's work queue, the actions someone leads."""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, Evidence, ProgressUpdate, RevisionState
from actions.selectors.governance import actions_awaiting_ratification
from actions.selectors.leavers import actions_needing_new_owner
from actions.selectors.register import action_register_queryset
from actions.signoff import action_assurance_refusal

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
    decisions: list = field(default_factory=list)  # what each row asks, where decided (queue_decisions)
    one: str = ""  # the title for a count of one, where it differs ("1 due-date revision awaiting agreement")
    asked: str = ""  # what each row of decisions asks, said once above them (queue_decisions)

    @property
    def counted(self) -> str:
        """The title as it reads after the count, in the queue's list of counts."""
        return (self.one if self.count == 1 and self.one else self.title).lower()


def _section(key: str, title: str, actions: QuerySet, register_query: str, *, one: str = "") -> QueueSection:
    # Two queries whatever the number of actions: the count, and the first QUEUE_SECTION_SIZE rows.
    return QueueSection(
        key=key,
        title=title,
        count=actions.count(),
        actions=list(actions[:QUEUE_SECTION_SIZE]),
        register_query=register_query,
        one=one,
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
    sections.append(
        _section(
            "revisions",
            "Due-date revisions awaiting agreement",
            revisions,
            "",
            one="Due-date revision awaiting agreement",
        )
    )
    to_ratify = actions.filter(pk__in=actions_awaiting_ratification().values("pk")).order_by("assured_at", "reference")
    sections.append(
        _section("to_ratify", "Assured, to put to a committee for ratification", to_ratify, "status=assured")
    )
    if user.has_perm("actions.change_action"):
        leavers = actions.filter(pk__in=actions_needing_new_owner().values("pk")).order_by("due_date", "reference")
        section = _section(
            "needs_owner", "Open actions that need a new owner", leavers, "", one="Open action that needs a new owner"
        )
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
