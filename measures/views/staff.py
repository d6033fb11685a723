"""Staff pages for measures: the summary, one measure, entering and correcting values, CSV import.

As in actions/views.py: anonymous to sign in, no role or no permission 403, unknown measure 404; a form
is bound, one service called, and the page redirects.
"""

import datetime
import logging

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions.models import UploadKind
from actions.uploads import UPLOAD_KEPT_FOR, upload_for, upload_keep
from actions.views.common import saving
from measures import importing, selectors, tasks
from measures.forms import CorrectValueForm, MeasureImportForm, MeasureValueForm, SummaryFilterForm
from measures.models import ImportRun, Measure, MeasureValue, parse_period
from measures.services import measure_value_correct, measure_value_enter, recalculation_add
from secamb_journey.access import staff_page
from secamb_journey.middleware import accepts_uploads

logger = logging.getLogger(__name__)
STALLED = datetime.timedelta(minutes=10)


def get_measure_for_user(request, slug: str) -> Measure:
    """The measure with this slug for a viewer already checked for measures.view_measure; 404 otherwise."""
    measure = selectors.measure_for_slug(slug=slug, public_only=False)
    if measure is None:
        raise Http404("No measure has that name.")
    return measure


def get_measure_value_for_user(request, measure: Measure, period_text: str) -> MeasureValue:
    try:
        period = parse_period(measure.frequency, period_text)
    except ValueError:
        raise Http404("No such period.") from None
    value = selectors.measure_value_for_user(measure=measure, period=period)
    if value is None:
        raise Http404("No value for that period.")
    return value


def _bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@require_GET
@staff_page("measures.view_measure")
def summary(request):
    filters = SummaryFilterForm(request.GET or None)
    pillar = theme = None
    if filters.is_valid():
        pillar, theme = filters.cleaned_data["pillar"], filters.cleaned_data["theme"]
    # The table is the {% measures_summary %} tag's: computed and rendered once per change (issue 15).
    return render(
        request,
        "measures/summary.html",
        {
            "filters": filters,
            "pillar": pillar,
            "theme": theme,
            "can_import": request.user.has_perm("measures.import_measures"),
        },
    )


def _queue(run: ImportRun) -> None:
    try:
        tasks.import_measures_file.delay(run.pk)
    except Exception:  # the broker is down: the run waits, and its page says so
        logger.exception("Could not queue the import of %s (run %s)", run.name, run.pk)


@require_GET
@staff_page("measures.import_measures")
def import_run(request, pk):
    """A large import's progress, then its outcome: refreshes itself (a meta refresh, no JavaScript)."""
    run = ImportRun.objects.filter(pk=pk, uploaded_by=request.user).first()
    if run is None:
        raise Http404("No such import.")
    progress = importing.import_run_progress(run)
    # Not started after a while: the broker was down when it was confirmed, or the worker is. Sent again (at
    # most every 5 minutes; the task imports a run once however often it is sent), and the page says so.
    stalled = run.state == ImportRun.State.QUEUED and not progress and run.created_at < timezone.now() - STALLED
    if stalled and cache.add(f"measures:import-run:{run.pk}:resent", True, 300):
        _queue(run)
        run.refresh_from_db()
        stalled = run.state == ImportRun.State.QUEUED
    percent = round(100 * progress[0] / progress[1]) if progress and progress[1] else 0
    context = {"run": run, "progress": progress, "percent": percent, "stalled": stalled}
    return render(request, "measures/import_run.html", context)


@require_GET
@staff_page("measures.view_measure")
def detail(request, slug):
    measure = get_measure_for_user(request, slug)
    mc = selectors.measure_chart(measure, page=request.GET.get("page"))
    return render(
        request,
        "measures/detail.html",
        {
            "mc": mc,
            "points_page": selectors.points_page(mc),
            "measure": measure,
            "history": selectors.measure_value_history(measure, shown=mc.shown),
            "can_enter": request.user.has_perm("measures.add_measurevalue"),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_page("measures.add_measurevalue")
def value_new(request, slug):
    measure = get_measure_for_user(request, slug)
    form = MeasureValueForm(*_bound(request)[:1], measure=measure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with saving(form, "the value"), transaction.atomic():
            measure_value_enter(
                measure=measure, period=data["period"], value=data["value"], user=request.user, note=data["note"]
            )
            if data["rebase"]:
                recalculation_add(measure=measure, period=data["period"], reason=data["reason"], user=request.user)
        if form.is_valid():
            messages.success(request, f"Value saved for {measure.period_words(data['period'])}.")
            return redirect(measure.get_absolute_url())
    return render(request, "measures/value_form.html", {"form": form, "measure": measure})


@require_http_methods(["GET", "POST"])
@staff_page("measures.change_measurevalue")
def value_correct(request, slug, period):
    measure = get_measure_for_user(request, slug)
    value = get_measure_value_for_user(request, measure, period)
    form = CorrectValueForm(*_bound(request)[:1], initial={"value": repr(value.value)})
    if request.method == "POST" and form.is_valid():
        with saving(form, "the correction"):
            measure_value_correct(
                value=value, new_value=form.cleaned_data["value"], user=request.user, note=form.cleaned_data["note"]
            )
        if form.is_valid():
            messages.success(
                request, f"Value for {measure.period_words(value.period)} corrected; the old one is in the history."
            )
            return redirect(measure.get_absolute_url())
    return render(request, "measures/value_form.html", {"form": form, "measure": measure, "value": value})


@accepts_uploads
@require_http_methods(["GET", "POST"])
@staff_page("measures.import_measures")
def import_file(request):
    """Upload (preview, nothing saved), then confirm (all or nothing), as the action import does: the
    file waits on the server (actions.uploads) and the confirmation names its digest.
    """
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = MeasureImportForm(*_bound(request))
    preview, file_name, digest = None, "", ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(importing.MAX_IMPORT_BYTES + 1)
        file_name = upload.name
        try:
            preview = importing.check_file(content=content)
        except importing.ImportFileProblem as problem:
            form.add_error("file", str(problem))
        else:
            digest = upload_keep(kind=UploadKind.MEASURES, user=request.user, name=file_name, content=content).sha256
    return render(
        request, "measures/import.html", {"form": form, "preview": preview, "file_name": file_name, "digest": digest}
    )


def _import_confirm(request):
    digest = request.POST.get("confirm", "")
    with transaction.atomic():
        stored = upload_for(kind=UploadKind.MEASURES, user=request.user, sha256=digest, lock=True)
        if stored is None:
            # Confirmed twice: the first confirmation of a large file queued it; show its progress.
            recent = timezone.now() - UPLOAD_KEPT_FOR
            run = ImportRun.objects.filter(uploaded_by=request.user, sha256=digest, created_at__gte=recent).first()
            if run is not None:
                return redirect(run)
            messages.error(request, "That preview has expired or belongs to another file. Upload the file again.")
            return redirect("measures:import")
        content = bytes(stored.content)
        large = importing.row_count(content) > importing.LARGE_IMPORT_ROWS
        if large:
            run, created = importing.import_run_queue(upload=stored, user=request.user)
            if created:
                transaction.on_commit(lambda: _queue(run))
            return redirect(run)
    try:
        preview = importing.import_file(content=content, user=request.user)
    except importing.ImportRefused as refused:
        context = {"form": MeasureImportForm(), "preview": refused.preview, "file_name": stored.name}
        return render(request, "measures/import.html", {**context, "digest": stored.sha256, "refused": True})
    except (importing.ImportFileProblem, ValidationError) as problem:
        messages.error(request, f"Nothing was imported: {problem}")
        return redirect("measures:import")
    except DatabaseError:
        logger.exception("The database refused the import of %s", stored.name)
        messages.error(request, "We could not import the file just now. Nothing was saved. Try again.")
        return redirect("measures:import")
    stored.delete()
    changed = sum(1 for row in preview.rows if row.outcome != "Unchanged")
    messages.success(request, f"Imported {changed} row{'s' if changed != 1 else ''} from {stored.name}.")
    return redirect("measures:summary")
