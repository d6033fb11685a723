"""Writes for the periodic public update: drafting it from the live record, editing, publishing, withdrawing.

Also the weekly reminder e-mails, and the one Markdown renderer that every view of a narrative uses.
Each service runs inside one transaction; tasks, the management command and the views all call these.
"""

import datetime
import re
import uuid
from dataclasses import dataclass

import markdown
import nh3
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Avg, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.models import CQC_TYPES, Action, ActionType, ProgressUpdate, Status
from actions.selectors import StatusCounts, action_status_counts
from pillars.models import Pillar
from reports.models import PublishedUpdate, ReminderRun, UpdateStatus
from reports.plan import frozen_reopened

# Bump when the shape of PublishedUpdate.figures changes, so templates can tell old updates apart.
FIGURES_SCHEMA = 2  # 2: "reopened" (issue 13); an update frozen at 1 has none, and its page says nothing of it

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
    return f"{period:%B %Y}"


def period_slug(period: datetime.date) -> str:
    return f"{period:%B-%Y}".lower()


def _period_bounds(period: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as [start, end) instants in UK time, so a note logged at 00:30 BST on the 1st counts there."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period_next(period), datetime.time.min, tzinfo=tz)
    return start, end


# --- Markdown --------------------------------------------------------------------------------------

NARRATIVE_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "a", "blockquote", "code"}


def render_markdown(text: str) -> SafeString:
    """The narrative as sanitised HTML: the one renderer behind the preview, the public page and the feed.

    Raw HTML in the source is never passed through: Python-Markdown's HTML handling is switched off, so
    `<script>` arrives as visible text, and nh3 then keeps only the tags and link schemes listed here.
    """
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text or "")
    # The page already has its h1 (the headline): a "# heading" in the narrative becomes an h2.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    clean = nh3.clean(
        html,
        tags=NARRATIVE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitised by nh3 on the line above


# --- The public page cache -------------------------------------------------------------------------

PUBLIC_CACHE_GENERATION_KEY = "reports:public-pages:generation"


def public_cache_generation() -> str:
    """The current generation of cached public pages; part of every public cache key."""
    generation = cache.get(PUBLIC_CACHE_GENERATION_KEY)
    if generation is None:
        cache.add(PUBLIC_CACHE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(PUBLIC_CACHE_GENERATION_KEY) or "0"
    return generation


def public_cache_clear() -> None:
    """Forget every cached public page at once, by moving to a new generation (the old keys expire unread)."""
    cache.set(PUBLIC_CACHE_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


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


def _freeze_figures(*, period: datetime.date, as_of: datetime.date, previous: PublishedUpdate | None) -> dict:
    """Everything a published update shows, computed now from the live record, as plain JSON.

    Only public actions count, and no person is named: what is frozen here is what the public reads.
    A fixed number of queries, whatever the number of actions.
    """
    public = Action.objects.public()
    start, end = _period_bounds(period)
    previous_figures = previous.figures if previous else {}
    previous_pillars = {row["slug"]: row for row in previous_figures.get("pillars", [])}
    previous_compliance = {row["action_type"]: row for row in previous_figures.get("compliance", [])}

    by_pillar = action_status_counts(actions=public, group_by="pillar_id", today=as_of)
    means = public.order_by().values("pillar_id").annotate(mean=Avg("percent_complete"))
    mean_by_pillar = {row["pillar_id"]: row["mean"] for row in means}
    overall = StatusCounts()
    pillars = []
    for pillar in Pillar.objects.order_by("number"):
        counts = by_pillar.get(pillar.pk, StatusCounts())
        for status, n in counts.by_status.items():
            overall.by_status[status] += n
        overall.overdue += counts.overdue
        row = {
            "name": pillar.name,
            "slug": pillar.slug,
            **_counts_figures(counts),
            "mean_percent_complete": round(mean_by_pillar.get(pillar.pk) or 0),
        }
        row["change"] = _change(row, previous_pillars.get(pillar.slug)) if previous else None
        pillars.append(row)

    cqc = public.filter(action_type__in=CQC_TYPES)
    by_type = action_status_counts(actions=cqc, group_by="action_type", today=as_of)
    compliance = []
    for action_type in CQC_TYPES:
        row = {
            "action_type": action_type.value,
            "label": action_type.label,
            **_counts_figures(by_type.get(action_type.value, StatusCounts())),
        }
        row["change"] = _change(row, previous_compliance.get(action_type.value)) if previous else None
        compliance.append(row)

    def action_row(action: Action, on: datetime.datetime) -> dict:
        return {
            "reference": action.reference,
            "title": action.title,
            "pillar": action.pillar.name,
            "type": ActionType(action.action_type).label,
            "on": timezone.localtime(on).date().isoformat(),
        }

    completed = [
        action_row(a, a.completed_at)
        for a in public.filter(completed_at__gte=start, completed_at__lt=end)
        .select_related("pillar")
        .order_by("completed_at", "reference")
    ]
    assured = [
        action_row(a, a.assured_at)
        for a in public.filter(status__in=[Status.ASSURED, Status.EMBEDDED], assured_at__gte=start, assured_at__lt=end)
        .select_related("pillar")
        .order_by("assured_at", "reference")
    ]
    # The words staff wrote for the public, never the internal narrative, nor who wrote them.
    highlights = [
        {
            "reference": note.action.reference,
            "title": note.action.title,
            "pillar": note.action.pillar.name,
            "text": note.public_highlight,
            "on": timezone.localtime(note.created_at).date().isoformat(),
        }
        for note in ProgressUpdate.objects.filter(action__is_public=True, created_at__gte=start, created_at__lt=end)
        .exclude(public_highlight="")
        .select_related("action__pillar")
        .order_by("created_at", "id")
    ]
    overall_figures = _counts_figures(overall)
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
        "overall": overall_figures,
        "pillars": pillars,
        "compliance": compliance,
        "completed": completed,
        "assured": assured,
        "highlights": highlights,
        # Issue 13: public actions reopened in the period (the reason, never who reopened them).
        "reopened": frozen_reopened(start=start, end=end),
    }


COMPLIANCE_WORDS = {
    ActionType.WARNING_NOTICE: "CQC warning notices",
    ActionType.MUST_DO: "CQC must-do actions",
    ActionType.SHOULD_DO: "CQC should-do actions",
}


def _default_headline(period: datetime.date) -> str:
    return f"Our Improvement Journey: progress in {period_label(period)}"


def _default_narrative(period: datetime.date, figures: dict) -> str:
    """A first draft in plain words, for the communications editor to rewrite."""
    overall = figures["overall"]
    label = period_label(period)
    completed, assured = len(figures["completed"]), len(figures["assured"])
    lines = [
        f"This is our update on the Improvement Journey for {label}: what we have done in response to the "
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
        update = PublishedUpdate.objects.select_for_update().filter(period=period).first()
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
                update = PublishedUpdate.objects.select_for_update().get(period=period)
                if update.status != UpdateStatus.DRAFT:
                    return update
        update.figures = figures
        update.drafted_at = now
        update._change_reason = "Figures refreshed from the live record"
        # The version guards the editor's words, which a refresh leaves alone: not bumped here.
        update.save(update_fields=["figures", "drafted_at", "updated_at"])
    return update


def _require(user, permission: str, message: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(message)


def _locked(update: PublishedUpdate) -> PublishedUpdate:
    return PublishedUpdate.objects.select_for_update().get(pk=update.pk)


def _who(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def _stale_edit_message(update: PublishedUpdate, expected_version: int) -> str:
    """Name the change the editor's save would overwrite: who made it, when, and which parts it touched."""
    records = list(update.history.filter(version__gt=expected_version).order_by("history_date", "history_id"))
    base = update.history.filter(version=expected_version).order_by("-history_date", "-history_id").first()
    changed = []
    if base is None or base.headline != update.headline:
        changed.append(f"the headline (now “{update.headline}”)")
    if base is None or base.narrative != update.narrative:
        changed.append("the narrative")
    if update.status != UpdateStatus.DRAFT:
        changed.append(f"its status (now {update.get_status_display().lower()})")
    last = records[-1] if records else None
    who = _who(last.history_user) if last else "someone"
    when = f" at {timezone.localtime(last.history_date):%H:%M on %-d %B}" if last else ""
    what = " and ".join(changed) or "this update"
    return (
        f"{who} changed {what}{when}, after you opened this page. Your changes have not been saved, so "
        "theirs are not lost: open the update again, read their version, then make your changes."
    )


def update_edit(
    *, update: PublishedUpdate, editor, headline: str, narrative: str, expected_version: int
) -> PublishedUpdate:
    """Change a draft's headline and narrative. Refused after publication, and refused when someone else
    saved since the editor opened the page (`expected_version`), naming what would have been overwritten.
    """
    _require(editor, "reports.change_publishedupdate", "You cannot edit public updates.")
    headline = (headline or "").strip()
    errors = {}
    if not headline:
        errors["headline"] = "Enter a headline."
    elif len(headline) > 200:
        errors["headline"] = "Headline must be 200 characters or fewer."
    if len(narrative or "") > 20_000:
        errors["narrative"] = "Narrative must be 20,000 characters or fewer."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.DRAFT:
            raise ValidationError(
                f"This update was {update.get_status_display().lower()} and can no longer be edited: "
                "what the public read must not change after publication."
            )
        if update.version != expected_version:
            raise ValidationError(_stale_edit_message(update, expected_version), code="stale")
        update.headline = headline
        update.narrative = narrative or ""
        update.version += 1
        update._history_user = editor
        update._change_reason = "Headline and narrative edited"
        update.save()
    return update


def update_publish(*, update: PublishedUpdate, publisher, at: datetime.datetime | None = None) -> PublishedUpdate:
    """Publish a draft: it appears on the public site and in the feed, and its figures stay as frozen.

    `publisher` is the person publishing (they need reports.publish_publishedupdate), or None for an
    operator at the command line (`generate_update --publish`), whose authority is their shell access.
    """
    if publisher is not None:
        _require(publisher, "reports.publish_publishedupdate", "Only a communications editor can publish an update.")
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.DRAFT:
            raise ValidationError(f"This update is already {update.get_status_display().lower()}.")
        if not update.headline.strip():
            raise ValidationError("Give the update a headline before publishing it.")
        update.status = UpdateStatus.PUBLISHED
        update.published_at = at or timezone.now()
        update.published_by = publisher
        update.version += 1
        update._history_user = publisher
        update._change_reason = "Published" if publisher else "Published from the command line"
        update.save()
        transaction.on_commit(public_cache_clear)
    return update


def update_withdraw(*, update: PublishedUpdate, editor, note: str, at: datetime.datetime | None = None):
    """Take a published update off the public site, leaving a public note that says why."""
    _require(editor, "reports.publish_publishedupdate", "Only a communications editor can withdraw an update.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter a note for the public saying why this update was withdrawn."})
    if len(note) > 1000:
        raise ValidationError({"note": "Note must be 1,000 characters or fewer."})
    with transaction.atomic():
        update = _locked(update)
        if update.status != UpdateStatus.PUBLISHED:
            raise ValidationError("Only a published update can be withdrawn.")
        update.status = UpdateStatus.WITHDRAWN
        update.withdrawn_at = at or timezone.now()
        update.withdrawn_by = editor
        update.withdrawal_note = note
        update.version += 1
        update._history_user = editor
        update._change_reason = "Withdrawn"
        update.save()
        transaction.on_commit(public_cache_clear)
    return update


# --- Weekly reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemindersSent:
    week_starting: datetime.date
    owners: int
    leads: int
    already_sent: bool = False


def _week_starting(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def reminders_send_weekly(*, day: datetime.date | None = None) -> RemindersSent:
    """E-mail each owner their overdue and due-soon actions, and each executive lead a digest of their
    actions that are stale, overdue or off track. Once a week: a second run in the same week sends nothing.

    The week's ReminderRun row is the claim, written in the same transaction as the sending: if sending
    fails, the claim is rolled back and the task's retry sends the week's reminders again.
    """
    today = day or timezone.localdate()
    week = _week_starting(today)
    due_soon_until = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)
    stale_cutoff = timezone.now() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ReminderRun.objects.create(week_starting=week)
        except IntegrityError:
            return RemindersSent(week_starting=week, owners=0, leads=0, already_sent=True)

        open_actions = Action.objects.open().select_related("owner", "executive_lead", "pillar")
        for_owners = open_actions.filter(due_date__lte=due_soon_until).order_by("due_date", "reference")
        by_owner: dict = {}
        for action in for_owners:
            by_owner.setdefault(action.owner, []).append(action)
        for_leads = open_actions.filter(
            Q(due_date__lt=today)
            | Q(status=Status.OFF_TRACK)
            | Q(last_progress_at__lt=stale_cutoff)
            | Q(last_progress_at__isnull=True, created_at__lt=stale_cutoff)
        ).order_by("due_date", "reference")
        by_lead: dict = {}
        for action in for_leads:
            by_lead.setdefault(action.executive_lead, []).append(action)

        messages = []
        for owner, actions in by_owner.items():
            if not owner.email or not owner.is_active:
                continue
            context = {
                "person": owner,
                "overdue": [a for a in actions if a.due_date < today],
                "due_soon": [a for a in actions if a.due_date >= today],
                "site_url": settings.SITE_URL.rstrip("/"),
                "due_soon_days": settings.DUE_SOON_DAYS,
            }
            messages.append(
                EmailMessage(
                    subject=f"Your Improvement Journey actions: {len(actions)} overdue or due soon",
                    body=render_to_string("reports/email/owner_reminder.txt", context),
                    to=[owner.email],
                )
            )
        owners_emailed = len(messages)
        for lead, actions in by_lead.items():
            if not lead.email or not lead.is_active:
                continue
            context = {
                "person": lead,
                "rows": [
                    (
                        a,
                        [
                            reason
                            for reason, applies in (
                                ("overdue", a.due_date < today),
                                ("off track", a.status == Status.OFF_TRACK),
                                (f"no progress logged for over {settings.STALE_AFTER_DAYS} days", a.is_stale),
                            )
                            if applies
                        ],
                    )
                    for a in actions
                ],
                "site_url": settings.SITE_URL.rstrip("/"),
            }
            messages.append(
                EmailMessage(
                    subject=f"Improvement Journey digest: {len(actions)} of your actions need attention",
                    body=render_to_string("reports/email/lead_digest.txt", context),
                    to=[lead.email],
                )
            )
        if messages:
            get_connection(fail_silently=False).send_messages(messages)
        run.owners_emailed = owners_emailed
        run.leads_emailed = len(messages) - owners_emailed
        run.save(update_fields=["owners_emailed", "leads_emailed"])
    return RemindersSent(week_starting=week, owners=run.owners_emailed, leads=run.leads_emailed)
