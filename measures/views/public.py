"""Public measure pages and open data: public measures only; an internal measure is 404 everywhere.

Cached for anonymous readers by reports.public_cache, where reports/urls_measures_public.py routes them
(measures may not depend on reports). Each is a fixed number of queries when it is rendered.
"""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from measures import selectors
from secamb_journey.profile import open_data_file_name


def get_public_measure(slug: str):
    measure = selectors.measure_for_slug(slug=slug, public_only=True)
    if measure is None:
        raise Http404("No public measure has that name.")
    return measure


# A trust publishes tens of measures, one page; a list of hundreds is paged rather than one page of
# hundreds of charts' icons for every reader (issue 15: a public list's first page is a page).
PERFORMANCE_PER_PAGE = 50


@require_safe
def performance(request):
    page, rows = selectors.measures_summary_page(
        public_only=True, number=request.GET.get("page"), per_page=PERFORMANCE_PER_PAGE
    )
    # The page rendered, for the public cache (reports.public_cache.rendered_page: measures may not
    # import reports): `?page=99999` is redirected to the last page's own URL, not stored as another page.
    request.public_cache_rendered_page = page.number
    return render(request, "measures/public_list.html", {"rows": rows, "page_obj": page})


@require_safe
def performance_detail(request, slug):
    measure = get_public_measure(slug)
    mc = selectors.measure_chart(measure, page=request.GET.get("page"))
    request.public_cache_rendered_page = mc.page  # `?page=99999` is redirected to the last page's URL
    context = {"mc": mc, "measure": measure, "points_page": selectors.points_page(mc)}
    return render(request, "measures/public_detail.html", context)


def _csv_text(value) -> str:
    """Text a spreadsheet will not run as a formula; numbers are written in full (repr), never rounded."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
def open_data_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{open_data_file_name("measures")}"'
    writer = csv.writer(response)
    writer.writerow(selectors.OPEN_DATA_CSV_COLUMNS)
    for row in selectors.open_data_measure_rows():
        writer.writerow([_csv_text(cell) for cell in row])
    return response


@require_safe
def open_data_json(request, slug):
    measure = get_public_measure(slug)
    return JsonResponse(selectors.open_data_measure(selectors.measure_chart(measure)))
