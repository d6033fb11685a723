"""What a signed-in person may do with one action or one evidence file: one helper per object kind,
used by every view (404 when there is no such thing, 403 where they may see it but not do this).
The rules themselves are the model's and the services' (Action.can_log_progress, may_see_evidence;
actions.signoff.action_assurance_refusal for four eyes).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actions.figures_cache import cached_value
from actions.models import Action, Evidence
from actions.selectors.register import action_for_detail
from actions.signoff import action_assurance_refusal


@dataclass(frozen=True)
class ActionAccess:
    action: Action
    may_log_progress: bool
    may_attach_evidence: bool
    may_see_evidence: bool
    may_edit: bool
    # Why this person may not sign the action off as assured, or None if they may (four eyes).
    assurance_refusal: str | None

    @property
    def may_assure(self) -> bool:
        return self.assurance_refusal is None


REFUSALS = {
    "log_progress": "Only the action's owner or an improvement lead can do this.",
    "attach_evidence": "Only the action's owner or an improvement lead can do this.",
    "see_evidence": (
        "Only the action's owner, its executive lead, improvement leads and board members can see its evidence."
    ),
    "edit": "Only an improvement lead can change an action's details.",
}


def get_action_for_user(request, reference: str, *, need: str | None = None, for_reading: bool = False) -> ActionAccess:
    """The action with this reference and what `request.user` may do with it. 404 if there is none;
    403 if `need` (a key of REFUSALS) is something this user may not do. The caller's page decorator
    has already checked the user is staff and may view actions.

    `for_reading`: a page that only shows the action (its own page) is given it from the figures cache,
    read once per change to any action or person (issue 15); what this user may do is still worked out
    afresh. Every view that writes reads the action itself, as it is now.
    """
    if for_reading:
        action = cached_value(
            "action-detail",
            {"reference": reference},
            lambda: action_for_detail(reference=reference),
            request=request,
        )
    else:
        action = action_for_detail(reference=reference)
    if action is None:
        raise Http404("No action has that reference.")
    user = request.user
    may_log_progress = action.can_log_progress(user)
    access = ActionAccess(
        action=action,
        may_log_progress=may_log_progress,
        may_attach_evidence=may_log_progress and user.has_perm("actions.add_evidence"),
        may_see_evidence=action.may_see_evidence(user),
        may_edit=user.has_perm("actions.change_action"),
        assurance_refusal=action_assurance_refusal(action=action, user=user),
    )
    if need is not None and not getattr(access, f"may_{need}"):
        raise PermissionDenied(REFUSALS[need])
    return access


def get_evidence_for_user(request, reference: str, evidence_id: int) -> tuple[ActionAccess, Evidence]:
    """One evidence file of one action, for someone with a need to know (404 if either is missing)."""
    access = get_action_for_user(request, reference, need="see_evidence")
    evidence = access.action.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("No such evidence on this action.")
    return access, evidence
