"""Staff pages for creating and editing an action."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.access import get_action_for_user
from actions.forms.editing import ActionForm
from actions.models import Action
from actions.services.editing import StaleEdit, action_create, action_update
from actions.signals import made_internal
from actions.views.common import bound, saving
from secamb_journey.access import staff_page


@require_http_methods(["GET", "POST"])
@staff_page("actions.add_action")
def action_new(request):
    form = ActionForm(bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the new action"):
            action = action_create(creator=request.user, data=form.service_data())
        if form.is_valid():
            messages.success(request, f"Action {action.reference} created.")
            return redirect(action)
    return render(request, "actions/action_form.html", {"form": form, "action": None, "heading": form.title})


@require_http_methods(["GET", "POST"])
@staff_page("actions.change_action")
def action_edit(request, reference):
    action = get_action_for_user(request, reference, need="edit").action
    form = ActionForm(bound(request)[0], instance=action)
    refusal = None
    was_public = action.is_public
    if request.method == "POST" and form.is_valid():
        try:
            with saving(form, "your changes", let_through=(StaleEdit,)):
                saved = action_update(
                    action=action,
                    editor=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as stale:
            # Show what is stored now (with the version it is at), and say what changed meanwhile.
            refusal = stale.message
            action = get_action_for_user(request, reference).action
            form = ActionForm(instance=action)
        else:
            if form.is_valid():
                messages.success(request, f"Changes to {action.reference} saved.")
                if was_public and not saved.is_public:
                    made_internal.send(sender=Action, action=saved, request=request)
                return redirect(action)
    status = 409 if refusal else 200
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "action": action, "refusal": refusal, "heading": form.title},
        status=status,
    )
