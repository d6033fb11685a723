"""Reads for the public pages: the home page, the list of published updates, open data.

Only what is marked public and published: internal actions and drafts never reach an anonymous visitor.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from actions.models import Action, ActionType, Status
from actions.selectors import StatusCounts, action_status_counts
from pillars.models import Pillar, StrategicGoal
from reports.models import PublishedUpdate, UpdateStatus
from reports.plan import GOVERNANCE_OPEN_DATA_FIELDS, add_governance_fields
from secamb_journey.content import strategy_text
from themes.models import Theme


@dataclass
class PillarProgress:
    pillar: Pillar
    counts: StatusCounts


def home_page_content() -> dict:
    """Everything the public home page shows, in five queries whatever the number of actions.

    Only public actions count: internal ones never reach an anonymous visitor.
    """
    goals = list(StrategicGoal.objects.all())
    pillars = list(Pillar.objects.prefetch_related("goals"))
    themes = list(Theme.objects.prefetch_related("pillars"))
    by_pillar = action_status_counts(actions=Action.objects.public(), group_by="pillar_id")
    overall = StatusCounts()
    for counts in by_pillar.values():
        for status, n in counts.by_status.items():
            overall.by_status[status] += n
        overall.overdue += counts.overdue
    latest_update = PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).order_by("-period").first()
    return {
        "strategy": strategy_text(),
        "goals": goals,
        "pillars": [PillarProgress(pillar, by_pillar.get(pillar.pk, StatusCounts())) for pillar in pillars],
        "themes": themes,
        "overall": overall,
        "latest_update": latest_update,
    }


PUBLIC_UPDATES_PER_PAGE = 10


def public_updates() -> QuerySet:
    """Published updates, newest first: the only ones an anonymous visitor may read."""
    return PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).order_by("-period")


def public_update_for_slug(slug: str) -> PublishedUpdate | None:
    """The update at /updates/<slug>/, published or withdrawn (a withdrawn one shows only its note); else None."""
    visible = [UpdateStatus.PUBLISHED, UpdateStatus.WITHDRAWN]
    # The withdrawn update a correction replaces, and the correction of a withdrawn one: each page links the other.
    return (
        PublishedUpdate.objects.select_related("corrects", "correction").filter(slug=slug, status__in=visible).first()
    )


def published_correction_of(update: PublishedUpdate) -> PublishedUpdate | None:
    """The published update that corrects `update` (fetched with it by public_update_for_slug), or None."""
    try:
        correction = update.correction
    except PublishedUpdate.correction.RelatedObjectDoesNotExist:
        return None
    return correction if correction.status == UpdateStatus.PUBLISHED else None


def public_withdrawal_notices() -> list[dict]:
    """Withdrawn updates as the public may see them: the month, the date and the note, never the content."""
    rows = PublishedUpdate.objects.filter(status=UpdateStatus.WITHDRAWN).order_by("-period")
    return [
        {"period": period, "withdrawn_at": withdrawn_at, "note": note}
        for period, withdrawn_at, note in rows.values_list("period", "withdrawn_at", "withdrawal_note")
    ]


OPEN_DATA_FIELDS = [
    (
        "reference",
        "The action's short, stable reference: WN- (CQC warning notice), MD- (must-do), SD- (should-do) "
        "or IJ- (trust improvement action), then a number.",
    ),
    ("title", "What the action will achieve, in the trust's words."),
    ("type", "CQC warning notice, CQC must-do, CQC should-do or Trust improvement action."),
    ("pillar", "The improvement pillar the action belongs to."),
    ("themes", "The urgent themes the action answers (in CSV, separated by semicolons; in JSON, a list)."),
    (
        "status",
        "Not started, On track, At risk, Off track, Complete, awaiting assurance, Assured, or Embedded "
        "(sustained: shown by evidence reviewed after a committee ratified it).",
    ),
    ("percent_complete", "How far through the work is, as a whole number from 0 to 100."),
    ("due_date", "The agreed due date (the original one, or the latest agreed revision), as YYYY-MM-DD."),
    *GOVERNANCE_OPEN_DATA_FIELDS,
]


def open_data_actions() -> list[dict]:
    """Every public action's current figures, for /open-data/actions.csv and .json. Two queries.

    Internal actions never appear, and nobody is named: not the owner, not the executive lead.
    Read as plain values, not model instances: at 10,000 actions building instances (and prefetching
    their themes) took seconds on every cache miss (issue 8, `manage.py bench`).
    """
    public = Action.objects.public()
    themes: dict[int, list[str]] = {}
    through = Action.themes.through.objects.filter(action__in=public).order_by("theme__number", "theme_id")
    for action_id, short_name in through.values_list("action_id", "theme__short_name"):
        themes.setdefault(action_id, []).append(short_name)  # in the themes' own order, as the page lists them
    type_labels = dict(ActionType.choices)
    status_labels = dict(Status.choices)
    fields = ("id", "reference", "title", "action_type", "pillar__name", "status", "percent_complete", "due_date")
    rows = [
        {
            "reference": row["reference"],
            "title": row["title"],
            "type": type_labels.get(row["action_type"], row["action_type"]),
            "pillar": row["pillar__name"],
            "themes": themes.get(row["id"], []),
            "status": status_labels.get(row["status"], row["status"]),
            "percent_complete": row["percent_complete"],
            "due_date": row["due_date"],
        }
        for row in public.order_by("reference").values(*fields)
    ]
    return add_governance_fields(rows)
