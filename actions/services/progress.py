"""Logging progress on an action and attaching evidence to it.

Views, the importer, the admin and tasks all call the services in actions.services; none re-checks the rules.
Each service runs inside one transaction and takes the acting user for the audit trail.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.choices import SIGNED_OFF_STATUSES, Status
from actions.evidence import EvidenceKind as EvidenceFileKind
from actions.evidence import EvidenceRejected, identify_evidence
from actions.models import (
    Action,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
)
from actions.models.states import status_is_done
from actions.services.common import apply_latest_progress, locked, notify_after_commit
from secamb_journey.forms import EMPTY_FILE, size_in_words


@dataclass(frozen=True)
class ProgressLogged:
    update: ProgressUpdate
    status_changed: bool


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
    errors = progress_entry_problems(
        narrative=narrative, status=status, percent_complete=percent_complete, public_highlight=public_highlight
    )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        action = locked(action)
        if action.status in SIGNED_OFF_STATUSES:
            raise ValidationError(
                f"This action is {action.get_status_display().lower()}, so its record is closed. "
                "Ask an improvement lead to reopen it if more work is needed."
            )
        _attach_completion_evidence(
            action, status=status, author=author, file=evidence_file, description=evidence_description, at=at
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
        apply_latest_progress(action, at=at, by=author)
        status_changed = action.status != old_status
        if status_changed and notify:
            notify_after_commit(
                action=action,
                actor=author,
                changes=[["Status", Status(old_status).label, Status(action.status).label]],
            )
    return ProgressLogged(update=update, status_changed=status_changed)


def progress_entry_problems(*, narrative: str, status: str, percent_complete, public_highlight: str) -> dict[str, str]:
    """What is wrong with a progress entry as typed, by argument: the rules that need no database."""
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
    if len(public_highlight) > ProgressUpdate.HIGHLIGHT_MAX_LENGTH:
        errors["public_highlight"] = (
            f"Public highlight must be {ProgressUpdate.HIGHLIGHT_MAX_LENGTH:,} characters or fewer."
        )
    return errors


def _attach_completion_evidence(action: Action, *, status: str, author, file, description: str, at) -> None:
    """Attach the file that came with the entry, if any; a complete action must have completion evidence by now."""
    if file is not None:
        try:
            evidence_attach(
                action=action,
                uploaded_by=author,
                uploaded_file=file,
                description=description,
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
    elif len(description) > Evidence.DESCRIPTION_MAX_LENGTH:
        errors["description"] = f"Description must be {Evidence.DESCRIPTION_MAX_LENGTH:,} characters or fewer."
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
