"""Staff URLs for committees, their agendas and meetings (/committees/...)."""

from django.urls import path

from actions.views import governance

app_name = "committees"

urlpatterns = [
    path("", governance.committee_list, name="list"),
    path("<int:committee_id>/", governance.committee_detail, name="detail"),
    path("meetings/<int:meeting_id>/", governance.meeting_detail, name="meeting"),
    path("decisions/<int:decision_id>/", governance.decision_record, name="decide"),
]
