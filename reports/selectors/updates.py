"""Reads of periodic updates: the editorial list, and a published update's frozen figures as pages show them."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from actions.selectors.counts import StatusCounts
from reports.models import PublishedUpdate, UpdateStatus


def editorial_updates() -> QuerySet:
    """Every update, drafts included, for /reports/updates/ (communications editors and leads)."""
    return PublishedUpdate.objects.select_related("published_by", "withdrawn_by").order_by("-period")


def _describe_change(change: dict | None, key: str, unit: str) -> str:
    """change[key] in words: +3, "actions" -> "up 3 actions"; -1 -> "down 1 action"; 0 -> "no change"; no
    change (no earlier update) -> "".
    """
    delta = change.get(key) if change else None
    if delta is None:
        return ""
    if delta == 0:
        return "no change"
    return f"{'up' if delta > 0 else 'down'} {abs(delta)} {unit.removesuffix('s') if abs(delta) == 1 else unit}"


def _change_words(key: str, unit: str) -> property:
    """A row's property: its change in `key` since the earlier update, in words (_describe_change)."""
    return property(lambda row: _describe_change(row.change, key, unit))


@dataclass
class FrozenRow:
    """One line of a published update's figures (the programme, a pillar or a CQC action type)."""

    name: str
    counts: StatusCounts
    mean_percent_complete: int = 0
    change: dict | None = None

    percent_change = _change_words("percent_done", "percentage points")
    done_change = _change_words("done", "actions")
    assured_change = _change_words("assured", "actions")
    overdue_change = _change_words("overdue", "actions")


@dataclass
class FrozenAction:
    reference: str
    title: str
    pillar: str
    on: datetime.date
    type: str = ""
    text: str = ""


@dataclass
class UpdateFigures:
    """A published update's frozen figures (PublishedUpdate.figures), as the templates read them."""

    as_of: datetime.date | None
    previous: dict | None
    overall: FrozenRow
    pillars: list[FrozenRow]
    compliance: list[FrozenRow]
    completed: list[FrozenAction]
    assured: list[FrozenAction]
    highlights: list[FrozenAction]

    @property
    def highlight_entries(self) -> list[tuple[str, dict]]:
        """Each action with highlights once, as (pillar, {reference, title, notes}) in the pillars' order,
        its notes in date order: a month of notes on one action reads as one entry."""
        order = {row.name: n for n, row in enumerate(self.pillars)}
        groups: dict[str, dict[str, dict]] = {}
        for note in self.highlights:
            by_action = groups.setdefault(note.pillar, {})
            entry = by_action.setdefault(
                note.reference, {"reference": note.reference, "title": note.title, "notes": []}
            )
            entry["notes"].append(note)
        ordered = sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        return [(pillar, entry) for pillar, actions in ordered for entry in actions.values()]

    @property
    def highlights_by_pillar(self) -> list[tuple[str, list[dict]]]:
        return group_highlights(self.highlight_entries)


def group_highlights(entries: list[tuple[str, dict]]) -> list[tuple[str, list[dict]]]:
    """(pillar, entry) pairs, already in the pillars' order, as one heading per pillar."""
    grouped: list[tuple[str, list[dict]]] = []
    for pillar, entry in entries:
        if not grouped or grouped[-1][0] != pillar:
            grouped.append((pillar, []))
        grouped[-1][1].append(entry)
    return grouped


# A month's lists on an update's own page: the first UPDATE_LIST_SHOWN of each, then a link to the
# list in full, paged. A real month fits on the page; a month of hundreds (or the benchmark's
# thousands) does not make a page of hundreds of kilobytes for every reader (issue 15).
UPDATE_LIST_SHOWN = 25
UPDATE_SECTION_PER_PAGE = 100


@dataclass(frozen=True)
class UpdateSection:
    slug: str
    heading: str  # "Completed in October 2026" with the month after it
    verb: str


UPDATE_SECTIONS = {
    section.slug: section
    for section in (
        UpdateSection("completed", "Completed in", "Completed"),
        UpdateSection("assured", "Assured in", "Assured"),
        UpdateSection("highlights", "Highlights from our teams in", ""),
    )
}


def update_section_items(figures: UpdateFigures, section: str) -> list:
    """The whole of one of an update's lists: frozen actions, or (pillar, entry) pairs for highlights."""
    if section == "highlights":
        return figures.highlight_entries
    return getattr(figures, section)


def _frozen_counts(data: dict) -> StatusCounts:
    counts = StatusCounts(overdue=data.get("overdue", 0))
    counts.by_status.update({k: v for k, v in (data.get("by_status") or {}).items() if k in counts.by_status})
    return counts


def _frozen_actions(rows: list[dict]) -> list[FrozenAction]:
    return [
        FrozenAction(
            reference=row["reference"],
            title=row["title"],
            pillar=row.get("pillar", ""),
            on=datetime.date.fromisoformat(row["on"]),
            type=row.get("type", ""),
            text=row.get("text", ""),
        )
        for row in rows
    ]


def update_figures(update: PublishedUpdate) -> UpdateFigures:
    """Read an update's frozen figures (no query: they are JSON on the row)."""
    figures = update.figures or {}
    overall = figures.get("overall") or {}
    return UpdateFigures(
        as_of=datetime.date.fromisoformat(figures["as_of"]) if figures.get("as_of") else None,
        previous=figures.get("previous"),
        overall=FrozenRow(name="All public actions", counts=_frozen_counts(overall), change=overall.get("change")),
        pillars=[
            FrozenRow(
                name=row["name"],
                counts=_frozen_counts(row),
                mean_percent_complete=row.get("mean_percent_complete", 0),
                change=row.get("change"),
            )
            for row in figures.get("pillars", [])
        ],
        compliance=[
            FrozenRow(name=row["label"], counts=_frozen_counts(row), change=row.get("change"))
            for row in figures.get("compliance", [])
        ],
        completed=_frozen_actions(figures.get("completed", [])),
        assured=_frozen_actions(figures.get("assured", [])),
        highlights=_frozen_actions(figures.get("highlights", [])),
    )


def published_updates_naming(reference: str) -> list[PublishedUpdate]:
    """The published updates whose frozen figures name the action `reference` (in a month's completed or
    assured list, or a highlight), newest first. They are frozen: making the action internal later leaves
    it on them until each is withdrawn and corrected (README, "Privacy").
    """
    published = PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED).only("slug", "period", "figures")
    naming = []
    for update in published.order_by("-period"):
        figures = update_figures(update)
        if any(row.reference == reference for row in (*figures.completed, *figures.assured, *figures.highlights)):
            naming.append(update)
    return naming


# Open data: (field, what it holds). The /open-data/ page documents the files from this list.
