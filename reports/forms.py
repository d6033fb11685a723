"""Forms for the editorial pages: editing a draft update, publishing it, withdrawing it; the trust profile."""

from django import forms

from reports.models import PublishedUpdate
from secamb_journey.forms import NHSFormMixin, NHSSubmit
from secamb_journey.models import TrustProfile
from secamb_journey.profile import EDITABLE_FIELDS

# How a Markdown link is written, kept on one line (split at "](" it reads as two broken words).
MARKDOWN_LINK = '<span class="app-nowrap">[link text](https://...)</span>'
# How Markdown is written here, after a field's own words.
MARKDOWN_HELP = (
    " In Markdown: a blank line between paragraphs, ## for a heading, - for a list, **bold**,"
    f" {MARKDOWN_LINK}. HTML is shown as typed, never run."
)


class UpdateEditForm(NHSFormMixin, forms.Form):
    title = "Edit the draft update"
    submit_text = "Save draft"

    headline = forms.CharField(
        label="Headline",
        max_length=PublishedUpdate.HEADLINE_MAX_LENGTH,
        help_text="One line the public will see first, in the list of updates and in feed readers.",
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=PublishedUpdate.NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Plain words for the public. Do not name staff below executive lead." + MARKDOWN_HELP,
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
        max_length=PublishedUpdate.WITHDRAWAL_NOTE_MAX_LENGTH,
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


MARKDOWN_FIELDS = ("introduction", "purpose", "strategy")


class TrustProfileForm(NHSFormMixin, forms.ModelForm):
    """The trust's names and public words. The model's validators check them (ModelForm's full_clean), as
    the admin's form and the loader do; the service checks them again for any other caller."""

    title = "Edit the trust profile"
    submit_text = "Save changes"

    # The version the editor opened (secamb_journey.profile.profile_version): a save from a stale page is refused.
    read = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="What you changed, and why",
        max_length=100,
        help_text="Kept in the profile's history with your name, for example: “Strategy refreshed, board 12 March”.",
    )

    class Meta:
        model = TrustProfile
        fields = EDITABLE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in MARKDOWN_FIELDS}
        help_texts = {
            "introduction": "The programme's introduction, at the top of the home page." + MARKDOWN_HELP,
            "purpose": "The trust's purpose, quoted under “Our purpose” on the home page." + MARKDOWN_HELP,
            "strategy": "The strategy statement, after the purpose." + MARKDOWN_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Previewing saves nothing: the page shows the three texts as the home page will.
        self.helper.inputs.insert(0, NHSSubmit("preview", "Preview", css_class="nhsuk-button--secondary"))
