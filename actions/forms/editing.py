"""Forms that create and edit actions, one by one or from a spreadsheet."""

from django import forms

from actions.forms.fields import ChecklistChoiceField, PersonChoiceField, people_in_roles, reason_field
from actions.models import Action, Regulation
from actions.services.editing import CREATE_FIELDS, action_reference_problem
from secamb_journey.forms import EMPTY_FILE, NHSFormMixin
from themes.models import Theme


class ActionForm(NHSFormMixin, forms.ModelForm):
    """Create (all fields) or edit (reference and type fixed) an action. Status and percent complete are
    not on this form: they follow the progress log.
    """

    title = "Create an action"
    submit_text = "Create action"

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Only when editing: a new due date is a revision, and a revision has a reason (actions.services).
    due_date_reason = reason_field(
        "Reason for a new due date",
        help_text="Needed only if you change the due date. The original due date is kept; the new one is recorded "
        "as a revision with this reason.",
        rows=2,
    )

    class Meta:
        model = Action
        fields = list(CREATE_FIELDS)
        field_classes = {
            "owner": PersonChoiceField,
            "executive_lead": PersonChoiceField,
            "themes": ChecklistChoiceField,
            "regulations": ChecklistChoiceField,
        }
        widgets = {
            "action_type": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "regulations": forms.CheckboxSelectMultiple,
            "cqc_finding": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "reference": forms.TextInput(attrs={"class": "nhsuk-input--width-10", "spellcheck": "false"}),
        }
        labels = {"is_public": "Show this action on the public site and in open data"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            self.title = "Change the action's details"
            self.submit_text = "Save changes"
            self.helper = self.build_helper()
            # The reference is how people and reports refer to the action, and its prefix says its type.
            for name in ("reference", "action_type"):
                del self.fields[name]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
            names = [name for name in self.fields if name != "due_date_reason"]
            names.insert(names.index("due_date") + 1, "due_date_reason")
            self.order_fields(names)
            self.fields["due_date_reason"].conditionally_required = True
        else:
            del self.fields["version"]
            del self.fields["due_date_reason"]
        if not editing:
            self.fields["action_type"].choices = [c for c in self.fields["action_type"].choices if c[0]]
        for name in ("owner", "executive_lead"):
            self.fields[name].queryset = people_in_roles(
                also=[self.instance.owner_id, self.instance.executive_lead_id] if editing else ()
            )
            self.fields[name].empty_label = "Select a person"
        self.fields["pillar"].empty_label = "Select a pillar"
        self.fields["themes"].queryset = Theme.objects.order_by("number")
        self.fields["regulations"].queryset = Regulation.objects.order_by("order", "number")
        self.fields["cqc_regulation"].choices = [
            ("", "No regulation"),
            *[c for c in self.fields["cqc_regulation"].choices if c[0]],
        ]

    def clean(self):
        cleaned = super().clean()
        if "reference" in self.fields and cleaned.get("reference"):
            cleaned["reference"] = cleaned["reference"].strip().upper()
            problem = action_reference_problem(reference=cleaned["reference"], action_type=cleaned.get("action_type"))
            if problem:
                self.add_error("reference", problem)
        return cleaned

    def validate_unique(self):
        # A reference already used is refused by the service, under its lock, with the reference named.
        pass

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ImportForm(NHSFormMixin, forms.Form):
    title = "Import an action plan"
    submit_text = "Check the file"

    file = forms.FileField(
        label="Action plan file",
        help_text="A CSV file or an Excel workbook (.xlsx), with one action a row and a heading row first.",
        error_messages={"required": "Select the action plan file", "empty": EMPTY_FILE},
    )
