"""Governance: sign-off eligibility, due-date revisions, committees, embedding (issue 13)."""

import calendar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from actions.choices import Status
from actions.models import (
    Action,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    RevisionState,
)
from actions.selectors.history import person_name
from actions.services.common import (
    describe_for_people,
    lead_entry,
    locked,
    notify_after_commit,
    refuse,
    save_with_history,
)
from actions.signoff import (
    action_governance_problem,
    action_sustainability_problem,
    due_date_change_problem,
)

# --- Governance: sign-off eligibility, due-date revisions, committees, embedding, reopening (issue 13) ---

SUSTAINABILITY_REVIEW_MONTHS = 3


# The longest reason a person may give for a governance step: a due-date revision or its refusal, a committee's
# return, a reopening (the forms' limit too: actions.forms.fields.reason_field).
REASON_MAX_LENGTH = 2000


def reason_problem(reason: str, missing: str) -> str | None:
    """What is wrong with a reason that must be given: `missing` when it is empty, or that it is too long."""
    if not (reason or "").strip():
        return missing
    if len(reason) > REASON_MAX_LENGTH:
        return f"Reason must be {REASON_MAX_LENGTH:,} characters or fewer."
    return None


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
    if problem := reason_problem(reason, "Enter the reason for the new due date: a change of due date is a revision."):
        errors["due_date_reason"] = problem
    return errors


def revision_refusal_for_edit(action: Action, *, editor, new_date, data: dict, today) -> None:
    """The revision rule applied to a due date changed on the edit form or the admin (and so the import)."""
    errors = due_date_edit_problems(
        action, editor=editor, new_date=new_date, reason=data.get("due_date_reason") or "", today=today
    )
    if errors:
        raise ValidationError(errors)


def record_agreed_revision(action: Action, *, new_date, reason: str, requested_by, agreed_by, at=None):
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
    if problem := reason_problem(reason, "Enter the reason for the new due date."):
        errors["reason"] = problem
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
        action = locked(action)
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
        action = locked(revision.action)
        problem = action_governance_problem(action, lead)
        if problem:
            refuse(problem, lead)
        if revision.state != RevisionState.REQUESTED:
            raise ValidationError(f"This revision has already been {revision.get_state_display().lower()}.")
        if not agree and (problem := reason_problem(refusal_reason, "Enter why the new due date is refused.")):
            raise ValidationError({"refusal_reason": problem})
        at = at or timezone.now()
        revision.decided_by = lead
        revision.decided_on = timezone.localdate(at)
        old_date = action.due_date
        if agree:
            revision.state = RevisionState.AGREED
            revision.previous_due_date = old_date
            action.due_date = revision.new_due_date
            action.version += 1
            save_with_history(action, by=lead, at=at, reason=f"Due date revised: {revision.reason}")
        else:
            revision.state = RevisionState.REFUSED
            revision.refusal_reason = refusal_reason.strip()
        revision.save()
        if notify:
            new_words = describe_for_people("due_date", revision.new_due_date)
            notify_after_commit(
                action=action,
                actor=lead,
                changes=[
                    ["Due date revision agreed", describe_for_people("due_date", old_date), new_words]
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
        refuse(problem, lead)
    with transaction.atomic():
        revision = due_date_revision_request(action=action, requested_by=lead, new_date=new_date, reason=reason, at=at)
        return due_date_revision_decide(revision=revision, lead=lead, agree=True, at=at, notify=notify)


def action_put_to_meeting(*, action: Action, meeting, lead, at=None):
    """Put an assured action on a committee meeting's agenda, to be ratified or returned."""
    if not lead.has_perm("actions.assure_action"):
        raise PermissionDenied("Only an improvement lead can put an action to a committee.")
    with transaction.atomic():
        action = locked(action)
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
    if decision == Decision.RETURNED and (
        problem := reason_problem(reason, "Enter why the committee returned the action.")
    ):
        errors["reason"] = problem
    with transaction.atomic():
        item = CommitteeDecision.objects.select_for_update().select_related("meeting__committee").get(pk=item.pk)
        action = locked(item.action)
        problem = action_governance_problem(action, lead)
        if problem:
            refuse(problem, lead)
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
            save_with_history(action, by=lead, at=at, reason=f"Ratified by {item.meeting.committee.name}")
        if notify:
            words = f"{item.get_decision_display()} by {item.meeting}, minute {item.minute_reference}"
            if item.reason:
                words += f": {item.reason}"
            notify_after_commit(action=action, actor=lead, changes=[["Committee decision", "", words]])
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
        action = locked(action)
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
        save_with_history(action, by=lead, at=None, reason="Sustainability review date changed")
    return action


def action_review_sustainability(*, action: Action, lead, narrative: str = "", at=None, notify=True) -> Action:
    """The sustainability review: the action becomes embedded (blue). Also an entry in the progress log."""
    with transaction.atomic():
        action = locked(action)
        at = at or timezone.now()
        problem = action_sustainability_problem(action, lead, today=timezone.localdate(at))
        if problem:
            refuse(problem, lead)
        action.embedded_by = lead
        action.embedded_at = at
        narrative = (
            narrative.strip() or f"Sustainability reviewed by {person_name(lead)}: the change has lasted. Embedded."
        )
        lead_entry(action, lead=lead, narrative=narrative, status=Status.EMBEDDED, percent=100, at=at)
        if notify:
            notify_after_commit(
                action=action, actor=lead, changes=[["Status", Status.ASSURED.label, Status.EMBEDDED.label]]
            )
    return action
