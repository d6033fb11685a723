"""Staff URLs for committees, their agendas and meetings (/committees/...)."""

from django.urls import path

from actions import views_governance as views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("<int:committee_id>/", views.committee_detail, name="detail"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("decisions/<int:decision_id>/", views.decision_record, name="decide"),
]
