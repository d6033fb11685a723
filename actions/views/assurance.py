"""Staff pages for signing a completion off as assured, or returning it to its owner."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions.access import get_action_for_user
from actions.forms.governance import ReturnCompletionForm
from actions.forms.progress import AssureForm
from actions.selectors.register import (
    action_evidence,
)
from actions.services.assurance import action_assure, action_return_completion
from actions.views.common import bound, saving
from secamb_journey.access import staff_page


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def assure(request, reference):
    """A confirmation page (GET) and the sign-off itself (POST). The rules are the model's and the
    service's: this view only shows their answer. The same page offers the other answer to the review:
    "Not assured: return to the owner" (return_completion).
    """
    access = get_action_for_user(request, reference)
    action, refusal = access.action, access.assurance_refusal
    form = AssureForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the sign-off"):
            action_assure(action=action, lead=request.user)
        if form.is_valid():
            messages.success(request, f"{action.reference} is signed off as assured.")
            return redirect(action)
    return _assure_page(request, action=action, refusal=refusal, form=form, return_form=ReturnCompletionForm())


def _assure_page(request, *, action, refusal, form, return_form):
    return_form.helper.form_action = reverse("actions:return_completion", args=[action.reference])
    evidence = action_evidence(action=action)
    return render(
        request,
        "actions/assure_form.html",
        {"action": action, "form": form, "return_form": return_form, "refusal": refusal, "evidence_list": evidence},
    )


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def return_completion(request, reference):
    """The lead's other answer to a completion: not assured, returned to the owner with a reason. The
    four-eyes rule is the sign-off's (action_return_refusal); the form is on the sign-off page.
    """
    access = get_action_for_user(request, reference)
    action, refusal = access.action, access.assurance_refusal
    if request.method == "GET":
        return redirect("actions:assure", reference=action.reference)
    return_form = ReturnCompletionForm(request.POST)
    if return_form.is_valid():
        with saving(return_form, "the return"):
            action_return_completion(action=action, lead=request.user, reason=return_form.cleaned_data["reason"])
        if return_form.is_valid():
            messages.success(request, f"{action.reference} is returned to its owner, not assured.")
            return redirect(action)
    return _assure_page(request, action=action, refusal=refusal, form=AssureForm(), return_form=return_form)
