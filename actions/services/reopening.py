"""Reopening a signed-off action."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.choices import SIGNED_OFF_STATUSES, Status
from actions.models import (
    Action,
    ActionReopening,
)
from actions.selectors.history import person_name
from actions.services.common import describe_for_people, lead_entry, locked, notify_after_commit
from actions.services.governance import due_date_revision_date_problem, reason_problem, record_agreed_revision

REOPEN_STATUSES = (Status.AT_RISK, Status.OFF_TRACK)


def reopen_problems(*, reason: str, status: str, percent_complete, new_due_date, at) -> dict[str, str]:
    """What is wrong with a reopening as asked, by argument: the rules that need no database."""
    errors = {}
    if problem := reason_problem(reason, "Enter why the action is reopened."):
        errors["reason"] = problem
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
    return errors


def _clear_sign_off(action: Action, *, at) -> None:
    # The sign-off belongs to the closed record: a reopened action must be completed, assured,
    # ratified and reviewed again. What was signed off stays in the history and the decisions.
    action.assured_by = None
    action.assured_at = None
    action.ratified_at = None
    action.sustainability_review_due = None
    action.embedded_by = None
    action.embedded_at = None
    action.reopened_at = at


def _reopen_changes(previous: str, status: str, reason: str, old_due_date, new_due_date) -> list[list[str]]:
    """What the e-mail about a reopening says changed."""
    changes = [["Reopened", Status(previous).label, f"{Status(status).label}: {reason}"]]
    if new_due_date != old_due_date:
        changes.append(
            ["Due date", describe_for_people("due_date", old_due_date), describe_for_people("due_date", new_due_date)]
        )
    return changes


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
    errors = reopen_problems(
        reason=reason, status=status, percent_complete=percent_complete, new_due_date=new_due_date, at=at
    )
    if errors:
        raise ValidationError(errors)
    reason = reason.strip()
    with transaction.atomic():
        action = locked(action)
        if action.status not in SIGNED_OFF_STATUSES:
            raise ValidationError("Only an assured or embedded action can be reopened.")
        previous = action.status
        old_due_date = action.due_date
        if new_due_date != old_due_date:
            record_agreed_revision(
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
        _clear_sign_off(action, at=at)
        narrative = f"Reopened by {person_name(lead)}: {reason}"
        lead_entry(action, lead=lead, narrative=narrative, status=status, percent=percent_complete, at=at)
        if notify:
            changes = _reopen_changes(previous, status, reason, old_due_date, new_due_date)
            notify_after_commit(action=action, actor=lead, changes=changes)
    return action
