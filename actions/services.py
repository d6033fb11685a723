"""Writes to actions: every rule about progress, evidence and assurance lives here, in one place.

Views, the importer, the admin and tasks all call these functions; none re-checks the rules.
Each service runs inside one transaction and takes the acting user for the audit trail.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from actions import tasks
from actions.evidence import EvidenceRejected, identify_evidence
from actions.models import REFERENCE_PREFIXES, Action, ActionType, Evidence, ProgressUpdate, Status, status_is_done
from actions.selectors import describe_changes, person_name
from secamb_journey.forms import size_in_words

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgressLogged:
    update: ProgressUpdate
    status_changed: bool


def _locked(action: Action) -> Action:
    """Re-read the action under a row lock so concurrent writers queue rather than interleave."""
    return Action.objects.select_for_update().get(pk=action.pk)


def action_log_progress(
    *,
    action: Action,
    author,
    narrative: str,
    status: str,
    percent_complete: int,
    public_highlight: str = "",
    at=None,
    notify: bool = True,
) -> ProgressLogged:
    """Append a progress entry and make it the action's current status and percent complete.

    Refused (ValidationError, with the field it concerns) when the rules say no: complete needs
    evidence; done means 100%; "assured" is reached only through sign-off, never by logging.
    """
    if not action.can_log_progress(author):
        raise PermissionDenied("Only the action's owner or an improvement lead can log progress on it.")
    at = at or timezone.now()
    errors = {}
    if not narrative or not narrative.strip():
        errors["narrative"] = "Enter what has been done since the last update."
    elif len(narrative) > ProgressUpdate.NARRATIVE_MAX_LENGTH:
        errors["narrative"] = (
            f"Progress narrative must be {ProgressUpdate.NARRATIVE_MAX_LENGTH:,} characters or fewer "
            f"(it is {len(narrative):,})."
        )
    if status == Status.ASSURED:
        errors["status"] = "An action becomes assured only when an improvement lead who does not own it signs it off."
    elif status not in Status.values:
        errors["status"] = "Select a status from the list."
    if not isinstance(percent_complete, int) or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percent complete must be a whole number from 0 to 100."
    elif status_is_done(status) and percent_complete != 100:
        errors["percent_complete"] = "A complete action is 100% complete. Set percent complete to 100."
    if len(public_highlight) > 280:
        errors["public_highlight"] = "Public highlight must be 280 characters or fewer."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        action = _locked(action)
        if action.status == Status.ASSURED:
            raise ValidationError(
                "This action is assured and embedded, so its record is closed. "
                "Ask an improvement lead to reopen it if more work is needed."
            )
        if status == Status.COMPLETE and not action.evidence.exists():
            raise ValidationError(
                {"status": "Attach evidence before marking this action complete: assurance needs something to check."}
            )
        update = ProgressUpdate.objects.create(
            action=action,
            author=author,
            narrative=narrative,
            status=status,
            percent_complete=percent_complete,
            public_highlight=public_highlight.strip(),
            created_at=at,
        )
        old_status = action.status
        _apply_latest_progress(action, at=at, by=author)
        status_changed = action.status != old_status
        if status_changed and notify:
            _notify_after_commit(
                action=action,
                actor=author,
                changes=[["Status", Status(old_status).label, Status(action.status).label]],
            )
    return ProgressLogged(update=update, status_changed=status_changed)


def _apply_latest_progress(action: Action, *, at, by=None) -> None:
    """Make the action's status and percent those of its latest entry (by time, then id)."""
    latest = action.progress_updates.order_by("-created_at", "-id").first()
    action.status = latest.status
    action.percent_complete = latest.percent_complete
    action.last_progress_at = latest.created_at
    if latest.status == Status.COMPLETE and action.completed_at is None:
        action.completed_at = latest.created_at
    elif not status_is_done(latest.status):
        action.completed_at = None
    action._change_reason = f"Progress logged: {latest.get_status_display()}, {latest.percent_complete}%"
    if by is not None:
        action._history_user = by  # the history names who, even outside a request (imports, tasks)
    action.version += 1
    action.save()


def _current_cycle_start(action: Action):
    """When the action last left complete or assured (it was reopened), or None if it never has.

    Read from the action's history, so it holds whichever writer reopened it (a progress entry, an
    import, the admin, a history revert).
    """
    start = None
    was_done = False
    for status, history_date in action.history.order_by("history_date", "history_id").values_list(
        "status", "history_date"
    ):
        is_done = status_is_done(status)
        if was_done and not is_done:
            start = history_date
        was_done = is_done
    return start


def action_signoff_problem(*, action: Action, user) -> str | None:
    """Why `user` is not independent enough to sign this action off (four eyes), or None.

    Whoever signs off (assures, ratifies, reviews sustainability) must not have owned the action,
    logged it as complete, or attached its evidence since it was last reopened (since it was created
    if it never has been). Handing the action to a colleague after completing it does not make its
    completer a second pair of eyes.
    """
    if user.pk == action.owner_id:
        return "You own this action, so another improvement lead must sign it off as assured."
    since = _current_cycle_start(action)
    history = action.history.all()
    progress = ProgressUpdate.objects.filter(action=action, author_id=user.pk, status=Status.COMPLETE)
    evidence = Evidence.objects.filter(action=action, uploaded_by_id=user.pk)
    owned_at_reopening = False
    if since is not None:
        # Whoever owned it when it was reopened owned it in this cycle too.
        owner_then = (
            action.history.filter(history_date__lte=since)
            .order_by("-history_date", "-history_id")
            .values_list("owner_id", flat=True)
            .first()
        )
        owned_at_reopening = owner_then == user.pk
        history = history.filter(history_date__gte=since)
        progress = progress.filter(created_at__gte=since)
        evidence = evidence.filter(uploaded_at__gte=since)
    if owned_at_reopening or history.filter(owner_id=user.pk).exists():
        return "You have owned this action since it was last reopened, so another improvement lead must sign it off."
    if progress.exists():
        return "You logged this action as complete, so another improvement lead must sign it off."
    if evidence.exists():
        return "You attached evidence to this action, so another improvement lead must sign it off."
    return None


def action_assurance_refusal(*, action: Action, user) -> str | None:
    """Why `user` may not sign this action off as assured now, or None. The view shows the button only
    when this is None; action_assure refuses with the same words.
    """
    return action.assurance_refusal(user) or action_signoff_problem(action=action, user=user)


def action_assure(*, action: Action, lead, at=None, notify: bool = True) -> Action:
    """Sign a complete action off as assured: an improvement lead independent of it (four eyes:
    action_signoff_problem).

    The sign-off is also an entry in the progress log, so the action's status stays that of its
    latest entry and the timeline shows who assured it and when.
    """
    with transaction.atomic():
        action = _locked(action)
        refusal = action_assurance_refusal(action=action, user=lead)
        if refusal and not lead.has_perm("actions.assure_action"):
            raise PermissionDenied(refusal)
        if refusal:
            raise ValidationError(refusal)
        at = at or timezone.now()
        ProgressUpdate.objects.create(
            action=action,
            author=lead,
            narrative=f"Signed off as assured by {lead.get_full_name() or lead.get_username()}.",
            status=Status.ASSURED,
            percent_complete=100,
            created_at=at,
        )
        old_status = action.status
        action.assured_by = lead
        action.assured_at = at
        _apply_latest_progress(action, at=at, by=lead)
        if notify:
            _notify_after_commit(
                action=action, actor=lead, changes=[["Status", Status(old_status).label, Status(action.status).label]]
            )
    return action


def evidence_attach(*, action: Action, uploaded_by, uploaded_file, description: str, at=None) -> Evidence:
    """Store an evidence file against an action, after checking its kind (by content) and size.

    A refused file leaves nothing behind: the check happens before anything is written.
    """
    if not action.can_log_progress(uploaded_by):
        raise PermissionDenied("Only the action's owner or an improvement lead can attach evidence to it.")
    errors = {}
    if not description or not description.strip():
        errors["description"] = "Enter a description of what this evidence shows."
    elif len(description) > 500:
        errors["description"] = "Description must be 500 characters or fewer."
    max_bytes = settings.EVIDENCE_MAX_BYTES
    if uploaded_file.size > max_bytes:
        errors["file"] = f"The selected file must be smaller than {size_in_words(max_bytes)}."
    elif uploaded_file.size == 0:
        errors["file"] = "The selected file is empty."
    if errors:
        raise ValidationError(errors)

    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    try:
        kind = identify_evidence(name=uploaded_file.name, head=head)
    except EvidenceRejected as rejected:
        raise ValidationError({"file": str(rejected)}) from None
    uploaded_file.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)

    with transaction.atomic():
        evidence = Evidence(
            action=action,
            original_name=PurePath(uploaded_file.name).name[:255],
            content_type=kind.content_type,
            size=uploaded_file.size,
            sha256=digest.hexdigest(),
            description=description.strip(),
            uploaded_by=uploaded_by,
            uploaded_at=at or timezone.now(),
        )
        evidence.file.save(uploaded_file.name, uploaded_file, save=False)
        # If the row cannot be written, remove the file so nothing is left half-stored.
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
    return evidence


# --- Creating and editing actions ------------------------------------------------------------------

REFERENCE_PATTERN = re.compile(r"^(WN|MD|SD|IJ)-\d{2,4}$")
# What a lead may set on the edit page. Status and percent complete are not here: they follow the
# progress log, and "assured" follows the four-eyes sign-off.
EDITABLE_FIELDS = (
    "title",
    "description",
    "cqc_regulation",
    "pillar",
    "themes",
    "owner",
    "executive_lead",
    "due_date",
    "is_public",
)
CREATE_FIELDS = ("reference", "action_type", *EDITABLE_FIELDS)
# A change to any of these is emailed to the action's owner and executive lead.
NOTIFY_FIELDS = ("owner", "status", "due_date")


class StaleEdit(ValidationError):
    """The action changed after the editor opened it. `changes` says what changed, `changed_by` who."""

    def __init__(self, message, *, changes, changed_by):
        super().__init__(message, code="stale")
        self.changes = changes
        self.changed_by = changed_by


def action_reference_problem(*, reference: str, action_type: str) -> str | None:
    """Why `reference` will not do for an action of `action_type`, or None. The database enforces the
    prefix too; this is the message a person reads.
    """
    if not reference:
        return "Enter a reference, for example MD-01."
    if not REFERENCE_PATTERN.fullmatch(reference):
        return (
            "Reference must be two capital letters (WN, MD, SD or IJ), a hyphen and 2 to 4 digits, for example MD-01."
        )
    if action_type in ActionType.values:
        prefix = REFERENCE_PREFIXES[ActionType(action_type)]
        if not reference.startswith(f"{prefix}-"):
            return f"A {ActionType(action_type).label} has a reference starting {prefix}-, for example {prefix}-01."
    return None


def action_data_problems(data: dict, *, fields, check_unique: bool = True) -> dict[str, str]:
    """What is wrong with `data` for an action, by field name (empty when nothing is). Used by create,
    update and the importer's preview, so the same rule gives the same message everywhere.
    """
    errors = {}
    if "reference" in fields:
        problem = action_reference_problem(reference=data.get("reference") or "", action_type=data.get("action_type"))
        if problem:
            errors["reference"] = problem
        elif check_unique and Action.objects.filter(reference=data["reference"]).exists():
            errors["reference"] = f"An action with reference {data['reference']} already exists."
    if "action_type" in fields and data.get("action_type") not in ActionType.values:
        errors["action_type"] = "Select the type of action."
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Enter a title."
    elif len(title) > 200:
        errors["title"] = "Title must be 200 characters or fewer."
    required = {
        "pillar": "Select the pillar.",
        "owner": "Select the owner.",
        "executive_lead": "Select the executive lead.",
        "due_date": "Enter the due date.",
    }
    for name, message in required.items():
        if data.get(name) is None:
            errors[name] = message
    return errors


def _describe_for_people(field: str, value) -> str:
    if field in ("owner", "executive_lead"):
        return person_name(value)
    if field == "due_date":
        return date_format(value, "j F Y") if value else ""
    if field == "status":
        return Status(value).label
    return str(value)


def action_create(*, creator, data: dict, notify: bool = True) -> Action:
    """Create an action from `data` (the CREATE_FIELDS; themes a list of Theme). Improvement leads only.

    Status and percent start at "not started", 0%: from then on they follow the progress log.
    """
    if not creator.has_perm("actions.add_action"):
        raise PermissionDenied("Only an improvement lead can create actions.")
    errors = action_data_problems(data, fields=CREATE_FIELDS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action(**{name: data[name] for name in CREATE_FIELDS if name != "themes" and name in data})
        action.title = action.title.strip()
        action._history_user = creator
        action._change_reason = "Created"
        action.save()
        themes = list(data.get("themes") or [])
        if themes:
            action._history_user = creator
            action._change_reason = "Themes set"
            action.themes.set(themes)
        if notify:
            _notify_after_commit(
                action=action,
                actor=creator,
                changes=[
                    ["New action, owner", "", person_name(action.owner)],
                    ["Due date", "", _describe_for_people("due_date", action.due_date)],
                ],
            )
    return action


def _stale_edit(current: Action, expected_version: int) -> StaleEdit:
    """The refusal for an edit read at `expected_version` of an action now at a later version."""
    records = list(current.history.select_related("history_user").order_by("-history_date", "-history_id"))
    read = next((r for r in records if r.version == expected_version), None)
    between = [r for r in records if r.version > expected_version] if read else []
    changes = []
    if read and records[0].history_id != read.history_id:
        m2m = current.history.model._meta.get_field("historicalaction_themes").related_model
        old = frozenset(m2m.objects.filter(history_id=read.history_id).values_list("theme_id", flat=True))
        new = frozenset(m2m.objects.filter(history_id=records[0].history_id).values_list("theme_id", flat=True))
        changes = describe_changes(read, records[0], old_themes=old, new_themes=new)
    people = []
    for record in reversed(between):
        name = person_name(record.history_user) or "someone"
        if name not in people:
            people.append(name)
    who = " and ".join(people) if people else "Someone"
    if changes:
        what = "; ".join(f"{c.label.lower()} from “{c.old or '(blank)'}” to “{c.new or '(blank)'}”" for c in changes)
        message = f"{who} changed this action after you opened it: {what}."
    else:
        message = f"{who} changed this action after you opened it."
    message += " Your changes have not been saved. The form now shows the current values: make your changes again."
    return StaleEdit(message, changes=changes, changed_by=people)


def action_update(*, action: Action, editor, data: dict, expected_version: int, notify: bool = True) -> Action:
    """Change an action's details (EDITABLE_FIELDS in `data`) as read at `expected_version`.

    If anyone saved the action since (an edit, a progress entry, a sign-off), the edit is refused with
    a StaleEdit naming what changed and who changed it: nothing is ever silently overwritten. The
    check and the write happen under a row lock, so two simultaneous saves cannot both pass it.
    """
    if not editor.has_perm("actions.change_action"):
        raise PermissionDenied("Only an improvement lead can change an action's details.")
    errors = action_data_problems(data, fields=EDITABLE_FIELDS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(action)
        if current.version != expected_version:
            raise _stale_edit(current, expected_version)
        before = {name: getattr(current, name) for name in EDITABLE_FIELDS if name != "themes"}
        old_themes = set(current.themes.values_list("pk", flat=True))
        new_themes = {theme.pk for theme in data.get("themes") or []}
        changed = [name for name in before if name in data and data[name] != before[name]]
        themes_changed = "themes" in data and new_themes != old_themes
        if not changed and not themes_changed:
            return current
        for name in changed:
            setattr(current, name, data[name].strip() if name == "title" else data[name])
        current.version += 1
        current._history_user = editor
        current._change_reason = "Details edited"
        current.save()
        if themes_changed:
            current._history_user = editor
            current._change_reason = "Themes changed"
            current.themes.set(data["themes"])
        told = [name for name in NOTIFY_FIELDS if name in changed]
        if told and notify:
            _notify_after_commit(
                action=current,
                actor=editor,
                changes=[
                    [
                        _label_for(name),
                        _describe_for_people(name, before[name]),
                        _describe_for_people(name, getattr(current, name)),
                    ]
                    for name in told
                ],
                also_notify=[before["owner"]] if "owner" in changed else [],
            )
    return current


def _label_for(field_name: str) -> str:
    name = str(Action._meta.get_field(field_name).verbose_name)
    return name[:1].upper() + name[1:]


# --- Telling people --------------------------------------------------------------------------------


def _notify_after_commit(*, action: Action, actor, changes: list[list[str]], also_notify=()) -> None:
    """Email the owner and executive lead once the change is committed (never about a change that was
    rolled back). A broker that is down must not undo or break the save: the failure is logged.
    """
    kwargs = {
        "action_id": action.pk,
        "changes": changes,
        "actor_id": getattr(actor, "pk", None),
        "also_notify_ids": [user.pk for user in also_notify],
    }

    def enqueue():
        try:
            tasks.action_change_notify.delay(**kwargs)
        except Exception:
            # Any failure to enqueue (broker down, refused, timed out) is logged and the save stands.
            logger.exception("Could not queue the change email for action %s", action.reference)

    transaction.on_commit(enqueue)
