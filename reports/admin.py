from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ProgressSnapshot, PublishedUpdate


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(admin.ModelAdmin):
    list_display = ["taken_on", "scope", "pillar", "theme", "action_type", "total", "overdue"]
    list_filter = ["scope", "taken_on"]
    date_hierarchy = "taken_on"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublishedUpdate)
class PublishedUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["period", "headline", "status", "published_at"]
    list_filter = ["status"]
    # Figures are frozen by the service; publication goes through /reports/updates/.
    readonly_fields = [
        "figures",
        "status",
        "drafted_at",
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawn_by",
    ]
