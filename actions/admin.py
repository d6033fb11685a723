"""Admin for actions. The progress log is append-only here too: entries can be read, never changed."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Evidence, ProgressUpdate


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fields = ["created_at", "author", "status", "percent_complete", "narrative", "public_highlight"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # progress is logged through the service, which enforces the rules

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "action_type", "pillar", "owner", "status", "percent_complete", "due_date"]
    list_filter = ["action_type", "pillar", "status", "is_public", "themes"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["owner", "executive_lead"]
    filter_horizontal = ["themes"]
    # Status and percent follow the progress log, and assurance has its own four-eyes sign-off,
    # so the admin cannot set them directly.
    readonly_fields = ["status", "percent_complete", "completed_at", "assured_by", "assured_at", "last_progress_at"]
    inlines = [ProgressUpdateInline]
    list_select_related = ["pillar", "owner"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "created_at", "author", "status", "percent_complete"]
    list_filter = ["status"]
    search_fields = ["action__reference", "narrative"]
    list_select_related = ["action", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["action", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["action__reference", "original_name", "description"]
    readonly_fields = [
        "action",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    list_select_related = ["action", "uploaded_by"]

    def has_add_permission(self, request):
        return False  # evidence is uploaded through the action page, which checks the file's kind
