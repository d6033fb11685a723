"""The dashboard's governance figures: slipped due dates, committees, embedded and reopened actions,
and the CQC section read by regulation and by key question. Each figure links to the register rows
it counts, where the register can filter them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from actions.figures_cache import figures_cached
from actions.models import (
    CQC_TYPES,
    DONE_STATUSES,
    Action,
    ActionReopening,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    KeyQuestion,
    Regulation,
    RevisionState,
    Status,
)
from reports.links import register_url


@dataclass
class RegulatoryRow:
    label: str
    total: int
    done: int
    overdue: int
    link: str

    @property
    def open(self) -> int:
        return self.total - self.done


def _slipped(today) -> dict:
    # Slips are few next to all actions: fetch the two dates of each slipped one and measure here
    # (date arithmetic in SQL differs between SQLite and PostgreSQL).
    rows = list(
        Action.objects.slipped()
        .annotate(n=Count("due_date_revisions", filter=Q(due_date_revisions__state=RevisionState.AGREED)))
        .values_list("due_date", "original_due_date", "n")
    )
    days = sorted((due - original).days for due, original, _n in rows)
    return {
        "count": len(days),
        "total_days": sum(days),
        "median_days": days[len(days) // 2] if days else 0,
        "max_days": days[-1] if days else 0,
        "twice": sum(1 for *_dates, n in rows if n >= 2),
        "link": register_url(slipped=True),
    }


def _regulatory(today) -> tuple[list[RegulatoryRow], list[RegulatoryRow]]:
    overdue = Q(due_date__lt=today) & ~Q(status__in=DONE_STATUSES)
    done = Q(status__in=DONE_STATUSES)
    cqc = Action.objects.filter(action_type__in=CQC_TYPES)
    on_cqc = Q(actions__action_type__in=CQC_TYPES)
    regulations = [
        RegulatoryRow(
            label=str(regulation),
            total=regulation.total,
            done=regulation.done,
            overdue=regulation.overdue,
            link=register_url(regulation=regulation.number),
        )
        for regulation in Regulation.objects.annotate(
            total=Count("actions", filter=on_cqc),
            done=Count("actions", filter=on_cqc & Q(actions__status__in=DONE_STATUSES)),
            overdue=Count(
                "actions",
                filter=on_cqc & Q(actions__due_date__lt=today) & ~Q(actions__status__in=DONE_STATUSES),
            ),
        ).order_by("order")
        if regulation.total
    ]
    by_question = {
        row["key_question"]: row
        for row in cqc.exclude(key_question="")
        .order_by()
        .values("key_question")
        .annotate(total=Count("id"), done=Count("id", filter=done), overdue=Count("id", filter=overdue))
    }
    questions = [
        RegulatoryRow(
            label=choice.label,
            total=by_question[choice.value]["total"],
            done=by_question[choice.value]["done"],
            overdue=by_question[choice.value]["overdue"],
            link=register_url(key_question=choice.value),
        )
        for choice in KeyQuestion
        if choice.value in by_question
    ]
    return regulations, questions


@figures_cached
def dashboard_governance(*, today=None, now=None) -> dict:
    """Everything the dashboard's governance section shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    regulations, questions = _regulatory(today)
    counts = Action.objects.aggregate(
        awaiting_ratification=Count("id", filter=Q(status=Status.ASSURED, ratified_at__isnull=True)),
        review_due=Count(
            "id",
            filter=Q(status=Status.ASSURED, ratified_at__isnull=False, sustainability_review_due__lte=today),
        ),
        embedded=Count("id", filter=Q(status=Status.EMBEDDED)),
        reopened_open=Count("id", filter=Q(reopened_at__isnull=False) & ~Q(status__in=DONE_STATUSES)),
        # At most one pending decision and one open revision request per action (unique constraints),
        # so counting the actions that have one counts them, in this same query.
        awaiting_decision=Count(
            "id",
            filter=Q(Exists(CommitteeDecision.objects.filter(action=OuterRef("pk"), decision=Decision.PENDING))),
        ),
        revisions_awaiting=Count(
            "id",
            filter=Q(Exists(DueDateRevision.objects.filter(action=OuterRef("pk"), state=RevisionState.REQUESTED))),
        ),
    )
    recent = now - datetime.timedelta(days=90)
    reopenings = ActionReopening.objects.aggregate(
        recently=Count("id", filter=Q(reopened_at__gte=recent)), ever=Count("action", distinct=True)
    )
    return {
        "governance": {
            "slipped": _slipped(today),
            **counts,
            "reopened_recently": reopenings["recently"],
            "reopened_ever": reopenings["ever"],
            "by_regulation": regulations,
            "by_key_question": questions,
            "embedded_link": register_url(status=Status.EMBEDDED.value),
            "assured_link": register_url(status=Status.ASSURED.value),
            "committees_link": reverse("committees:list"),
        }
    }
