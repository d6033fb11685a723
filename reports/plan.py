"""Reads for the public plan (/plan/, /plan/<ref>/), the governance columns of open data, and the
reopenings frozen into a public update. Public actions only; nobody below executive level is named.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from actions.choices import Status
from actions.models import (
    Action,
    ActionReopening,
    CommitteeDecision,
    CoreService,
    Decision,
    DueDateRevision,
    KeyQuestion,
    RevisionState,
)

# Fifty public actions to a page, as GOV.UK lists page: at 100 the first page of a 10,000-action plan was
# 77 KB, the largest of the public pages a reader opens first (issue 15).
PLAN_PAGE_SIZE = 50


def public_plan_actions() -> QuerySet:
    """Every public action, by pillar then reference, with what a row of /plan/ shows (one query a page)."""
    return (
        Action.objects.public()
        .select_related("pillar")
        .only(
            "reference",
            "title",
            "status",
            "percent_complete",
            "due_date",
            "original_due_date",
            "action_type",
            "pillar__name",
            "pillar__number",
            "pillar__slug",
        )
        .order_by("pillar__number", "reference")
    )


@dataclass
class PublicPlanAction:
    action: Action
    revisions: list
    decisions: list
    highlights: list
    regulations: list
    reopenings: list = field(
        default_factory=list
    )  # ActionReopening rows, newest first: the reason is published (the form says so)

    @property
    def status(self) -> Status:
        return Status(self.action.status)

    @property
    def reopened(self):
        """The latest reopening while the action is open since (it says why the work started again), or None."""
        if self.reopenings and not self.action.is_done:
            return self.reopenings[0]
        return None

    @property
    def progress(self) -> list[dict]:
        """The public highlights and the reopenings (their reasons), newest first: a highlight written
        before a reopening (“this work is now complete”) reads below the reopening that followed it,
        marked as said before it.
        """
        entries = [{"on": r.reopened_at, "text": f"Reopened: {r.reason}", "reopening": True} for r in self.reopenings]
        latest = self.reopenings[0].reopened_at if self.reopenings else None
        entries += [
            {
                "on": note.created_at,
                "text": note.public_highlight,
                "reopening": False,
                "before_reopening": latest is not None and note.created_at <= latest,
            }
            for note in self.highlights
        ]
        return sorted(entries, key=lambda entry: entry["on"], reverse=True)


def public_plan_action(*, reference: str) -> PublicPlanAction | None:
    """One public action as /plan/<ref>/ shows it, or None (unknown, or internal). Six queries.

    Agreed revisions with their reasons, committee decisions (committee, date, decision, returned
    reason), and the public highlights of progress: never internal narratives, evidence or names
    below executive level (who asked for or agreed a revision, who recorded a decision, who logged).
    """
    action = Action.objects.public().select_related("pillar", "executive_lead").filter(reference=reference).first()
    if action is None:
        return None
    revisions = list(
        DueDateRevision.objects.filter(action=action, state=RevisionState.AGREED)
        .only("previous_due_date", "new_due_date", "reason", "decided_on")
        .order_by("requested_at", "id")
    )
    decisions = list(
        CommitteeDecision.objects.filter(action=action)
        .exclude(decision=Decision.PENDING)
        .select_related("meeting__committee")
        .only("decision", "reason", "minute_reference", "meeting__date", "meeting__committee__name")
        .order_by("meeting__date", "id")
    )
    highlights = list(
        action.progress_updates.exclude(public_highlight="")
        .only("public_highlight", "created_at")
        .order_by("-created_at", "-id")[:20]
    )
    reopenings = list(
        ActionReopening.objects.filter(action=action).only("reason", "reopened_at").order_by("-reopened_at", "-id")
    )
    return PublicPlanAction(
        action=action,
        revisions=revisions,
        decisions=decisions,
        highlights=highlights,
        regulations=list(action.regulations.all()),
        reopenings=reopenings,
    )


# --- Open data: the governance columns (issue 13) -------------------------------------------------

GOVERNANCE_OPEN_DATA_FIELDS = [
    ("original_due_date", "The due date first agreed, kept for ever, as YYYY-MM-DD."),
    (
        "due_date_revisions",
        "Each agreed change of due date: from, to, the reason and the date agreed (in CSV, separated by "
        "semicolons; in JSON, a list of objects with keys from, to, reason, agreed_on).",
    ),
    (
        "regulations",
        "The regulations of the Health and Social Care Act 2008 (Regulated Activities) Regulations 2014 the "
        "CQC found breached, by number (in CSV, separated by semicolons; in JSON, a list).",
    ),
    ("key_question", "The CQC key question: Safe, Effective, Caring, Responsive or Well-led."),
    (
        "core_service",
        "The core service: Emergency and urgent care, Emergency operations centres, NHS 111, Resilience or "
        "Patient transport.",
    ),
    ("completed_on", "When the action was completed, as YYYY-MM-DD (empty if it is not)."),
    ("assured_on", "When an improvement lead signed it off as assured, as YYYY-MM-DD (empty if not)."),
]


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def add_governance_fields(rows: list[dict]) -> list[dict]:
    """Add the governance columns to open data rows (public actions, by reference). Three queries."""
    public = Action.objects.public()
    key_questions = dict(KeyQuestion.choices)
    core_services = dict(CoreService.choices)
    extra = {
        row["reference"]: row
        for row in public.values(
            "reference", "original_due_date", "key_question", "core_service", "completed_at", "assured_at"
        )
    }
    revisions: dict[str, list] = {}
    for reference, old, new, reason, agreed_on in (
        DueDateRevision.objects.filter(action__in=public, state=RevisionState.AGREED)
        .order_by("requested_at", "id")
        .values_list("action__reference", "previous_due_date", "new_due_date", "reason", "decided_on")
    ):
        revisions.setdefault(reference, []).append(
            {"from": _iso(old), "to": _iso(new), "reason": reason, "agreed_on": _iso(agreed_on)}
        )
    regulations: dict[str, list] = {}
    through = Action.regulations.through.objects.filter(action__in=public)
    for reference, number in through.order_by("regulation__order").values_list(
        "action__reference", "regulation__number"
    ):
        regulations.setdefault(reference, []).append(number)
    for row in rows:
        more = extra.get(row["reference"], {})
        row.update(
            {
                "original_due_date": _iso(more.get("original_due_date")),
                "due_date_revisions": revisions.get(row["reference"], []),
                "regulations": regulations.get(row["reference"], []),
                "key_question": key_questions.get(more.get("key_question"), ""),
                "core_service": core_services.get(more.get("core_service"), ""),
                "completed_on": _iso(more.get("completed_at")),
                "assured_on": _iso(more.get("assured_at")),
            }
        )
    return rows


def governance_csv_cells(row: dict) -> dict:
    """The governance columns of an open data row as CSV text."""
    return {
        **row,
        "regulations": "; ".join(row.get("regulations", [])),
        "due_date_revisions": "; ".join(
            f"{r['from']} to {r['to']}: {r['reason']} (agreed {r['agreed_on']})"
            for r in row.get("due_date_revisions", [])
        ),
    }


# --- The public update: reopenings in the period ---------------------------------------------------


def frozen_reopened(*, start, end) -> list[dict]:
    """Public actions reopened in [start, end), as a published update freezes them (no names)."""
    return [
        {
            "reference": reopening.action.reference,
            "title": reopening.action.title,
            "pillar": reopening.action.pillar.name,
            "text": reopening.reason,
            "on": timezone.localtime(reopening.reopened_at).date().isoformat(),
        }
        for reopening in ActionReopening.objects.filter(
            action__is_public=True, reopened_at__gte=start, reopened_at__lt=end
        )
        .select_related("action__pillar")
        .order_by("reopened_at", "id")
    ]


@dataclass
class ReopenedInUpdate:
    reference: str
    title: str
    pillar: str
    text: str
    on: datetime.date


def update_reopened(update) -> list[ReopenedInUpdate] | None:
    """The reopenings an update froze, for its page; None for an update frozen before they were."""
    rows = (update.figures or {}).get("reopened")
    if rows is None:
        return None
    return [
        ReopenedInUpdate(
            reference=row["reference"],
            title=row["title"],
            pillar=row.get("pillar", ""),
            text=row.get("text", ""),
            on=datetime.date.fromisoformat(row["on"]),
        )
        for row in rows
    ]
