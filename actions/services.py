"""Writes to actions: every rule about progress, evidence and assurance lives here, in one place.

Views, the importer, the admin and tasks all call these functions; none re-checks the rules.
Each service runs inside one transaction and takes the acting user for the audit trail.
"""

import calendar
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
from actions.choices import DONE_STATUSES, REFERENCE_PREFIXES, SIGNED_OFF_STATUSES, ActionType, Status
from actions.evidence import EvidenceKind as EvidenceFileKind
from actions.evidence import EvidenceRejected, identify_evidence
from actions.models import (
    Action,
    ActionReopening,
    ChangeNotice,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    EntryKind,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
    RevisionState,
)
from actions.models.states import status_is_done
from actions.selectors import describe_changes, person_name
from actions.signoff import (
    action_assurance_refusal,
    action_governance_problem,
    action_sustainability_problem,
    due_date_change_problem,
)
from secamb_journey.forms import EMPTY_FILE, size_in_words

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
    percent_complete: int | None = None,
    public_highlight: str = "",
    evidence_file=None,
    evidence_description: str = "",
    at=None,
    notify: bool = True,
) -> ProgressLogged:
    """Append a progress entry and make it the action's current status and percent complete.

    Marking complete is one step: the evidence may come with the entry (`evidence_file`, stored in the
    same transaction), and a complete action is 100% by definition, so the percent is set, not asked for.
    Refused (ValidationError, keyed by this function's argument it concerns) when the rules say no:
    complete needs evidence; "assured" is reached only through sign-off, never by logging.
    """
    if not action.can_log_progress(author):
        raise PermissionDenied("Only the action's owner or an improvement lead can log progress on it.")
    at = at or timezone.now()
    if status_is_done(status):
        percent_complete = 100
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
    elif status == Status.EMBEDDED:
        errors["status"] = "An action becomes embedded only at its sustainability review, after ratification."
    elif status not in Status.values:
        errors["status"] = "Select a status from the list."
    if percent_complete is None:
        errors["percent_complete"] = "Enter the percent complete, from 0 to 100."
    elif not isinstance(percent_complete, int) or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percent complete must be a whole number from 0 to 100."
    if len(public_highlight) > 280:
        errors["public_highlight"] = "Public highlight must be 280 characters or fewer."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        action = _locked(action)
        if action.status in SIGNED_OFF_STATUSES:
            raise ValidationError(
                f"This action is {action.get_status_display().lower()}, so its record is closed. "
                "Ask an improvement lead to reopen it if more work is needed."
            )
        if evidence_file is not None:
            try:
                evidence_attach(
                    action=action,
                    uploaded_by=author,
                    uploaded_file=evidence_file,
                    description=evidence_description,
                    at=at,
                )
            except ValidationError as refusal:
                raise ValidationError(
                    {f"evidence_{key}": messages for key, messages in refusal.message_dict.items()}
                ) from None
        if status == Status.COMPLETE and not action.evidence.filter(kind=EvidenceKind.COMPLETION).exists():
            raise ValidationError(
                {
                    "evidence_file": (
                        "Choose an evidence file to mark this action complete: assurance needs something to check."
                    )
                }
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


def _save_with_history(action: Action, *, by, at=None, reason: str, fields=None) -> None:
    """Save `action` with the history naming who did it, why, and when it happened (`at`, the event's own
    time: the action's state at any past moment is read from this record, actions.figures).
    """
    if by is not None:
        action._history_user = by  # the history names who, even outside a request (imports, tasks)
    action._history_date = at or timezone.now()
    action._change_reason = reason[:100]
    action.save(update_fields=fields) if fields else action.save()
    # Forgotten once written, so a later save of the same instance is dated when it happens.
    action.__dict__.pop("_history_date", None)


def _set_related_with_history(action: Action, name: str, values, *, at, reason: str) -> None:
    """Set the action's themes or regulations: the history records the change at the event's time."""
    action._history_date = at or timezone.now()
    action._change_reason = reason
    getattr(action, name).set(values)
    action.__dict__.pop("_history_date", None)


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
    action.version += 1
    _save_with_history(
        action, by=by, at=at, reason=f"Progress logged: {latest.get_status_display()}, {latest.percent_complete}%"
    )


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


def evidence_file_kind(uploaded_file) -> EvidenceFileKind:
    """The kind of an evidence file, or a ValidationError saying why it is refused (size, empty, kind by
    content). Checked before a file is attached, and before one is held for a form sent again."""
    max_bytes = settings.EVIDENCE_MAX_BYTES
    if uploaded_file.size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {size_in_words(max_bytes)}.")
    if uploaded_file.size == 0:
        raise ValidationError(f"{EMPTY_FILE}.")
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    try:
        return identify_evidence(name=uploaded_file.name, head=head)
    except EvidenceRejected as rejected:
        raise ValidationError(str(rejected)) from None


def evidence_attach(
    *, action: Action, uploaded_by, uploaded_file, description: str, at=None, kind: str = EvidenceKind.COMPLETION
) -> Evidence:
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
    if kind not in EvidenceKind.values:
        errors["kind"] = "Select what the evidence shows."
    try:
        file_kind = evidence_file_kind(uploaded_file)
    except ValidationError as refusal:
        errors["file"] = refusal.messages
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)

    with transaction.atomic():
        evidence = Evidence(
            action=action,
            original_name=PurePath(uploaded_file.name).name[:255],
            content_type=file_kind.content_type,
            size=uploaded_file.size,
            sha256=digest.hexdigest(),
            description=description.strip(),
            uploaded_by=uploaded_by,
            uploaded_at=at or timezone.now(),
            kind=kind,
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
    "cqc_finding",
    "regulations",
    "key_question",
    "core_service",
    "source",
)
# Many-to-many fields: set after the action is saved, compared as sets.
M2M_FIELDS = ("themes", "regulations")
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


def action_create(*, creator, data: dict, notify: bool = True, at=None) -> Action:
    """Create an action from `data` (the CREATE_FIELDS; themes a list of Theme). Improvement leads only.

    Status and percent start at "not started", 0%: from then on they follow the progress log.
    """
    if not creator.has_perm("actions.add_action"):
        raise PermissionDenied("Only an improvement lead can create actions.")
    errors = action_data_problems(data, fields=CREATE_FIELDS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action(**{name: data[name] for name in CREATE_FIELDS if name not in M2M_FIELDS and name in data})
        action.title = action.title.strip()
        action.original_due_date = action.due_date  # kept for ever; later dates are revisions
        at = at or timezone.now()
        action.created_at = at
        # One history record holds every field, the themes and regulations too: the row and its links
        # are written without history first, then recorded once, as created.
        action.skip_history_when_saving = True
        action.save()
        action.themes.set(list(data.get("themes") or []))
        action.regulations.set(list(data.get("regulations") or []))
        del action.skip_history_when_saving
        _save_with_history(action, by=creator, at=at, reason="Created")
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


def action_update(*, action: Action, editor, data: dict, expected_version: int, notify: bool = True, at=None) -> Action:
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
        before = {name: getattr(current, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
        old_themes = set(current.themes.values_list("pk", flat=True))
        new_themes = {theme.pk for theme in data.get("themes") or []}
        changed = [name for name in before if name in data and data[name] != before[name]]
        themes_changed = "themes" in data and new_themes != old_themes
        regulations_changed = "regulations" in data and {r.pk for r in data["regulations"] or []} != set(
            current.regulations.values_list("pk", flat=True)
        )
        if not changed and not themes_changed and not regulations_changed:
            return current
        if "due_date" in changed:
            # A new due date is a revision, whoever changes it and however: the same rule as the
            # revision pages (a reason, agreed by a lead who is not the owner), recorded as one.
            _revision_refusal_for_edit(
                current,
                editor=editor,
                new_date=data["due_date"],
                data=data,
                today=timezone.localdate(at) if at else timezone.localdate(),
            )
            _record_agreed_revision(
                current,
                new_date=data["due_date"],
                reason=data["due_date_reason"].strip(),
                requested_by=editor,
                agreed_by=editor,
                at=at,
            )
        for name in changed:
            setattr(current, name, data[name].strip() if name == "title" else data[name])
        current.version += 1
        _save_with_history(current, by=editor, at=at, reason="Details edited")
        if themes_changed:
            _set_related_with_history(current, "themes", data["themes"], at=at, reason="Themes changed")
        if regulations_changed:
            _set_related_with_history(current, "regulations", data["regulations"], at=at, reason="Regulations changed")
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
    """Email the owner and executive lead about a change, once it is committed.

    The notice goes to the outbox (ChangeNotice) inside the caller's transaction: a change rolled back
    leaves none, a committed one always leaves one. After the commit its sending is queued at once; a
    broker that is down neither breaks the save nor loses the email, which the periodic run
    (actions.tasks.send_unsent_change_notices) sends within a minute or two of the broker's return.
    """
    notice = ChangeNotice.objects.create(
        action=action,
        actor_id=getattr(actor, "pk", None),
        changes=changes,
        also_notify=[user.pk for user in also_notify],
    )

    def enqueue():
        try:
            tasks.send_change_notice.delay(notice_id=notice.pk)
        except Exception as error:
            # Whatever the broker did (down, refused, timed out), the notice is in the outbox and the save stands.
            logger.warning(
                "Could not queue the change email for action %s now; notice %s waits for the periodic run: %s",
                action.reference,
                notice.pk,
                error,
            )

    transaction.on_commit(enqueue)


# --- Governance: sign-off eligibility, due-date revisions, committees, embedding, reopening (issue 13) ---

SUSTAINABILITY_REVIEW_MONTHS = 3


def _refuse(problem: str, user) -> None:
    """403 for someone who is not a lead at all; otherwise a refusal they can read on the form."""
    if not user.is_authenticated or not user.has_perm("actions.assure_action"):
        raise PermissionDenied(problem)
    raise ValidationError(problem)


def due_date_edit_problems(action: Action, *, editor, new_date, reason: str, today) -> dict[str, str]:
    """What stops a due date changed outside the revision pages (the edit page, the admin, the import),
    by field ("due_date", "due_date_reason"): the revision pages' rules, since such a change is recorded
    as a revision agreed by the editor. `editor` None: who will save it is not known yet (not checked).
    """
    if problem := due_date_change_problem(action):
        return {"due_date": problem}
    errors = {}
    if editor is not None and (problem := action_governance_problem(action, editor)):
        errors["due_date"] = f"The due date changes only as a revision agreed by another lead. {problem}"
    elif new_date is not None and (problem := due_date_revision_date_problem(new_date=new_date, today=today)):
        errors["due_date"] = problem
    elif action.due_date_revisions.filter(state="requested").exists():
        errors["due_date"] = "A revision of the due date is awaiting a decision. Agree or refuse it first."
    if not (reason or "").strip():
        errors["due_date_reason"] = "Enter the reason for the new due date: a change of due date is a revision."
    return errors


def _revision_refusal_for_edit(action: Action, *, editor, new_date, data: dict, today) -> None:
    """The revision rule applied to a due date changed on the edit form or the admin (and so the import)."""
    errors = due_date_edit_problems(
        action, editor=editor, new_date=new_date, reason=data.get("due_date_reason") or "", today=today
    )
    if errors:
        raise ValidationError(errors)


def _record_agreed_revision(action: Action, *, new_date, reason: str, requested_by, agreed_by, at=None):
    at = at or timezone.now()
    return DueDateRevision.objects.create(
        action=action,
        previous_due_date=action.due_date,
        new_due_date=new_date,
        reason=reason,
        requested_by=requested_by,
        requested_at=at,
        state=RevisionState.AGREED,
        decided_by=agreed_by,
        decided_on=timezone.localdate(at),
    )


def due_date_revision_date_problem(*, new_date, today) -> str | None:
    """Why `new_date` will not do as a revised due date on `today`, or None. A due date is for work still
    to do, so a revision (asked for, set directly, on the edit page, by import, on reopening) names a day
    after today: nothing is recorded before it happens.
    """
    if new_date <= today:
        return (
            f"Enter a date after today ({date_format(today, 'j F Y')}): a new due date is for work still to do. "
            "If the work is already done, log it as complete instead."
        )
    return None


def _revision_data_problems(action: Action, *, new_date, reason: str, today) -> dict[str, str]:
    errors = {}
    if new_date is None:
        errors["new_due_date"] = "Enter the new due date."
    elif new_date == action.due_date:
        errors["new_due_date"] = "The new due date is the same as the agreed one. Enter a different date."
    elif problem := due_date_revision_date_problem(new_date=new_date, today=today):
        errors["new_due_date"] = problem
    if not (reason or "").strip():
        errors["reason"] = "Enter the reason for the new due date."
    elif len(reason) > 2000:
        errors["reason"] = "Reason must be 2,000 characters or fewer."
    return errors


def due_date_revision_request(*, action: Action, requested_by, new_date, reason: str, at=None):
    """Ask for a new due date (the owner or a lead). It moves nothing until a lead who does not own the
    action agrees it (due_date_revision_decide). One open request per action.
    """
    if not action.can_log_progress(requested_by):
        raise PermissionDenied("Only the action's owner or an improvement lead can ask for a new due date.")
    if problem := due_date_change_problem(action):
        raise ValidationError(problem)
    errors = _revision_data_problems(
        action, new_date=new_date, reason=reason, today=timezone.localdate(at) if at else timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = _locked(action)
        if problem := due_date_change_problem(action):  # again under the lock: it may have been completed since
            raise ValidationError(problem)
        if action.due_date_revisions.filter(state="requested").exists():
            raise ValidationError("A new due date has already been asked for and awaits a decision.")
        return DueDateRevision.objects.create(
            action=action,
            previous_due_date=action.due_date,
            new_due_date=new_date,
            reason=reason.strip(),
            requested_by=requested_by,
            requested_at=at or timezone.now(),
        )


def due_date_revision_decide(*, revision, lead, agree: bool, refusal_reason: str = "", at=None, notify: bool = True):
    """Agree (the action's due date becomes the new one) or refuse (with a reason) a requested revision.
    By an improvement lead who does not own the action (action_signoff_problem).
    """
    with transaction.atomic():
        revision = DueDateRevision.objects.select_for_update().get(pk=revision.pk)
        action = _locked(revision.action)
        problem = action_governance_problem(action, lead)
        if problem:
            _refuse(problem, lead)
        if revision.state != RevisionState.REQUESTED:
            raise ValidationError(f"This revision has already been {revision.get_state_display().lower()}.")
        if not agree and not refusal_reason.strip():
            raise ValidationError({"refusal_reason": "Enter why the new due date is refused."})
        at = at or timezone.now()
        revision.decided_by = lead
        revision.decided_on = timezone.localdate(at)
        old_date = action.due_date
        if agree:
            revision.state = RevisionState.AGREED
            revision.previous_due_date = old_date
            action.due_date = revision.new_due_date
            action.version += 1
            _save_with_history(action, by=lead, at=at, reason=f"Due date revised: {revision.reason}")
        else:
            revision.state = RevisionState.REFUSED
            revision.refusal_reason = refusal_reason.strip()
        revision.save()
        if notify:
            new_words = _describe_for_people("due_date", revision.new_due_date)
            _notify_after_commit(
                action=action,
                actor=lead,
                changes=[
                    ["Due date revision agreed", _describe_for_people("due_date", old_date), new_words]
                    if agree
                    else ["Due date revision refused", "", f"{new_words} refused: {revision.refusal_reason}"]
                ],
                also_notify=[revision.requested_by],
            )
    return revision


def due_date_revise(*, action: Action, lead, new_date, reason: str, at=None, notify: bool = True):
    """A lead who does not own the action sets a new due date directly: a revision asked for and agreed
    by the same lead, with its reason, in one step.
    """
    problem = action_governance_problem(action, lead)
    if problem:
        _refuse(problem, lead)
    with transaction.atomic():
        revision = due_date_revision_request(action=action, requested_by=lead, new_date=new_date, reason=reason, at=at)
        return due_date_revision_decide(revision=revision, lead=lead, agree=True, at=at, notify=notify)


def action_put_to_meeting(*, action: Action, meeting, lead, at=None):
    """Put an assured action on a committee meeting's agenda, to be ratified or returned."""
    if not lead.has_perm("actions.assure_action"):
        raise PermissionDenied("Only an improvement lead can put an action to a committee.")
    with transaction.atomic():
        action = _locked(action)
        if action.status != Status.ASSURED:
            raise ValidationError("Only an assured action can be put to a committee for ratification.")
        if action.ratified_at is not None:
            raise ValidationError("This action has already been ratified.")
        if action.committee_decisions.filter(decision=Decision.PENDING).exists():
            raise ValidationError("This action is already on a committee's agenda, awaiting its decision.")
        if action.committee_decisions.filter(meeting=meeting).exists():
            raise ValidationError("This action has already been put to that meeting.")
        problem = committee_meeting_problem(action=action, meeting=meeting, today=None)
        if problem:
            raise ValidationError({"meeting": problem})
        return CommitteeDecision.objects.create(
            action=action, meeting=meeting, put_by=lead, put_at=at or timezone.now()
        )


def committee_meeting_problem(*, action: Action, meeting, today) -> str | None:
    """Why `meeting` cannot decide on `action`, or None. A meeting decides on work already assured, so it
    comes on or after the day the action was assured; and a decision is recorded once the meeting has
    taken place (`today` on or after its date; None: only the first check, for putting on an agenda).
    """
    if action.assured_at is not None:
        assured_on = timezone.localdate(action.assured_at)
        if meeting.date < assured_on:
            return (
                f"That meeting ({date_format(meeting.date, 'j F Y')}) came before the action was assured on "
                f"{date_format(assured_on, 'j F Y')}, so it cannot have decided on it. Choose a meeting held "
                "on or after that day."
            )
    if today is not None and meeting.date > today:
        return (
            f"The meeting on {date_format(meeting.date, 'j F Y')} has not taken place yet. Record its decision "
            "on or after that day, from its minutes."
        )
    return None


def earliest_sustainability_review(meeting_date):
    """The first day a sustainability review may be due: the sustainability period after the meeting."""
    return _months_after(meeting_date, SUSTAINABILITY_REVIEW_MONTHS)


def _review_due_problem(review_due, *, meeting_date) -> str | None:
    earliest = earliest_sustainability_review(meeting_date)
    if review_due < earliest:
        return (
            f"The sustainability review comes at least {SUSTAINABILITY_REVIEW_MONTHS} months after the meeting "
            f"that ratified the action ({date_format(meeting_date, 'j F Y')}): enter "
            f"{date_format(earliest, 'j F Y')} or later."
        )
    return None


def committee_decision_record(
    *, item, lead, decision: str, minute_reference: str, reason: str = "", review_due=None, at=None, notify=True
):
    """Record a meeting's decision on an action put to it, by a lead who does not own the action.

    Ratified: the action carries a sustainability review date (by default three months on). Returned:
    the reason is kept, and the action stays assured, to be put to a later meeting.
    """
    errors = {}
    if decision not in (Decision.RATIFIED, Decision.RETURNED):
        errors["decision"] = "Select whether the committee ratified or returned the action."
    if not minute_reference.strip():
        errors["minute_reference"] = "Enter the minute reference."
    if decision == Decision.RETURNED and not reason.strip():
        errors["reason"] = "Enter why the committee returned the action."
    with transaction.atomic():
        item = CommitteeDecision.objects.select_for_update().select_related("meeting__committee").get(pk=item.pk)
        action = _locked(item.action)
        problem = action_governance_problem(action, lead)
        if problem:
            _refuse(problem, lead)
        if item.decision != Decision.PENDING:
            raise ValidationError("The committee's decision on this action has already been recorded.")
        if errors:
            raise ValidationError(errors)
        if action.status != Status.ASSURED:
            raise ValidationError("The action is no longer assured, so the committee cannot ratify it.")
        at = at or timezone.now()
        problem = committee_meeting_problem(action=action, meeting=item.meeting, today=timezone.localdate(at))
        if problem:
            raise ValidationError(problem)
        if decision == Decision.RATIFIED and review_due is not None:
            problem = _review_due_problem(review_due, meeting_date=item.meeting.date)
            if problem:
                raise ValidationError({"review_due": problem})
        item.decision = decision
        item.minute_reference = minute_reference.strip()
        item.reason = reason.strip()
        item.recorded_by = lead
        item.recorded_at = at
        item.save()
        if decision == Decision.RATIFIED:
            ratified_on = item.meeting.date
            action.ratified_at = at
            action.sustainability_review_due = review_due or earliest_sustainability_review(ratified_on)
            action.version += 1
            _save_with_history(action, by=lead, at=at, reason=f"Ratified by {item.meeting.committee.name}")
        if notify:
            words = f"{item.get_decision_display()} by {item.meeting}, minute {item.minute_reference}"
            if item.reason:
                words += f": {item.reason}"
            _notify_after_commit(action=action, actor=lead, changes=[["Committee decision", "", words]])
    return item


def _months_after(day, months: int):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def action_set_sustainability_review(*, action: Action, lead, review_due) -> Action:
    """Change when a ratified action's sustainability review is due (never sooner than the sustainability
    period after the meeting that ratified it).
    """
    if not lead.has_perm("actions.assure_action"):
        raise PermissionDenied("Only an improvement lead can change the sustainability review date.")
    with transaction.atomic():
        action = _locked(action)
        if not action.is_awaiting_review:
            raise ValidationError("Only a ratified action awaiting its sustainability review has a review date.")
        if review_due is None:
            raise ValidationError({"review_due": "Enter the date of the sustainability review."})
        ratified_by = (
            action.committee_decisions.filter(decision=Decision.RATIFIED)
            .select_related("meeting")
            .order_by("-meeting__date", "-id")
            .first()
        )
        if ratified_by is not None:
            problem = _review_due_problem(review_due, meeting_date=ratified_by.meeting.date)
            if problem:
                raise ValidationError({"review_due": problem})
        action.sustainability_review_due = review_due
        action.version += 1
        _save_with_history(action, by=lead, at=None, reason="Sustainability review date changed")
    return action


def action_review_sustainability(*, action: Action, lead, narrative: str = "", at=None, notify=True) -> Action:
    """The sustainability review: the action becomes embedded (blue). Also an entry in the progress log."""
    with transaction.atomic():
        action = _locked(action)
        at = at or timezone.now()
        problem = action_sustainability_problem(action, lead, today=timezone.localdate(at))
        if problem:
            _refuse(problem, lead)
        ProgressUpdate.objects.create(
            action=action,
            author=lead,
            narrative=narrative.strip()
            or f"Sustainability reviewed by {person_name(lead)}: the change has lasted. Embedded.",
            status=Status.EMBEDDED,
            percent_complete=100,
            created_at=at,
        )
        action.embedded_by = lead
        action.embedded_at = at
        _apply_latest_progress(action, at=at, by=lead)
        if notify:
            _notify_after_commit(
                action=action, actor=lead, changes=[["Status", Status.ASSURED.label, Status.EMBEDDED.label]]
            )
    return action


REOPEN_STATUSES = (Status.AT_RISK, Status.OFF_TRACK)


def action_reopen(
    *,
    action: Action,
    lead,
    reason: str,
    status: str,
    percent_complete: int | None,
    new_due_date,
    at=None,
    notify=True,
):
    """A lead reopens an assured or embedded action: a new start. It returns to at risk or off track with
    a reason, the percent still to do (below 100: an open action at 100% reads as complete) and a new due
    date after today, agreed by this lead and recorded as an agreed revision with the reopening's reason
    (so "slipped" keeps its one meaning: the agreed due date is later than the original). Its whole
    history stays (the sign-off, decisions and reviews remain on the record).
    """
    if not lead.has_perm("actions.assure_action"):
        raise PermissionDenied("Only an improvement lead can reopen an action.")
    at = at or timezone.now()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why the action is reopened."
    elif len(reason) > 2000:
        errors["reason"] = "Reason must be 2,000 characters or fewer."
    if status not in REOPEN_STATUSES:
        errors["status"] = "Select at risk or off track."
    if percent_complete is None:
        errors["percent_complete"] = "Enter the percent complete now, from 0 to 99."
    elif not isinstance(percent_complete, int) or not 0 <= percent_complete <= 100:
        errors["percent_complete"] = "Percent complete must be a whole number from 0 to 99."
    elif percent_complete == 100:
        errors["percent_complete"] = (
            "A reopened action has work still to do: enter the percent complete now, below 100. "
            "An open action at 100% reads as complete."
        )
    if new_due_date is None:
        errors["new_due_date"] = "Enter the new due date agreed for the reopened work."
    elif problem := due_date_revision_date_problem(new_date=new_due_date, today=timezone.localdate(at)):
        errors["new_due_date"] = problem
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    with transaction.atomic():
        action = _locked(action)
        if action.status not in SIGNED_OFF_STATUSES:
            raise ValidationError("Only an assured or embedded action can be reopened.")
        previous = action.status
        old_due_date = action.due_date
        if new_due_date != old_due_date:
            _record_agreed_revision(
                action, new_date=new_due_date, reason=f"Reopened: {reason}", requested_by=lead, agreed_by=lead, at=at
            )
            action.due_date = new_due_date
        ActionReopening.objects.create(
            action=action,
            reopened_by=lead,
            reopened_at=at,
            reason=reason,
            previous_status=previous,
            status=status,
        )
        ProgressUpdate.objects.create(
            action=action,
            author=lead,
            narrative=f"Reopened by {person_name(lead)}: {reason}",
            status=status,
            percent_complete=percent_complete,
            created_at=at,
        )
        # The sign-off belongs to the closed record: a reopened action must be completed, assured,
        # ratified and reviewed again. What was signed off stays in the history and the decisions.
        action.assured_by = None
        action.assured_at = None
        action.ratified_at = None
        action.sustainability_review_due = None
        action.embedded_by = None
        action.embedded_at = None
        action.reopened_at = at
        _apply_latest_progress(action, at=at, by=lead)
        if notify:
            changes = [["Reopened", Status(previous).label, f"{Status(status).label}: {reason}"]]
            if new_due_date != old_due_date:
                changes.append(
                    [
                        "Due date",
                        _describe_for_people("due_date", old_due_date),
                        _describe_for_people("due_date", new_due_date),
                    ]
                )
            _notify_after_commit(action=action, actor=lead, changes=changes)
    return action


# --- Returning a completion to its owner: "not assured" --------------------------------------------

# The narrative of the progress entry a return writes (its kind is EntryKind.RETURN): the log says what
# happened, in these words, and actions.returns reads the reason back after them.
RETURN_NARRATIVE_PREFIX = "Not assured: returned to the owner: "


def action_return_refusal(*, action: Action, user) -> str | None:
    """Why `user` may not return this completion to its owner now, or None: the sign-off's own rule
    (action_assurance_refusal: an improvement lead, four eyes, a complete action), since a return is the
    other answer to the same review.
    """
    if user.has_perm("actions.assure_action") and action.status != Status.COMPLETE:
        return "Only a complete action, awaiting assurance, can be returned to its owner."
    return action_assurance_refusal(action=action, user=user)


def action_return_completion(*, action: Action, lead, reason: str, at=None, notify: bool = True) -> Action:
    """A lead who reviewed a completion and is not convinced returns it to the owner, with a reason.

    The rule for where it goes back to (one, simple and honest): the status and percent it had just
    before it was marked complete, that is of its latest progress entry that is not complete, assured
    or embedded (not started, 0% if the completion was its first entry), the percent at most 99.
    The return is a progress entry by the lead ("Not assured: returned to the owner: <reason>"), so the
    status stays that of the latest entry and the log and history record who returned it and why; the
    completion date is cleared; the owner and executive lead are told by e-mail.
    """
    with transaction.atomic():
        action = _locked(action)
        refusal = action_return_refusal(action=action, user=lead)
        if refusal and not lead.has_perm("actions.assure_action"):
            raise PermissionDenied(refusal)
        if refusal:
            raise ValidationError(refusal)
        reason = (reason or "").strip()
        narrative = RETURN_NARRATIVE_PREFIX + reason
        if not reason:
            raise ValidationError({"reason": "Enter why the completion is not assured: the owner reads it."})
        if len(narrative) > ProgressUpdate.NARRATIVE_MAX_LENGTH:
            raise ValidationError(
                {
                    "reason": f"Reason must be {ProgressUpdate.NARRATIVE_MAX_LENGTH - len(RETURN_NARRATIVE_PREFIX):,} "
                    "characters or fewer."
                }
            )
        at = at or timezone.now()
        before = action.progress_updates.exclude(status__in=DONE_STATUSES).order_by("-created_at", "-id").first()
        status, percent = (before.status, min(before.percent_complete, 99)) if before else (Status.NOT_STARTED, 0)
        ProgressUpdate.objects.create(
            action=action,
            author=lead,
            narrative=narrative,
            status=status,
            percent_complete=percent,
            kind=EntryKind.RETURN,
            created_at=at,
        )
        _apply_latest_progress(action, at=at, by=lead)
        if notify:
            _notify_after_commit(
                action=action,
                actor=lead,
                changes=[
                    [
                        "Assurance",
                        "Complete, awaiting assurance",
                        f"Not assured: returned to the owner ({Status(status).label}, {percent}%): {reason}",
                    ]
                ],
            )
    return action
