"""Reads for the staff pages: the register, my actions, one action and its timeline."""

from django.db.models import BooleanField, Case, F, QuerySet, Value, When
from django.utils import timezone

from actions.choices import Status
from actions.models import Action
from actions.models.states import overdue_q


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
