"""The form that gives leavers' open actions one new owner."""

from django import forms

from actions.forms.fields import PersonChoiceField, people_in_roles
from actions.models import Action
from actions.selectors.history import person_name
from actions.selectors.leavers import actions_needing_new_owner
from secamb_journey.forms import NHSFormMixin


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
