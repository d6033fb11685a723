"""Staff pages for governing actions: due-date revisions, committee agendas and decisions, the
sustainability review that makes an action embedded, and reopening. Each view fetches what it needs
for this user, binds a form, calls one service (actions.services) and redirects.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from actions.access import get_action_for_user
from actions.forms.governance import (
    CommitteeDecisionForm,
    DueDateRevisionForm,
    PutToMeetingForm,
    ReopenForm,
    RevisionDecisionForm,
    SustainabilityReviewForm,
)
from actions.models import Action, Committee, CommitteeDecision, Decision, DueDateRevision, Meeting
from actions.selectors.governance import (
    action_governance,
    actions_awaiting_ratification,
    committee_agenda,
    committees_overview,
    meeting_decisions,
)
from actions.services.governance import (
    action_put_to_meeting,
    action_review_sustainability,
    committee_decision_record,
    due_date_revise,
    due_date_revision_decide,
    due_date_revision_request,
)
from actions.services.reopening import action_reopen
from actions.signoff import action_governance_problem, action_sustainability_problem
from actions.views.common import bound, saving
from secamb_journey.access import staff_page


def get_revision_for_user(request, action: Action, revision_id: int) -> DueDateRevision:
    revision = action.due_date_revisions.select_related("requested_by").filter(pk=revision_id).first()
    if revision is None:
        raise Http404("No such revision of this action's due date.")
    return revision


def get_committee_for_user(request, committee_id: int) -> Committee:
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:
        raise Http404("No such committee.")
    return committee


def get_meeting_for_user(request, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def get_decision_for_user(request, decision_id: int) -> CommitteeDecision:
    item = (
        CommitteeDecision.objects.select_related("action__owner", "meeting__committee").filter(pk=decision_id).first()
    )
    if item is None:
        raise Http404("No such item on a committee's agenda.")
    return item


# --- Due dates -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page("actions.add_progressupdate")
def due_date(request, reference):
    """The owner (or a lead who owns it) asks for a new due date; a lead who does not own the action
    sets it at once, as a revision they agree themselves.
    """
    action = get_action_for_user(request, reference, need="log_progress").action
    agrees_at_once = action_governance_problem(action, request.user) is None
    form = DueDateRevisionForm(bound(request)[0], agrees_at_once=agrees_at_once)
    if request.method == "POST" and form.is_valid():
        service = due_date_revise if agrees_at_once else due_date_revision_request
        who = {"lead": request.user} if agrees_at_once else {"requested_by": request.user}
        with saving(form, "the new due date"):
            service(
                action=action, new_date=form.cleaned_data["new_due_date"], reason=form.cleaned_data["reason"], **who
            )
        if form.is_valid():
            messages.success(
                request,
                "Due date revised." if agrees_at_once else "New due date asked for: an improvement lead will decide.",
            )
            return redirect(action)
    trail = action_governance(action=action)
    return render(request, "actions/governance/due_date_form.html", {"action": action, "form": form, "trail": trail})


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def due_date_decide(request, reference, revision_id):
    action = get_action_for_user(request, reference).action
    revision = get_revision_for_user(request, action, revision_id)
    refusal = action_governance_problem(action, request.user)
    if refusal is None and revision.state != "requested":
        refusal = f"This revision has already been {revision.get_state_display().lower()}."
    form = RevisionDecisionForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        agree = form.cleaned_data["decision"] == "agree"
        with saving(form, "the decision"):
            due_date_revision_decide(
                revision=revision, lead=request.user, agree=agree, refusal_reason=form.cleaned_data["refusal_reason"]
            )
        if form.is_valid():
            messages.success(request, "New due date agreed." if agree else "New due date refused.")
            return redirect(action)
    return render(
        request,
        "actions/governance/revision_decide.html",
        {"action": action, "revision": revision, "form": form, "refusal": refusal},
    )


# --- Committees ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def put_to_meeting(request, reference):
    action = get_action_for_user(request, reference).action
    form = PutToMeetingForm(bound(request)[0])
    refusal = None
    if not action.is_awaiting_ratification:
        refusal = "Only an assured action that has not been ratified can be put to a committee."
    if request.method == "POST" and form.is_valid():
        with saving(form, "the agenda item"):
            item = action_put_to_meeting(action=action, meeting=form.cleaned_data["meeting"], lead=request.user)
        if form.is_valid():
            messages.success(request, f"{action.reference} is on the agenda of {item.meeting}.")
            return redirect(action)
    return render(
        request, "actions/governance/put_to_meeting.html", {"action": action, "form": form, "refusal": refusal}
    )


@require_GET
@staff_page("actions.view_action")
def committee_list(request):
    return render(
        request,
        "actions/governance/committee_list.html",
        {
            "committees": list(committees_overview()),
            "awaiting_ratification": list(actions_awaiting_ratification()[:50]),
        },
    )


@require_GET
@staff_page("actions.view_action")
def committee_detail(request, committee_id):
    committee = get_committee_for_user(request, committee_id)
    return render(request, "actions/governance/committee_detail.html", committee_agenda(committee=committee))


@require_GET
@staff_page("actions.view_action")
def meeting_detail(request, meeting_id):
    meeting = get_meeting_for_user(request, meeting_id)
    items = meeting_decisions(meeting=meeting)
    can_record = request.user.has_perm("actions.assure_action")
    return render(
        request,
        "actions/governance/meeting_detail.html",
        {"meeting": meeting, "items": items, "can_record": can_record},
    )


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def decision_record(request, decision_id):
    item = get_decision_for_user(request, decision_id)
    refusal = action_governance_problem(item.action, request.user)
    if refusal is None and item.decision != Decision.PENDING:
        refusal = "The committee's decision on this action has already been recorded."
    form = CommitteeDecisionForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the decision"):
            committee_decision_record(item=item, lead=request.user, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, f"Decision on {item.action.reference} recorded.")
            return redirect(item.meeting)
    return render(request, "actions/governance/decision_form.html", {"item": item, "form": form, "refusal": refusal})


# --- Embedded and reopened -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def sustainability_review(request, reference):
    action = get_action_for_user(request, reference).action
    refusal = action_sustainability_problem(action, request.user)
    form = SustainabilityReviewForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the review"):
            action_review_sustainability(action=action, lead=request.user, narrative=form.cleaned_data["narrative"])
        if form.is_valid():
            messages.success(request, f"{action.reference} is embedded.")
            return redirect(action)
    evidence = action.evidence.filter(kind="sustainability").select_related("uploaded_by").order_by("-uploaded_at")
    return render(
        request,
        "actions/governance/sustainability_form.html",
        {"action": action, "form": form, "refusal": refusal, "evidence_list": evidence},
    )


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def reopen(request, reference):
    action = get_action_for_user(request, reference).action
    refusal = None if action.is_signed_off else "Only an assured or embedded action can be reopened."
    form = ReopenForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the reopening"):
            action_reopen(action=action, lead=request.user, **form.cleaned_data)
        if form.is_valid():
            messages.success(request, f"{action.reference} is reopened.")
            return redirect(action)
    return render(request, "actions/governance/reopen_form.html", {"action": action, "form": form, "refusal": refusal})
