"""Reads for governance pages: an action's governance trail, committees, their agendas and meetings."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from actions.models import Action, ActionReopening, Committee, CommitteeDecision, Decision, DueDateRevision, Meeting
from actions.signoff import action_governance_problem, action_sustainability_problem, due_date_change_problem


@dataclass
class GovernanceTrail:
    revisions: list
    decisions: list
    reopenings: list

    @property
    def pending_revision(self):
        return next((r for r in self.revisions if r.state == "requested"), None)

    @property
    def pending_decision(self):
        return next((d for d in self.decisions if d.decision == Decision.PENDING), None)


def action_governance(*, action: Action) -> GovernanceTrail:
    """The action's due-date revisions, committee decisions and reopenings, oldest first (three queries)."""
    return GovernanceTrail(
        revisions=list(
            DueDateRevision.objects.filter(action=action)
            .select_related("requested_by", "decided_by")
            .order_by("requested_at", "id")
        ),
        decisions=list(
            CommitteeDecision.objects.filter(action=action)
            .select_related("meeting__committee", "recorded_by", "put_by")
            .order_by("meeting__date", "id")
        ),
        reopenings=list(
            ActionReopening.objects.filter(action=action).select_related("reopened_by").order_by("reopened_at", "id")
        ),
    )


def committees_overview() -> QuerySet:
    """Every committee with how many actions await its decision and its latest and next meeting (one query)."""
    today = timezone.localdate()
    return Committee.objects.annotate(
        awaiting=Count("meetings__decisions", filter=Q(meetings__decisions__decision=Decision.PENDING)),
        last_meeting=Max("meetings__date", filter=Q(meetings__date__lte=today)),
        next_meeting=Min("meetings__date", filter=Q(meetings__date__gt=today)),
    ).order_by("name")


def committee_agenda(*, committee: Committee) -> dict:
    """What awaits the committee's decision (by meeting), and its meetings newest first (two queries)."""
    awaiting = list(
        CommitteeDecision.objects.filter(meeting__committee=committee, decision=Decision.PENDING)
        .select_related("action__owner", "action__executive_lead", "meeting", "put_by")
        .order_by("meeting__date", "action__reference")
    )
    meetings = list(
        committee.meetings.annotate(
            considered=Count("decisions"),
            ratified=Count("decisions", filter=Q(decisions__decision=Decision.RATIFIED)),
            returned=Count("decisions", filter=Q(decisions__decision=Decision.RETURNED)),
        ).order_by("-date")
    )
    return {"committee": committee, "awaiting": awaiting, "meetings": meetings}


def meeting_decisions(*, meeting: Meeting) -> list:
    """The actions put to a meeting, with their decisions and who recorded them (one query)."""
    return list(
        meeting.decisions.select_related("action__owner", "recorded_by", "put_by").order_by("action__reference")
    )


def actions_awaiting_ratification() -> QuerySet:
    """Assured actions not yet ratified and not on any agenda: what a lead should put to a committee."""
    return (
        Action.objects.awaiting_ratification()
        .exclude(committee_decisions__decision=Decision.PENDING)
        .select_related("owner")
        .order_by("assured_at", "reference")
    )


def governance_context(*, action: Action, user, trail: GovernanceTrail | None = None) -> dict:
    """What the action page shows of governance, and which governance buttons this user gets (three
    queries: the trail, unless the caller has it). The rules are the services'; this only asks them.
    """
    trail = trail if trail is not None else action_governance(action=action)
    is_lead = user.has_perm("actions.assure_action")
    # The four-eyes check costs several queries over the action's history (issue 15's profile of an
    # action with 500 entries): asked only when a button depends on it, and at most once.
    reviewable = action.is_awaiting_review
    eligible = (trail.pending_revision is not None or reviewable) and action_governance_problem(action, user) is None
    return {
        "trail": trail,
        "can_revise_due_date": action.can_log_progress(user)
        and due_date_change_problem(action) is None
        and not trail.pending_revision,
        "can_decide_revision": eligible and trail.pending_revision is not None,
        "can_put_to_meeting": is_lead and action.is_awaiting_ratification and trail.pending_decision is None,
        # action_sustainability_problem asks the four-eyes rule again first: only when it is the answer.
        "can_review_sustainability": eligible and reviewable and action_sustainability_problem(action, user) is None,
        "can_reopen": is_lead and action.is_signed_off,
    }
