"""Reads for the public pages: the home page, the list of published updates, open data.

Only what is marked public and published: internal actions and drafts never reach an anonymous visitor.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from actions.choices import ActionType, Status
from actions.figures import Audience, figures, figures_open_data
from actions.models import Action
from actions.selectors.counts import StatusCounts
from pillars.models import Pillar, StrategicGoal
from reports.models import PublishedUpdate, UpdateStatus
from reports.plan import GOVERNANCE_OPEN_DATA_FIELDS, add_governance_fields
from themes.models import Theme


@dataclass
class PillarProgress:
    pillar: Pillar
    counts: StatusCounts


def home_page_content() -> dict:
    """Everything the public home page shows, in five queries whatever the number of actions.

    Only public actions count: internal ones never reach an anonymous visitor.
    """
    # The trust's current strategy: what a newer profile left out (retired) keeps its actions, off this page.
    goals = list(StrategicGoal.objects.filter(retired=False))
    # A pillar "serves" only current goals: a retired one is no longer the trust's to serve.
    current_goals = Prefetch("goals", queryset=StrategicGoal.objects.filter(retired=False))
    pillars = list(Pillar.objects.filter(retired=False).prefetch_related(current_goals))
    # And a theme is answered only by current pillars.
    current_pillars = Prefetch("pillars", queryset=Pillar.objects.filter(retired=False))
    themes = list(Theme.objects.filter(retired=False).prefetch_related(current_pillars))
    counted = figures(audience=Audience.PUBLIC)
    latest_update = PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).order_by("-period").first()
    return {
        "goals": goals,
        "pillars": [PillarProgress(pillar, counted.pillar(pillar.pk)) for pillar in pillars],
        "themes": themes,
        "overall": counted.overall,
        "as_at": counted.as_at,
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


@dataclass(frozen=True)
class FeedEntry:
    """One entry of the Atom feed: a published update, or the news that one was withdrawn (its own entry,
    with its own id, so a feed reader that kept the update also learns it was withdrawn, and why).
    """

    update: PublishedUpdate
    withdrawal: bool
    at: datetime.datetime


def public_feed_entries(limit: int) -> list[FeedEntry]:
    """The newest `limit` feed entries: each published update (a correction among them, as its own entry) and
    each withdrawal, newest first. Two queries.
    """
    published = PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED, published_at__isnull=False)
    published = published.select_related("corrects")
    withdrawn = PublishedUpdate.objects.filter(status=UpdateStatus.WITHDRAWN, withdrawn_at__isnull=False)
    entries = [FeedEntry(u, False, u.published_at) for u in published.order_by("-published_at")[:limit]]
    entries += [FeedEntry(u, True, u.withdrawn_at) for u in withdrawn.order_by("-withdrawn_at")[:limit]]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


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


def open_data_figures(*, as_at) -> dict:
    """/open-data/figures.json: the public figures at the end of `as_at`, from actions.figures."""
    return figures_open_data(figures(as_at=as_at, audience=Audience.PUBLIC))


def open_data_update(update: PublishedUpdate) -> dict:
    """/open-data/updates/<slug>.json: a published or withdrawn update's frozen figures, in the shape of
    /open-data/figures.json, so "what did the trust say at the time" can be checked against the record.
    """
    data = {
        "slug": update.slug,
        "period": update.period.isoformat()[:7],
        "status": update.status,
        "published_at": update.published_at.isoformat(timespec="seconds") if update.published_at else None,
        "figures": update.figures.get("figures") or _figures_from_schema_2(update.figures),
    }
    if update.status == UpdateStatus.WITHDRAWN:
        data["withdrawn_at"] = update.withdrawn_at.isoformat(timespec="seconds") if update.withdrawn_at else None
        data["withdrawal_note"] = update.withdrawal_note
    return data


def _figures_from_schema_2(frozen: dict) -> dict:
    """The open-data shape of an update frozen before issue 25 (schema 1 or 2), from its own counts."""
    overall = frozen.get("overall") or {}
    return {
        "as_at": frozen.get("as_of"),
        "audience": "public",
        "actions_total": overall.get("total", 0),
        "by_status": overall.get("by_status", {}),
        "overdue": overall.get("overdue", 0),
        "by_pillar": [
            {
                "slug": row["slug"],
                "name": row["name"],
                "actions_total": row["total"],
                "by_status": row["by_status"],
                "overdue": row["overdue"],
                "percent_mean": row.get("mean_percent_complete", 0),
            }
            for row in frozen.get("pillars", [])
        ],
        "by_type": {
            row["action_type"]: {
                "actions_total": row["total"],
                "by_status": row["by_status"],
                "overdue": row["overdue"],
            }
            for row in frozen.get("compliance", [])
        },
    }
