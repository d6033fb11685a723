"""The actions app's staff URLs: actions (/actions/..., namespace "actions") and committees, their agendas
and meetings (/committees/..., namespace "committees"). The project includes this module at the root.
"""

from django.urls import include, path

from actions.views import assurance, editing, evidence, governance, leavers, register, spreadsheets

# The fixed words come before `<reference>/`, or they would be read as one.
action_patterns = [
    path("", register.register, name="register"),
    path("export.csv", spreadsheets.export_csv, name="export"),
    path("import/", spreadsheets.import_plan, name="import"),
    path("new/", editing.action_new, name="new"),
    path("mine/", register.my_actions, name="mine"),
    path("queue/", register.work_queue, name="queue"),
    path("needs-owner/", leavers.needs_new_owner, name="needs_owner"),
    path("<str:reference>/", register.action_detail, name="detail"),
    path("<str:reference>/progress/", evidence.log_progress, name="progress"),
    path("<str:reference>/evidence/", evidence.attach_evidence, name="evidence"),
    path("<str:reference>/evidence/<int:evidence_id>/", register.evidence_download, name="evidence_download"),
    path("<str:reference>/assure/", assurance.assure, name="assure"),
    path("<str:reference>/return/", assurance.return_completion, name="return_completion"),
    path("<str:reference>/edit/", editing.action_edit, name="edit"),
    # Governance (issue 13): due-date revisions, committees, sustainability, reopening.
    path("<str:reference>/due-date/", governance.due_date, name="due_date"),
    path("<str:reference>/due-date/<int:revision_id>/", governance.due_date_decide, name="due_date_decide"),
    path("<str:reference>/committee/", governance.put_to_meeting, name="put_to_meeting"),
    path("<str:reference>/sustainability/", governance.sustainability_review, name="sustainability"),
    path("<str:reference>/reopen/", governance.reopen, name="reopen"),
]

committee_patterns = [
    path("", governance.committee_list, name="list"),
    path("<int:committee_id>/", governance.committee_detail, name="detail"),
    path("meetings/<int:meeting_id>/", governance.meeting_detail, name="meeting"),
    path("decisions/<int:decision_id>/", governance.decision_record, name="decide"),
]

urlpatterns = [
    path("actions/", include((action_patterns, "actions"))),
    path("committees/", include((committee_patterns, "committees"))),
]
