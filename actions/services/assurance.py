"""Signing a completion off as assured, or returning it to its owner as not assured."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.choices import DONE_STATUSES, Status
from actions.models import (
    Action,
    EntryKind,
    ProgressUpdate,
)
from actions.models.progress import RETURN_NARRATIVE_PREFIX
from actions.services.common import lead_entry, locked, notify_after_commit, refuse
from actions.signoff import (
    action_assurance_refusal,
)


def action_assure(*, action: Action, lead, at=None, notify: bool = True) -> Action:
    """Sign a complete action off as assured: an improvement lead independent of it (four eyes:
    action_signoff_problem).

    The sign-off is also an entry in the progress log, so the action's status stays that of its
    latest entry and the timeline shows who assured it and when.
    """
    with transaction.atomic():
        action = locked(action)
        refusal = action_assurance_refusal(action=action, user=lead)
        if refusal:
            refuse(refusal, lead)
        at = at or timezone.now()
        old_status = action.status
        action.assured_by = lead
        action.assured_at = at
        narrative = f"Signed off as assured by {lead.get_full_name() or lead.get_username()}."
        lead_entry(action, lead=lead, narrative=narrative, status=Status.ASSURED, percent=100, at=at)
        if notify:
            notify_after_commit(
                action=action, actor=lead, changes=[["Status", Status(old_status).label, Status(action.status).label]]
            )
    return action


# --- Returning a completion to its owner: "not assured" --------------------------------------------


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
        action = locked(action)
        refusal = action_return_refusal(action=action, user=lead)
        if refusal:
            refuse(refusal, lead)
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
        lead_entry(action, lead=lead, narrative=narrative, status=status, percent=percent, at=at, kind=EntryKind.RETURN)
        if notify:
            notify_after_commit(
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
