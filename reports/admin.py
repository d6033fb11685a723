"""Admin for reports: read-only. Snapshots are taken by the task; published updates are drafted,
edited, published and withdrawn through /reports/updates/ (reports.services), because what the
public read must never change after publication and the public cache must hear of every change."""

from django.contrib import admin

from reports.models import BoardPack, ProgressSnapshot, PublishedUpdate
from secamb_journey.admin_readonly import ViewOnlyAdmin, ViewOnlyHistoryAdmin


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(ViewOnlyAdmin):
    """A cache of actions.figures, written only by `take_snapshot` (and rebuilt by `--rebuild`)."""

    list_display = ["taken_on", "scope", "pillar", "theme", "action_type", "total", "overdue"]
    list_filter = ["scope", "taken_on"]
    date_hierarchy = "taken_on"


@admin.register(PublishedUpdate)
class PublishedUpdateAdmin(ViewOnlyHistoryAdmin):
    list_display = ["period", "headline", "status", "published_at"]
    list_filter = ["status"]


@admin.register(BoardPack)
class BoardPackAdmin(ViewOnlyAdmin):
    """Board packs are frozen papers: made by the task or `manage.py generate_board_pack`, never edited."""

    list_display = ["title", "version", "as_of", "generated_at", "ask"]
    list_filter = ["ask", "as_of"]
    # The PDF's bytes and the HTML are read at /board-packs/<id>/; the admin shows what identifies them.
    exclude = ["pdf", "html", "figures"]
    readonly_fields = ["pdf_sha256"]
