"""The staff forms that take an evidence file: log progress (evidence may come with a completion) and
attach evidence. A file chosen on a form that comes back with an error is held for the person who chose
it (actions.uploads.evidence_hold) and offered again, so it need not be chosen twice (issue 27).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.access import get_action_for_user
from actions.forms.progress import EvidenceForm, ProgressForm
from actions.services.progress import action_log_progress, evidence_attach
from actions.uploads import evidence_held, evidence_held_discard, evidence_hold
from actions.views.common import bound, saving
from secamb_journey.access import staff_page
from secamb_journey.middleware import accepts_uploads


@accepts_uploads  # the form takes the evidence file with a completion
@require_http_methods(["GET", "POST"])
@staff_page("actions.add_progressupdate")
def log_progress(request, reference):
    action = get_action_for_user(request, reference, need="log_progress").action
    form = _with_held_evidence(request, action, ProgressForm(*bound(request), action=action))
    if request.method == "POST" and form.is_valid():
        with saving(form, "your progress update"):
            action_log_progress(action=action, author=request.user, **form.service_data())
        if form.is_valid():
            _release_held_evidence(form)
            action.refresh_from_db()
            messages.success(
                request, f"Progress saved: {action.get_status_display().lower()}, {action.percent_complete}% complete."
            )
            return redirect(action)
    return render(request, "actions/progress_form.html", {"action": action, "form": form})


@accepts_uploads
@require_http_methods(["GET", "POST"])
@staff_page("actions.add_evidence")
def attach_evidence(request, reference):
    action = get_action_for_user(request, reference, need="attach_evidence").action
    form = _with_held_evidence(request, action, EvidenceForm(*bound(request)))
    if request.method == "POST" and form.is_valid():
        with saving(form, "the evidence"):
            evidence = evidence_attach(
                action=action,
                uploaded_by=request.user,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                kind=form.cleaned_data["kind"],
            )
        if form.is_valid():
            _release_held_evidence(form)
            messages.success(request, f"Evidence attached: {evidence.original_name}.")
            return redirect(action)
    return render(request, "actions/evidence_form.html", {"action": action, "form": form})


def _with_held_evidence(request, action, form):
    """The form, offering the evidence file this person chose on it: one chosen now (if it passes the
    evidence checks; if not, the form says why with its other errors), or else one held from before
    (sent back as held_evidence) unless they ticked to remove it. Kept before the form is checked, so an
    error anywhere on it does not lose the file; anyone else's held file, or another action's, is not found.
    """
    if request.method != "POST":
        return form
    held = evidence_held(action=action, user=request.user, held_id=request.POST.get("held_evidence", ""))
    if held is not None and request.POST.get("remove_held_evidence"):
        evidence_held_discard(held)
        held = None
    uploaded, refusal = request.FILES.get(form.file_field), None
    if uploaded is not None:
        try:
            held = evidence_hold(action=action, user=request.user, uploaded_file=uploaded)
        except ValidationError as refused:
            refusal = refused  # nothing is kept; said with the form's other errors
    if held is not None:
        form.offer_held(held)
    if refusal is not None and form.file_field not in form.errors:
        form.add_error(form.file_field, refusal)
    return form


def _release_held_evidence(form) -> None:
    if form.held is not None:
        evidence_held_discard(form.held)
