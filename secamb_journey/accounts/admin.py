from django.contrib import admin

from secamb_journey.accounts.models import ProviderIdentity


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "issuer", "last_sign_in_at", "deactivated_at", "deactivation_reason")
    list_filter = ("deactivation_reason",)
    search_fields = ("subject", "user__username", "user__email", "user__last_name")
    # Written by sign-ins and the leavers task, never by hand: a wrong subject would hand one person's
    # account to another.
    readonly_fields = (
        "user",
        "issuer",
        "subject",
        "groups",
        "last_sign_in_at",
        "deactivated_at",
        "deactivation_reason",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False
