"""Staff URLs for actions. The fixed words come before `<reference>/`, or they would be read as one."""

from django.urls import path

from actions import leavers, views, views_evidence, views_governance

app_name = "actions"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_plan, name="import"),
    path("new/", views.action_new, name="new"),
    path("mine/", views.my_actions, name="mine"),
    path("queue/", views.work_queue, name="queue"),
    path("needs-owner/", leavers.needs_new_owner, name="needs_owner"),
    path("<str:reference>/", views.action_detail, name="detail"),
    path("<str:reference>/progress/", views_evidence.log_progress, name="progress"),
    path("<str:reference>/evidence/", views_evidence.attach_evidence, name="evidence"),
    path("<str:reference>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("<str:reference>/assure/", views.assure, name="assure"),
    path("<str:reference>/return/", views.return_completion, name="return_completion"),
    path("<str:reference>/edit/", views.action_edit, name="edit"),
    # Governance (issue 13): due-date revisions, committees, sustainability, reopening.
    path("<str:reference>/due-date/", views_governance.due_date, name="due_date"),
    path("<str:reference>/due-date/<int:revision_id>/", views_governance.due_date_decide, name="due_date_decide"),
    path("<str:reference>/committee/", views_governance.put_to_meeting, name="put_to_meeting"),
    path("<str:reference>/sustainability/", views_governance.sustainability_review, name="sustainability"),
    path("<str:reference>/reopen/", views_governance.reopen, name="reopen"),
]
