"""Forms for logging progress, attaching evidence and signing off.

Forms parse what was typed; the rules (complete needs evidence, four eyes, no stale overwrite) live in
actions.services and come back as ValidationErrors the view adds to the form.
"""

from crispy_forms.layout import Hidden
from django import forms
from django.conf import settings
from django.utils.html import format_html

from actions.choices import SIGNED_OFF_STATUSES, Status
from actions.models import Action, Evidence, EvidenceKind, ProgressUpdate
from actions.models.states import status_is_done
from actions.uploads import evidence_held_file
from secamb_journey.forms import EMPTY_FILE, NHSFormMixin, size_in_words


class OffersHeldEvidence:
    """A form with an evidence file that may come back with an error: the file chosen then is held on the
    server (actions.uploads.evidence_hold) and offered here, "You chose report.pdf", so it need not be
    chosen again; choosing another replaces it, and a tick removes it. Mix in before NHSFormMixin; the
    view calls offer_held before validating the form.
    """

    file_field = "evidence_file"
    held = None

    def offer_held(self, held) -> None:
        self.held = held
        field = self.fields[self.file_field]
        # Not needed again (the held file stands in), yet not "(optional)" where a file is required.
        field.conditionally_required = field.required or getattr(field, "conditionally_required", False)
        field.required = False
        field.help_text = format_html(
            "You chose <strong>{}</strong>. It is kept for you, so you need not choose it again; to use a "
            "different file, choose it here. {}",
            held.name,
            field.help_text,
        )
        self.fields["remove_held_evidence"] = forms.BooleanField(
            label=f"Remove {held.name}", required=False, help_text="Attach no file, or choose another above."
        )
        names = [name for name in self.fields if name != "remove_held_evidence"]
        names.insert(names.index(self.file_field) + 1, "remove_held_evidence")
        self.order_fields(names)
        inputs = [i for i in self.helper.inputs if getattr(i, "name", "") != "held_evidence"]
        self.helper.inputs = [*inputs, Hidden("held_evidence", str(held.pk))]

    def chosen_file(self):
        """The file chosen now, or else the held one: what to attach."""
        uploaded = self.cleaned_data.get(self.file_field)
        if uploaded:
            return uploaded
        return evidence_held_file(self.held) if self.held is not None else None


class ProgressForm(OffersHeldEvidence, NHSFormMixin, forms.Form):
    title = "Log progress"
    submit_text = "Save progress"

    narrative = forms.CharField(
        label="What has been done since the last update?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=ProgressUpdate.NARRATIVE_MAX_LENGTH,
        help_text="Internal: staff and the board see this. Say what happens next, too.",
        error_messages={"required": "Enter what has been done since the last update"},
    )
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in Status if s not in SIGNED_OFF_STATUSES],
        error_messages={"required": "Select the action's status"},
    )
    percent_complete = forms.IntegerField(
        label="Percent complete",
        min_value=0,
        max_value=100,
        # The service sets 100 for a complete action; for any other status it asks for the figure.
        required=False,
        help_text="A whole number from 0 to 100. Not needed when you mark the action complete: it becomes 100.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "required": "Enter the percent complete, from 0 to 100",
            "invalid": "Percent complete must be a whole number from 0 to 100",
            "min_value": "Percent complete must be a whole number from 0 to 100",
            "max_value": "Percent complete must be a whole number from 0 to 100",
        },
    )
    evidence_file = forms.FileField(
        label="Evidence file",
        required=False,
    )
    evidence_description = forms.CharField(
        label="What does this evidence show?",
        required=False,
        max_length=Evidence.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed if you choose a file.",
    )
    public_highlight = forms.CharField(
        label="Public highlight (optional)",
        required=False,
        max_length=ProgressUpdate.HIGHLIGHT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two plain sentences the public may read in a published update. No names.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choice_hints = {
            Status.COMPLETE.value: (
                "Attach the evidence below (or have attached it already). Percent complete becomes 100, and an "
                "improvement lead then signs it off as assured."
            )
        }
        limit = size_in_words(settings.EVIDENCE_MAX_BYTES)
        existing = action.evidence.count()
        self.fields["evidence_file"].help_text = (
            "This action has evidence already; add more if you wish. " if existing else "Needed to mark it complete. "
        ) + f"PDF, Word, Excel, CSV, plain text, PNG or JPEG, smaller than {limit}."
        # Needed for every status but complete (the service sets 100 then), and the description with a
        # file: not "(optional)" in their labels.
        self.fields["percent_complete"].conditionally_required = True
        self.fields["evidence_description"].conditionally_required = True
        if not self.is_bound:
            self.initial.setdefault("status", "" if action.is_signed_off else action.status)
            self.initial.setdefault("percent_complete", action.percent_complete)

    def clean(self):
        cleaned = super().clean()
        # Said with the form's other errors, so the person sees everything missing at once; the service
        # still decides (a complete action is 100%, whatever is typed here).
        status = cleaned.get("status")
        if status and not status_is_done(status) and cleaned.get("percent_complete") is None:
            if "percent_complete" not in self.errors:
                self.add_error("percent_complete", "Enter the percent complete, from 0 to 100")
        return cleaned

    def service_data(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "remove_held_evidence"}
        return {**data, "evidence_file": self.chosen_file()}


class EvidenceForm(OffersHeldEvidence, NHSFormMixin, forms.Form):
    title = "Attach evidence"
    submit_text = "Upload evidence"
    file_field = "file"

    file = forms.FileField(
        label="Evidence file",
        error_messages={"required": "Select the file to upload", "empty": EMPTY_FILE},
    )
    description = forms.CharField(
        label="What does this evidence show?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a description of what this evidence shows"},
    )
    kind = forms.ChoiceField(
        label="Kind of evidence",
        widget=forms.RadioSelect,
        choices=EvidenceKind.choices,
        initial=EvidenceKind.COMPLETION,
        required=False,
        help_text="Sustained change: shown at the sustainability review, months after a committee ratified the action.",
    )

    def clean_kind(self):
        # Left unchosen, evidence is of completion: the common case, and what older clients send.
        return self.cleaned_data.get("kind") or EvidenceKind.COMPLETION

    def clean(self):
        cleaned = super().clean()
        if self.held is not None and not cleaned.get("file") and "file" not in self.errors:
            cleaned["file"] = self.chosen_file()
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting: the hint says the one in force.
        limit = size_in_words(settings.EVIDENCE_MAX_BYTES)
        self.fields["file"].help_text = f"PDF, Word, Excel, CSV, plain text, PNG or JPEG, smaller than {limit}."


class AssureForm(NHSFormMixin, forms.Form):
    title = "Sign off as assured"
    submit_text = "Sign off as assured"
