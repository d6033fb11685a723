"""Forms for the editorial pages: editing a draft update, publishing it, withdrawing it."""

from django import forms

from secamb_journey.forms import NHSFormMixin, NHSSubmit


class UpdateEditForm(NHSFormMixin, forms.Form):
    title = "Edit the draft update"
    submit_text = "Save draft"

    headline = forms.CharField(
        label="Headline",
        max_length=200,
        help_text="One line the public will see first, in the list of updates and in feed readers.",
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "Plain words for the public, in Markdown: a blank line between paragraphs, ## for a heading, "
            "- for a list, **bold**, [link text](https://...). HTML is shown as typed, never run. "
            "Do not name staff below executive lead."
        ),
    )
    # The version the editor opened: a save from a stale page is refused rather than overwriting.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_publish:
            # Publishing from here saves the edits first (reports.views.editorial.update_detail).
            self.helper.add_input(NHSSubmit("publish", "Save and publish", css_class="nhsuk-button--secondary"))


class UpdatePublishForm(NHSFormMixin, forms.Form):
    title = "Publish this update"
    submit_text = "Publish update"


class UpdateWithdrawForm(NHSFormMixin, forms.Form):
    title = "Withdraw this update"
    submit_text = "Withdraw update"

    note = forms.CharField(
        label="Note for the public",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Shown on the public list of updates in place of this one, for example: "
            "“Withdrawn because the figures for People and Culture were wrong. A corrected update will follow.”"
        ),
    )


class RedactionForm(NHSFormMixin, forms.Form):
    title = "Redact these words"
    submit_text = "Redact the words"

    reason = forms.CharField(
        label="Why they are removed",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Shown in their place, after “Removed on <today>:”, for example: “a patient’s name entered by mistake”. "
            "Do not repeat the words removed."
        ),
    )
