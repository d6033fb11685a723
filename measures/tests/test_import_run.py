"""A large values file is imported in the background after confirmation (issue 28, finding 2): the person
sees its progress on a page that refreshes itself without JavaScript, then the outcome; confirming twice
or a task run twice imports nothing twice. Small files stay in the request. (Celery runs eagerly here.)
"""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from measures import importing
from measures.models import Frequency, ImportRun, Measure, MeasureValue
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

ROWS = importing.LARGE_IMPORT_ROWS + 1


def _weeks(count: int) -> SimpleUploadedFile:
    first = datetime.date(1950, 1, 2)  # a Monday
    lines = ["measure,period,value"] + [
        f"weekly,{(first + datetime.timedelta(weeks=week)).isoformat()},{week}" for week in range(count)
    ]
    return SimpleUploadedFile("weeks.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def weekly():
    return MeasureFactory(slug="weekly", frequency=Frequency.WEEKLY)


def _preview(c, count=ROWS) -> str:
    return c.post("/measures/import/", {"file": _weeks(count)}).context["digest"]


def test_a_large_file_is_imported_in_the_background_and_its_page_says_how_it_went(
    client_for, lead, weekly, django_capture_on_commit_callbacks
):
    c = client_for(lead)
    digest = _preview(c)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = c.post("/measures/import/", {"confirm": digest})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/measures/import/{run.pk}/"
    assert len(queued) == 1
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.content == b""
    assert MeasureValue.objects.filter(measure=weekly).count() == ROWS
    html = c.get(run.get_absolute_url()).content.decode()
    assert f"Imported {ROWS:,} rows from weeks.csv." in html and 'http-equiv="refresh"' not in html


def test_confirming_twice_or_running_the_task_again_imports_nothing_twice(
    client_for, lead, weekly, django_capture_on_commit_callbacks
):
    c = client_for(lead)
    digest = _preview(c)
    with django_capture_on_commit_callbacks(execute=True):
        first = c.post("/measures/import/", {"confirm": digest})
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        second = c.post("/measures/import/", {"confirm": digest})
    assert second["Location"] == first["Location"] and not queued_again
    run = ImportRun.objects.get()
    importing.import_run(run.pk)  # a retried task, or the message delivered twice
    assert MeasureValue.objects.count() == ROWS
    assert MeasureValue.history.count() == ROWS  # one "+" record each, never a second import's


def test_while_it_waits_the_page_refreshes_itself_and_offers_a_link(client_for, lead, weekly):
    c = client_for(lead)
    digest = _preview(c)
    c.post("/measures/import/", {"confirm": digest})  # the commit's callbacks are not run: still queued
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.QUEUED and not MeasureValue.objects.exists()
    html = c.get(run.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert f'href="{run.get_absolute_url()}">Refresh this page</a>' in html and f"Importing {ROWS:,} rows" in html


def test_a_file_refused_in_the_background_names_the_rows_and_stores_nothing(
    client_for, lead, weekly, django_capture_on_commit_callbacks
):
    c = client_for(lead)
    digest = _preview(c)
    Measure.objects.filter(pk=weekly.pk).update(frequency=Frequency.MONTHLY)  # changed since the preview
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/measures/import/", {"confirm": digest})
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.REFUSED and not MeasureValue.objects.exists()
    html = c.get(run.get_absolute_url()).content.decode()
    assert "nothing was imported" in html and "Row 2, period: Enter the period as YYYY-MM" in html


def test_only_the_person_who_imported_sees_the_run(client_for, lead, other_lead, weekly):
    c = client_for(lead)
    c.post("/measures/import/", {"confirm": _preview(c)})
    run = ImportRun.objects.get()
    assert client_for(other_lead).get(run.get_absolute_url()).status_code == 404


def test_a_file_at_the_threshold_is_still_imported_in_the_request(client_for, lead, weekly):
    c = client_for(lead)
    done = c.post("/measures/import/", {"confirm": _preview(c, importing.LARGE_IMPORT_ROWS)})
    assert done["Location"] == "/measures/" and not ImportRun.objects.exists()
    assert MeasureValue.objects.count() == importing.LARGE_IMPORT_ROWS


def test_a_run_that_never_started_is_sent_again_from_its_page(client_for, lead, weekly):
    c = client_for(lead)
    c.post("/measures/import/", {"confirm": _preview(c)})  # queued, but the message never reached a worker
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(created_at=run.created_at - datetime.timedelta(minutes=11))
    cache.delete(f"measures:import-run:{run.pk}:resent")  # a run of the same id in an earlier test
    html = c.get(run.get_absolute_url()).content.decode()  # sent again: the eager worker imports it
    assert f"Imported {ROWS:,} rows" in html and MeasureValue.objects.count() == ROWS


def test_a_large_preview_lists_its_first_rows_and_counts_them_all(client_for, lead, weekly):
    html = client_for(lead).post("/measures/import/", {"file": _weeks(ROWS)}).content.decode()
    assert f"{ROWS:,} rows read: the first {importing.PREVIEW_ROWS} shown" in html
    assert f"All {ROWS:,} rows: {ROWS:,} new value." in html
    assert html.count("New value</td>") == importing.PREVIEW_ROWS
