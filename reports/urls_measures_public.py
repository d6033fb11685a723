"""Public URLs for measures (DESIGN.md, interface contract): /performance/ and the measures' open data.

Routed here, not in measures, so that they are cached like every other public page: the public cache
lives in reports, and measures may not depend on reports. A change to a measure, its values or its
recalculations moves the public content generation on (secamb_journey.generations), so every process
sees it within a second.
"""

from django.urls import path

from measures.views import public
from reports.public_cache import public_cache

app_name = "measures_public"

urlpatterns = [
    path("performance/", public_cache(public.performance), name="performance"),
    path("performance/<slug:slug>/", public_cache(public.performance_detail), name="performance_detail"),
    path("open-data/measures.csv", public_cache(public.open_data_csv), name="open_data_csv"),
    path("open-data/measures/<slug:slug>.json", public_cache(public.open_data_json), name="open_data_json"),
]
