"""What the services share: the row lock, saving with history, telling people after the commit, a refusal."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from actions import tasks
from actions.choices import Status
from actions.models import (
    Action,
    ChangeNotice,
    EntryKind,
    ProgressUpdate,
)
from actions.models.states import status_is_done
from actions.selectors.history import person_name

logger = logging.getLogger(__name__)


def locked(action: Action) -> Action:
    """Re-read the action under a row lock so concurrent writers queue rather than interleave."""
    return Action.objects.select_for_update().get(pk=action.pk)


def save_with_history(action: Action, *, by, at=None, reason: str, fields=None) -> None:
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


def set_related_with_history(action: Action, name: str, values, *, at, reason: str) -> None:
    """Set the action's themes or regulations: the history records the change at the event's time."""
    action._history_date = at or timezone.now()
    action._change_reason = reason
    getattr(action, name).set(values)
    action.__dict__.pop("_history_date", None)


def apply_latest_progress(action: Action, *, at, by=None) -> None:
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
    save_with_history(
        action, by=by, at=at, reason=f"Progress logged: {latest.get_status_display()}, {latest.percent_complete}%"
    )


def lead_entry(action: Action, *, lead, narrative: str, status: str, percent: int, at, kind=EntryKind.PROGRESS):
    """A lead's entry in the progress log (a sign-off, a return, a sustainability review, a reopening),
    which the action's status and percent then follow."""
    ProgressUpdate.objects.create(
        action=action,
        author=lead,
        narrative=narrative,
        status=status,
        percent_complete=percent,
        kind=kind,
        created_at=at,
    )
    apply_latest_progress(action, at=at, by=lead)


def label_for(field_name: str) -> str:
    name = str(Action._meta.get_field(field_name).verbose_name)
    return name[:1].upper() + name[1:]


# --- Telling people --------------------------------------------------------------------------------


def notify_after_commit(*, action: Action, actor, changes: list[list[str]], also_notify=()) -> None:
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


def refuse(problem: str, user) -> None:
    """403 for someone who is not a lead at all; otherwise a refusal they can read on the form."""
    if not user.is_authenticated or not user.has_perm("actions.assure_action"):
        raise PermissionDenied(problem)
    raise ValidationError(problem)


def describe_for_people(field: str, value) -> str:
    if field in ("owner", "executive_lead"):
        return person_name(value)
    if field == "due_date":
        return date_format(value, "j F Y") if value else ""
    if field == "status":
        return Status(value).label
    return str(value)
