"""Leavers' actions: the open actions whose owner's account is switched off, and giving them a new owner.

Kept in one module of its own (the read, the write, the form and the page) so the feature merges
cleanly beside other work on the actions app; the rule itself is in actions.selectors.actions_needing_new_owner alone.
An account is switched off by the daily leavers run (secamb_journey/accounts) or by an administrator;
nothing of the leaver's is deleted.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.figures_cache import figures_cached
from actions.forms import PersonChoiceField, people_in_roles
from actions.models import Action
from actions.selectors import actions_needing_new_owner, person_name
from actions.services.editing import EDITABLE_FIELDS, M2M_FIELDS, action_update
from secamb_journey.access import staff_page
from secamb_journey.forms import NHSFormMixin

# --- Reads ---------------------------------------------------------------------------------------


@figures_cached  # on every dashboard: a join of every open action to its owner (issue 15's profile)
def count_actions_needing_new_owner() -> int:
    return actions_needing_new_owner().order_by().count()


# --- Writes --------------------------------------------------------------------------------------


def actions_reassign_owner(*, actions, new_owner, editor) -> list[Action]:
    """Give each of `actions` (leavers' open actions) to `new_owner`, all or none, each through
    action_update so the version, history and e-mails are those of any other change of owner. An action
    that has meanwhile been given an active owner (by another lead) is refused rather than taken.
    """
    if not editor.has_perm("actions.change_action"):
        raise PermissionDenied("Only an improvement lead can give actions a new owner.")
    if not new_owner.is_active:
        raise ValidationError({"new_owner": "That person's account is switched off: choose someone else."})
    changed = []
    with transaction.atomic():
        for action in actions:
            current = Action.objects.select_for_update().select_related("owner").get(pk=action.pk)
            if current.owner.is_active:
                raise ValidationError(
                    {
                        "actions": f"{current.reference} has been given to {person_name(current.owner)} since you "
                        "opened this page. Nothing has been changed: choose again."
                    }
                )
            data = {name: getattr(current, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
            data["owner"] = new_owner
            changed.append(action_update(action=current, editor=editor, data=data, expected_version=current.version))
    return changed


# --- The form and the page -----------------------------------------------------------------------


class ActionChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.reference}: {obj.title} (was {person_name(obj.owner)})"


class ReassignOwnerForm(NHSFormMixin, forms.Form):
    title = "Give leavers' actions a new owner"
    submit_text = "Give them to this owner"

    actions = ActionChoices(
        queryset=Action.objects.none(),
        label="Actions",
        help_text="Select the actions to give to one new owner.",
        error_messages={"required": "Select at least one action"},
    )
    new_owner = PersonChoiceField(
        queryset=people_in_roles(),
        label="New owner",
        empty_label="Select a person",
        error_messages={"required": "Select the new owner"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions_needing_new_owner()
        self.fields["new_owner"].queryset = people_in_roles()


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
