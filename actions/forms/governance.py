"""Forms for governing actions: due-date revisions, committee decisions, sustainability, reopening.

They parse what was typed; the rules live in actions/services/.
"""

from django import forms

from actions.choices import Status
from actions.forms.fields import reason_field
from actions.models import Decision, Meeting
from actions.services.reopening import REOPEN_STATUSES
from secamb_journey.forms import NHSFormMixin, NHSSubmit


class DueDateRevisionForm(NHSFormMixin, forms.Form):
    title = "Ask for a new due date"
    submit_text = "Ask for the new date"

    new_due_date = forms.DateField(label="New due date", help_text="For example, 31 3 2027")
    reason = reason_field(
        "Why does the due date need to change?",
        missing="Enter why the due date needs to change",
        help_text="The reason is kept with the revision and shown on the public plan for a public action.",
    )

    def __init__(self, *args, agrees_at_once: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if agrees_at_once:
            self.title = "Revise the due date"
            self.submit_text = "Agree the new due date"
            self.helper = self.build_helper()


class RevisionDecisionForm(NHSFormMixin, forms.Form):
    title = "Decide on the new due date"
    submit_text = "Record the decision"
    reveals = {"decision": {"refuse": ["refusal_reason"]}}

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("agree", "Agree the new due date"), ("refuse", "Refuse it: the due date stays as agreed")],
    )
    refusal_reason = reason_field(
        "Why is it refused?",
        help_text="The owner reads this. For a public action it is shown on the public plan: no names.",
        rows=3,
    )

    def clean(self):
        cleaned = super().clean()
        # Said with the form's other errors; the service decides (due_date_revision_decide) all the same.
        if cleaned.get("decision") == "refuse" and not (cleaned.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", "Enter why the new due date is refused")
        return cleaned


class PutToMeetingForm(NHSFormMixin, forms.Form):
    title = "Put to a committee for ratification"
    submit_text = "Put on the agenda"

    meeting = forms.ModelChoiceField(label="Meeting", queryset=Meeting.objects.none(), empty_label="Select a meeting")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.select_related("committee").order_by("-date")


class CommitteeDecisionForm(NHSFormMixin, forms.Form):
    title = "Record the committee's decision"
    submit_text = "Record the decision"
    reveals = {"decision": {Decision.RATIFIED: ["review_due"], Decision.RETURNED: ["reason"]}}

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[(Decision.RATIFIED, "Ratified"), (Decision.RETURNED, "Returned")],
    )
    reason = reason_field(
        "Why was it returned?", help_text="For a public action this is published on the public plan: no names.", rows=3
    )
    review_due = forms.DateField(
        label="Sustainability review date",
        required=False,
        help_text="Leave it empty for three months after the meeting. For example, 15 3 2027",
    )
    minute_reference = forms.CharField(label="Minute reference", max_length=100, help_text="For example QGC/26/041")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.RETURNED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why the committee returned the action")
        return cleaned


class SustainabilityReviewForm(NHSFormMixin, forms.Form):
    title = "Review sustainability"
    submit_text = "Confirm: the change is embedded"

    narrative = forms.CharField(
        label="What does the sustainability evidence show?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ReopenForm(NHSFormMixin, forms.Form):
    title = "Reopen this action"
    submit_text = "Reopen the action"

    reason = reason_field(
        "Why is the action reopened?",
        missing="Enter why the action is reopened",
        help_text="For a public action this is published (the public plan, the next update): no names.",
    )
    status = forms.ChoiceField(
        label="Status from now",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in Status if s in REOPEN_STATUSES],
    )
    percent_complete = forms.IntegerField(
        label="Percent complete now",
        min_value=0,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        help_text="From 0 to 99: a reopened action has work still to do.",
    )
    new_due_date = forms.DateField(
        label="New due date",
        help_text="Agreed for the reopened work, after today. It is recorded as a revision of the due date, with "
        "the reason above. For example, 31 3 2027",
    )


class ReturnCompletionForm(NHSFormMixin, forms.Form):
    title = "Not assured: return to the owner"
    submit_text = "Return to the owner"

    reason = forms.CharField(
        label="Why is the completion not assured?",
        error_messages={"required": "Enter why the completion is not assured"},
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="The owner reads this at the top of the action and in their e-mail: say what is missing.",
    )

    def build_helper(self):
        # On the sign-off page, beside the sign-off form: its button needs a name (and id) of its own.
        helper = super().build_helper()
        helper.inputs = [NHSSubmit("return", self.submit_text)]
        return helper
