"""Leavers' actions: the open actions whose owner's account is switched off, and giving them a new owner.

The rule is actions.selectors.leavers.actions_needing_new_owner alone. An account is switched off by the daily
leavers run (secamb_journey/accounts) or by an administrator; nothing of the leaver's is deleted.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.forms.leavers import ReassignOwnerForm
from actions.selectors.history import person_name
from actions.selectors.leavers import actions_needing_new_owner
from actions.services.leavers import actions_reassign_owner
from secamb_journey.access import staff_page


@require_http_methods(["GET", "POST"])
@staff_page("actions.change_action")
def needs_new_owner(request):
    """The improvement leads' list of leavers' open actions, and the one form that reassigns them."""
    form = ReassignOwnerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions_reassign_owner(
                actions=list(form.cleaned_data["actions"]),
                new_owner=form.cleaned_data["new_owner"],
                editor=request.user,
            )
        except ValidationError as refusal:
            for field, errors in refusal.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            references = ", ".join(action.reference for action in changed)
            messages.success(request, f"{references} now owned by {person_name(form.cleaned_data['new_owner'])}.")
            return redirect("actions:needs_owner")
    actions = list(actions_needing_new_owner())
    return render(request, "actions/needs_owner.html", {"form": form, "actions": actions})
