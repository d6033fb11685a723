"""Admin for enrolment codes (an administrator issues one, shown once, and sees who has which) and for the
trust profile (a communications editor or an administrator edits the trust's public words, with history)."""

from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from secamb_journey.enrolment import enrolment_code_issue
from secamb_journey.models import EnrolmentCode, TrustProfile


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


@admin.register(TrustProfile)
class TrustProfileAdmin(SimpleHistoryAdmin):
    """One row. Its validators run here as in the loader (model field validation, `full_clean`); the three
    texts are Markdown, which every page renders through the same sanitising renderer as published updates."""

    fieldsets = [
        ("The trust", {"fields": ["full_name", "short_name", "ods_code", "logo_name", "logo_descriptor"]}),
        ("The service", {"fields": ["service_name", "programme_name", "contact_email", "access_email"]}),
        ("The public home page (Markdown)", {"fields": ["introduction", "purpose", "strategy"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TrustProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # every page reads it; a new trust loads or edits its profile over this one
