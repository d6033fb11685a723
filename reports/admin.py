"""Admin for reports: read-only. Snapshots are taken by the task; published updates are drafted,
edited, published and withdrawn through /reports/updates/ (reports.services), because what the
public read must never change after publication and the public cache must hear of every change."""

from django.contrib import admin

from reports.models import ProgressSnapshot, PublishedUpdate
from secamb_journey.admin_readonly import ViewOnlyHistoryAdmin


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(admin.ModelAdmin):
    list_display = ["taken_on", "scope", "pillar", "theme", "action_type", "total", "overdue"]
    list_filter = ["scope", "taken_on"]
    date_hierarchy = "taken_on"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublishedUpdate)
class PublishedUpdateAdmin(ViewOnlyHistoryAdmin):
    list_display = ["period", "headline", "status", "published_at"]
    list_filter = ["status"]
