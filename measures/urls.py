"""Staff URLs for measures. The fixed words come before `<slug>/`, or they would be read as one."""

from django.urls import path

from measures.views import staff

app_name = "measures"

urlpatterns = [
    path("", staff.summary, name="summary"),
    path("import/", staff.import_file, name="import"),
    path("import/<int:pk>/", staff.import_run, name="import_run"),
    path("<slug:slug>/", staff.detail, name="detail"),
    path("<slug:slug>/values/new/", staff.value_new, name="value_new"),
    path("<slug:slug>/values/<str:period>/correct/", staff.value_correct, name="value_correct"),
]
