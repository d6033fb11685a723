"""Admin for enrolment codes (an administrator issues one, shown once, and sees who has which) and for the
trust profile (a communications editor or an administrator edits the trust's public words, with history)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from secamb_journey.enrolment import enrolment_code_issue
from secamb_journey.models import EnrolmentCode, TrustProfile
from secamb_journey.profile import (
    ADMIN_FIELDS,
    REASON_NEEDED,
    profile_version,
    stale_profile_edit,
    trust_profile_edit,
)


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    list_display = ["user", "issued_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["user", "issued_by"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return False  # a code is issued, used, or replaced by a new one; never edited

    def save_model(self, request, obj, form, change):
        # Issued through the service (which hashes it and revokes any earlier one); the admin keeps the record.
        record, code = enrolment_code_issue(user=obj.user, issued_by=request.user)
        obj.pk = record.pk
        obj.__dict__.update({k: v for k, v in record.__dict__.items() if k != "_state"})
        obj._state.adding = False
        expires = date_format(localtime(record.expires_at), "j F Y, H:i")
        messages.warning(
            request,
            f"Enrolment code for {obj.user.get_username()}: {code}. Tell them in person or by phone (never "
            f"by e-mail); it is shown only this once, works once, and expires {expires}.",
        )


# The admin keeps the posted form on the page, but does not show the current words above it.
ADMIN_ADVICE = (
    "Nothing you typed is lost, and nothing of theirs was overwritten: your words are still in the form. Open the"
    " profile in another tab to see theirs, combine the two, then save again."
)


class TrustProfileAdminForm(forms.ModelForm):
    """The admin's change (and history revert) of the profile: with the reason kept in its history, and refused
    when someone saved it after the form was opened, as on the communications editors' page."""

    # The version saved when the form was opened (of the row as it is, also when reverting to an older one).
    read = forms.CharField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reason for the change", max_length=100, required=False, help_text="Kept in the profile's history."
    )

    class Meta:
        model = TrustProfile
        fields = list(ADMIN_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = TrustProfile.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if saved is not None and not self.is_bound:
            self.initial["read"] = profile_version(saved)

    def clean(self):
        cleaned = super().clean()
        saved = TrustProfile.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if saved is None:
            return cleaned
        # Checked again by trust_profile_edit under a row lock; here, so that the admin keeps the words typed.
        if profile_version(saved) != cleaned.get("read", ""):
            raise stale_profile_edit(saved, cleaned.get("read", ""), advice=ADMIN_ADVICE)
        changed = [name for name in ADMIN_FIELDS if name in cleaned and cleaned[name] != getattr(saved, name)]
        if changed and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", REASON_NEEDED)
        return cleaned


@admin.register(TrustProfile)
class TrustProfileAdmin(SimpleHistoryAdmin):
    """One row. Its validators run here as in the loader (model field validation, `full_clean`); the three
    texts are Markdown, which every page renders through the same sanitising renderer as published updates.
    A change or a revert goes through trust_profile_edit, as the communications editors' page does."""

    form = TrustProfileAdminForm

    def get_fieldsets(self, request, obj=None):
        record = [("Why", {"fields": ["change_reason", "read"]})] if obj is not None else []
        return [
            ("The trust", {"fields": ["full_name", "short_name", "ods_code", "logo_name", "logo_descriptor"]}),
            ("The service", {"fields": ["service_name", "programme_name", "contact_email", "access_email"]}),
            ("The public home page (Markdown)", {"fields": ["introduction", "purpose", "strategy"]}),
            *record,
        ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TrustProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # every page reads it; a new trust loads or edits its profile over this one

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        saved = trust_profile_edit(
            editor=request.user,
            data=form.cleaned_data,
            read=form.cleaned_data.get("read", ""),
            reason=form.cleaned_data.get("change_reason", ""),
            fields=ADMIN_FIELDS,
            advice="Nothing was saved: make your change again on the profile as it is now.",
        )
        obj.__dict__.update(saved.__dict__)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            return self._refused(request, refusal)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as refusal:
            return self._refused(request, refusal)

    def _refused(self, request, refusal):
        # A save that passed the form's check but lost the race to another, refused by trust_profile_edit
        # under its lock: nothing was saved, and the page says so.
        self.message_user(request, " ".join(refusal.messages), level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())
