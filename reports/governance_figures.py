"""The dashboard's governance figures: slipped due dates, committees, embedded and reopened actions,
and the CQC section read by regulation and by key question. Each figure links to the register rows
it counts, where the register can filter them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from actions import changes
from actions.figures_cache import figures_cached
from actions.models import Action, KeyQuestion, Regulation
from actions.models.states import (
    awaiting_ratification_q,
    brought_forward_q,
    cqc_q,
    done_q,
    embedded_q,
    overdue_q,
    reopened_open_q,
    reopened_q,
    review_due_q,
)
from reports.links import RegisterLinks, register_url

# "Reopened recently": in the last this many days.
REOPENED_RECENTLY_DAYS = 90


@dataclass
class RegulatoryRow:
    """CQC actions answering one regulation or key question; `links` give the register list behind
    each figure (total, open, done, overdue), with `link` the total's."""

    label: str
    total: int
    done: int
    overdue: int
    links: RegisterLinks

    @property
    def link(self) -> str:
        return self.links.total

    @property
    def open(self) -> int:
        return self.total - self.done


def _slipped(today) -> dict:
    # Slips are few next to all actions: fetch the slipped ones and measure each with its own rule
    # (date arithmetic in SQL differs between SQLite and PostgreSQL).
    days = sorted(action.slipped_days for action in Action.objects.slipped().only("due_date", "original_due_date"))
    return {
        "count": len(days),
        "total_days": sum(days),
        "median_days": days[len(days) // 2] if days else 0,
        "max_days": days[-1] if days else 0,
        "link": register_url(slipped=True),
        "twice_link": register_url(slipped_twice=True),
    }


def _regulatory(today) -> tuple[list[RegulatoryRow], list[RegulatoryRow]]:
    cqc = Action.objects.cqc()
    on_cqc = cqc_q("actions__")
    regulations = [
        RegulatoryRow(
            label=str(regulation),
            total=regulation.total,
            done=regulation.done,
            overdue=regulation.overdue,
            links=RegisterLinks(today=today, regulation=regulation.number, cqc=True),
        )
        for regulation in Regulation.objects.annotate(
            total=Count("actions", filter=on_cqc),
            done=Count("actions", filter=on_cqc & done_q("actions__")),
            overdue=Count("actions", filter=on_cqc & overdue_q(today, "actions__")),
        ).order_by("order")
        if regulation.total
    ]
    by_question = {
        row["key_question"]: row
        for row in cqc.exclude(key_question="")
        .order_by()
        .values("key_question")
        .annotate(total=Count("id"), done=Count("id", filter=done_q()), overdue=Count("id", filter=overdue_q(today)))
    }
    questions = [
        RegulatoryRow(
            label=choice.label,
            total=by_question[choice.value]["total"],
            done=by_question[choice.value]["done"],
            overdue=by_question[choice.value]["overdue"],
            links=RegisterLinks(today=today, key_question=choice.value, cqc=True),
        )
        for choice in KeyQuestion
        if choice.value in by_question
    ]
    return regulations, questions


@figures_cached
def dashboard_governance(*, today=None, now=None) -> dict:
    """Everything the dashboard's governance section shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    regulations, questions = _regulatory(today)
    recent = today - datetime.timedelta(days=REOPENED_RECENTLY_DAYS)
    counts = Action.objects.aggregate(
        slipped_twice=Count("id", filter=changes.slipped_twice_q()),
        brought_forward=Count("id", filter=brought_forward_q()),
        awaiting_ratification=Count("id", filter=awaiting_ratification_q()),
        review_due=Count("id", filter=review_due_q(today)),
        embedded=Count("id", filter=embedded_q()),
        reopened_open=Count("id", filter=reopened_open_q()),
        # At most one pending decision and one open revision request per action (unique constraints),
        # so counting the actions that have one counts them, in this same query.
        awaiting_decision=Count("id", filter=changes.on_agenda_q()),
        revisions_awaiting=Count("id", filter=changes.revision_pending_q()),
        reopened_ever=Count("id", filter=reopened_q()),
        reopened_recently=Count("id", filter=changes.reopened_since_q(recent)),
    )
    return {
        "governance": {
            "slipped": {**_slipped(today), "twice": counts.pop("slipped_twice")},
            **counts,
            "reopened_since": recent,
            "by_regulation": regulations,
            "by_key_question": questions,
            "brought_forward_link": register_url(brought_forward=True),
            "awaiting_ratification_link": register_url(awaiting_ratification=True),
            "review_due_link": register_url(review_due=True),
            "embedded_link": register_url(embedded=True),
            "reopened_open_link": register_url(reopened_open=True),
            "reopened_ever_link": register_url(reopened=True),
            "reopened_recently_link": register_url(reopened_since=recent),
            "revisions_awaiting_link": register_url(revision_pending=True),
            "awaiting_decision_link": register_url(on_agenda=True),
            "committees_link": reverse("committees:list"),
        }
    }
