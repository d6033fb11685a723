"""Reporting periods, and drafting a period's update: its figures frozen from the live record.

The task, the management command and the editorial page's "refresh" all call update_draft_for_period.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.choices import CQC_TYPES, SIGNED_OFF_STATUSES, ActionType
from actions.figures import Audience, Figures, figures, figures_open_data
from actions.models import Action, ProgressUpdate
from actions.models.states import public_q
from actions.selectors.counts import StatusCounts
from measures.selectors import public_measures_frozen
from pillars.models import Pillar
from reports.models import PublishedUpdate, UpdateStatus
from reports.plan import frozen_reopened
from secamb_journey.periods import period_words
from secamb_journey.profile import trust_profile

# Bump when the shape of PublishedUpdate.figures changes, so templates can tell old updates apart.
# 2: "reopened" (issue 13); an update frozen at 1 has none, and its page says nothing of it.
# 3: "figures", open data's shape (issue 25), from actions.figures like every other count.
FIGURES_SCHEMA = 3

# --- Periods ---------------------------------------------------------------------------------------


def period_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def period_next(period: datetime.date) -> datetime.date:
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def period_previous(day: datetime.date) -> datetime.date:
    """The month before the one `day` falls in: what the monthly draft on the 1st reports on."""
    return period_start(period_start(day) - datetime.timedelta(days=1))


def period_from_string(text: str) -> datetime.date:
    """ "2026-10" -> date(2026, 10, 1). Anything else is refused with a message that says what to type."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(f"Enter the period as a year and month, for example 2026-10 (not {text!r}).")
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def period_label(period: datetime.date) -> str:
    return period_words(period)  # the one way a period is written for people


def period_slug(period: datetime.date) -> str:
    return f"{period:%B-%Y}".lower()


def _period_bounds(period: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as [start, end) instants in UK time, so a note logged at 00:30 BST on the 1st counts there."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period_next(period), datetime.time.min, tzinfo=tz)
    return start, end


# --- Freezing the figures --------------------------------------------------------------------------


def _counts_figures(counts: StatusCounts) -> dict:
    return {
        "total": counts.total,
        "by_status": dict(counts.by_status),
        "done": counts.done,
        "assured": counts.assured,
        "overdue": counts.overdue,
        "percent_done": counts.percent_done,
    }


def _change(current: dict, previous: dict | None) -> dict | None:
    if previous is None:
        return None
    return {key: current[key] - previous.get(key, 0) for key in ("done", "assured", "overdue", "percent_done")}


def _pillar_rows(counted: Figures, *, pillars, previous: dict) -> list[dict]:
    """Each pillar's frozen counts, with the change since the previous update."""
    previous_pillars = {row["slug"]: row for row in previous.get("pillars", [])}
    rows = []
    for pillar in pillars:
        counts = counted.pillar(pillar.pk)
        row = {
            "name": pillar.name,
            "slug": pillar.slug,
            **_counts_figures(counts),
            "mean_percent_complete": round(counts.percent_mean),
        }
        row["change"] = _change(row, previous_pillars.get(pillar.slug)) if previous else None
        rows.append(row)
    return rows


def _compliance_rows(counted: Figures, *, previous: dict) -> list[dict]:
    """CQC warning notices, must-do and should-do actions: frozen counts for each type."""
    previous_compliance = {row["action_type"]: row for row in previous.get("compliance", [])}
    rows = []
    for action_type in CQC_TYPES:
        row = {
            "action_type": action_type.value,
            "label": action_type.label,
            **_counts_figures(counted.action_type(action_type)),
        }
        row["change"] = _change(row, previous_compliance.get(action_type.value)) if previous else None
        rows.append(row)
    return rows


def _action_row(action: Action, on: datetime.datetime) -> dict:
    return {
        "reference": action.reference,
        "title": action.title,
        "pillar": action.pillar.name,
        "type": ActionType(action.action_type).label,
        "on": timezone.localtime(on).date().isoformat(),
    }


def _period_events(public, *, start: datetime.datetime, end: datetime.datetime) -> dict:
    """The actions completed and assured in the period, and the public highlights logged in it."""
    completed = public.filter(completed_at__gte=start, completed_at__lt=end)
    assured = public.filter(status__in=SIGNED_OFF_STATUSES, assured_at__gte=start, assured_at__lt=end)
    notes = ProgressUpdate.objects.filter(public_q("action__"), created_at__gte=start, created_at__lt=end)
    return {
        "completed": [
            _action_row(a, a.completed_at)
            for a in completed.select_related("pillar").order_by("completed_at", "reference")
        ],
        "assured": [
            _action_row(a, a.assured_at) for a in assured.select_related("pillar").order_by("assured_at", "reference")
        ],
        # The words staff wrote for the public, never the internal narrative, nor who wrote them.
        "highlights": [
            {
                "reference": note.action.reference,
                "title": note.action.title,
                "pillar": note.action.pillar.name,
                "text": note.public_highlight,
                "on": timezone.localtime(note.created_at).date().isoformat(),
            }
            for note in notes.exclude(public_highlight="").select_related("action__pillar").order_by("created_at", "id")
        ],
    }


def _freeze_figures(*, period: datetime.date, as_of: datetime.date, previous: PublishedUpdate | None) -> dict:
    """Everything a published update shows, computed now from the live record, as plain JSON.

    Only public actions count, and no person is named: what is frozen here is what the public reads.
    A fixed number of queries, whatever the number of actions.
    """
    public = Action.objects.public()
    start, end = _period_bounds(period)
    previous_figures = previous.figures if previous else {}
    # Drafted after the month ended: the figures as they stood at its end, and dated so.
    as_of = min(as_of, period_next(period) - datetime.timedelta(days=1))
    counted = figures(as_at=as_of, audience=Audience.PUBLIC)
    pillars = list(Pillar.objects.order_by("number"))
    overall_figures = _counts_figures(counted.overall)
    overall_figures["change"] = _change(overall_figures, previous_figures.get("overall")) if previous else None
    return {
        "schema": FIGURES_SCHEMA,
        "period": period.isoformat(),
        "as_of": as_of.isoformat(),
        "previous": (
            {"period": previous.period.isoformat(), "slug": previous.slug, "label": period_label(previous.period)}
            if previous
            else None
        ),
        # The figures in open data's shape (/open-data/updates/<slug>.json), from the one figures function.
        "figures": figures_open_data(counted, pillars=pillars),
        "overall": overall_figures,
        "pillars": _pillar_rows(counted, pillars=pillars, previous=previous_figures),
        "compliance": _compliance_rows(counted, previous=previous_figures),
        **_period_events(public, start=start, end=end),
        # The public measures' figures and icons for the period's values (issue 12), frozen like the rest.
        "measures": public_measures_frozen(period_end=period_next(period) - datetime.timedelta(days=1)),
        # Issue 13: public actions reopened in the period (the reason, never who reopened them).
        "reopened": frozen_reopened(start=start, end=end),
    }


COMPLIANCE_WORDS = {
    ActionType.WARNING_NOTICE: "CQC warning notices",
    ActionType.MUST_DO: "CQC must-do actions",
    ActionType.SHOULD_DO: "CQC should-do actions",
}


def _programme() -> str:
    """The programme's name, from the trust profile (its words are data)."""
    return trust_profile().programme_name or "improvement programme"


def _default_headline(period: datetime.date) -> str:
    return f"Our {_programme()}: progress in {period_label(period)}"


def _default_narrative(period: datetime.date, figures: dict) -> str:
    """A first draft in plain words, for the communications editor to rewrite."""
    overall = figures["overall"]
    label = period_label(period)
    completed, assured = len(figures["completed"]), len(figures["assured"])
    lines = [
        f"This is our update on the {_programme()} for {label}: what we have done in response to the "
        "CQC's findings and what our staff told us.",
        "",
        f"- **{overall['done']} of {overall['total']}** public actions are now complete or assured "
        f"({overall['percent_done']}%).",
        f"- During {label}, {completed} {'action was' if completed == 1 else 'actions were'} completed and "
        f"{assured} independently assured.",
    ]
    for row in figures["compliance"]:
        if row["total"]:
            lines.append(
                f"- {COMPLIANCE_WORDS[row['action_type']]}: {row['done']} of {row['total']} complete or assured."
            )
    return "\n".join(lines) + "\n"


# --- Drafting, editing, publishing, withdrawing ----------------------------------------------------


def _live_update_for_period(period: datetime.date) -> PublishedUpdate | None:
    """The month's draft or published update (at most one: update_one_live_per_period), locked."""
    return (
        PublishedUpdate.objects.select_for_update().filter(period=period).exclude(status=UpdateStatus.WITHDRAWN).first()
    )


def _withdrawn_update_for_period(period: datetime.date) -> PublishedUpdate | None:
    return (
        PublishedUpdate.objects.filter(period=period, status=UpdateStatus.WITHDRAWN)
        .order_by("-withdrawn_at", "-id")
        .first()
    )


def update_draft_for_period(*, period: datetime.date, now: datetime.datetime | None = None) -> PublishedUpdate:
    """Draft the public update for the month `period` falls in, freezing the figures as they are now.

    Idempotent: one update per month (a unique `period`). Run again, it refreshes a draft's figures
    (keeping the edited headline and narrative) and leaves a published or withdrawn update untouched.
    Atomic: a failure part-way leaves nothing written.
    """
    period = period_start(period)
    now = now or timezone.now()
    as_of = timezone.localtime(now).date()
    if period > as_of:
        raise ValidationError(f"{period_label(period)} has not started yet, so there is nothing to report.")

    with transaction.atomic():
        update = _live_update_for_period(period)
        if update is None:
            withdrawn = _withdrawn_update_for_period(period)
            if withdrawn is not None:
                # Withdrawn and not yet corrected: a correction is a person's decision (update_correction_start).
                return withdrawn
        if update is not None and update.status != UpdateStatus.DRAFT:
            return update
        previous = (
            PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED, period__lt=period).order_by("-period").first()
        )
        figures = _freeze_figures(period=period, as_of=as_of, previous=previous)
        if update is None:
            try:
                # A savepoint: if another run created this month's draft a moment ago, fall back to
                # refreshing theirs rather than failing or duplicating it.
                with transaction.atomic():
                    update = PublishedUpdate(
                        period=period,
                        slug=period_slug(period),
                        headline=_default_headline(period),
                        narrative=_default_narrative(period, figures),
                        figures=figures,
                        drafted_at=now,
                    )
                    update._change_reason = "Drafted from the live record"
                    update.save()
                    return update
            except IntegrityError:
                update = _live_update_for_period(period)
                if update.status != UpdateStatus.DRAFT:
                    return update
        update.figures = figures
        update.drafted_at = now
        update._change_reason = "Figures refreshed from the live record"
        # The version guards the editor's words, which a refresh leaves alone: not bumped here.
        update.save(update_fields=["figures", "drafted_at", "updated_at"])
    return update


def update_correction_start(
    *, withdrawn: PublishedUpdate, editor, now: datetime.datetime | None = None
) -> PublishedUpdate:
    """Start the corrected update for a withdrawn one: a draft for the same month, its figures frozen
    afresh (as at the month's end, once it is over), starting from the withdrawn headline and narrative
    for the editor to put right, and linked to the withdrawn update so the public page names it.

    Refused unless `withdrawn` is withdrawn and its month has no draft or published update already
    (which would then be the place to make the correction). Communications editors only.
    """
    if editor is None or not editor.has_perm("reports.publish_publishedupdate"):
        raise PermissionDenied("Only a communications editor can start a corrected update.")
    now = now or timezone.now()
    with transaction.atomic():
        withdrawn = PublishedUpdate.objects.select_for_update().get(pk=withdrawn.pk)
        if withdrawn.status != UpdateStatus.WITHDRAWN:
            raise ValidationError(
                "Only a withdrawn update can be corrected. A draft can be edited; a published update must first be "
                "withdrawn with a note saying why."
            )
        live = _live_update_for_period(withdrawn.period)
        if live is not None:
            refusal = ValidationError(
                f"{period_label(withdrawn.period)} already has an update that is {live.get_status_display().lower()} "
                f"(“{live.headline}”): make the correction there.",
                code="exists",
            )
            refusal.existing_slug = live.slug  # where the page sends the editor instead
            raise refusal
        previous = (
            PublishedUpdate.objects.filter(status=UpdateStatus.PUBLISHED, period__lt=withdrawn.period)
            .order_by("-period")
            .first()
        )
        figures = _freeze_figures(period=withdrawn.period, as_of=timezone.localtime(now).date(), previous=previous)
        base = f"{period_slug(withdrawn.period)}-corrected"
        taken = set(PublishedUpdate.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug = base
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        correction = PublishedUpdate(
            period=withdrawn.period,
            slug=slug,
            headline=withdrawn.headline,
            narrative=withdrawn.narrative,
            figures=figures,
            drafted_at=now,
            corrects=withdrawn,
        )
        correction._history_user = editor
        correction._change_reason = f"Correction of the withdrawn update {withdrawn.slug} started"
        correction.save()
    return correction
