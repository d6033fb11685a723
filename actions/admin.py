"""Admin for actions. The progress log is append-only here too: entries can be read, never changed."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import (
    Action,
    ActionReopening,
    Committee,
    CommitteeDecision,
    DueDateRevision,
    Evidence,
    Meeting,
    ProgressUpdate,
    Regulation,
)


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
    # Status and percent follow the progress log, and assurance has its own four-eyes sign-off,
    # so the admin cannot set them directly.
    readonly_fields = ["status", "percent_complete", "completed_at", "assured_by", "assured_at", "last_progress_at"]
    inlines = [ProgressUpdateInline]
    list_select_related = ["pillar", "owner"]
    filter_horizontal = ["themes", "regulations"]

    def get_readonly_fields(self, request, obj=None):
        # A new due date is a revision (a reason, agreed by a lead who is not the owner): on the action
        # page, never a bare edit here. Governance dates follow the committee and review services.
        fields = [*self.readonly_fields, "original_due_date", *GOVERNANCE_READONLY]
        return [*fields, "due_date"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.original_due_date = obj.due_date  # kept for ever, as actions.services.action_create does
        super().save_model(request, obj, form, change)


GOVERNANCE_READONLY = ["ratified_at", "sustainability_review_due", "embedded_by", "embedded_at", "reopened_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Governance records are written by the services (with their four-eyes rules): read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DueDateRevision)
class DueDateRevisionAdmin(ReadOnlyAdmin):
    list_display = ["action", "previous_due_date", "new_due_date", "state", "requested_by", "decided_by", "decided_on"]
    list_filter = ["state"]
    search_fields = ["action__reference", "reason"]
    list_select_related = ["action", "requested_by", "decided_by"]


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["action", "meeting", "decision", "minute_reference", "recorded_by", "recorded_at"]
    list_filter = ["decision", "meeting__committee"]
    search_fields = ["action__reference", "minute_reference"]
    list_select_related = ["action", "meeting__committee", "recorded_by"]


@admin.register(ActionReopening)
class ActionReopeningAdmin(ReadOnlyAdmin):
    list_display = ["action", "reopened_at", "reopened_by", "previous_status", "status"]
    search_fields = ["action__reference", "reason"]
    list_select_related = ["action", "reopened_by"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["date"]
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Committees and their meeting dates are kept by administrators, like the schedules."""

    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "date"]
    list_filter = ["committee"]
    date_hierarchy = "date"
    list_select_related = ["committee"]


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "order"]


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
