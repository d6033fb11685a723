"""Public URLs for measures (DESIGN.md, interface contract): /performance/ and the measures' open data."""

from django.urls import path

from measures.views import public

app_name = "measures_public"

urlpatterns = [
    path("performance/", public.performance, name="performance"),
    path("performance/<slug:slug>/", public.performance_detail, name="performance_detail"),
    path("open-data/measures.csv", public.open_data_csv, name="open_data_csv"),
    path("open-data/measures/<slug:slug>.json", public.open_data_json, name="open_data_json"),
]
