"""A large values import (issue 28, finding 2): written a batch per query, not a save per row, with the
same checks, the same all-or-nothing rule and the same history (who, what, and why a value changed).
Its speed is in `manage.py benchmark_measure_import`, not here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures import importing
from measures.models import Frequency, MeasureValue
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

ROWS = 2500


def _weeks(slug: str, count: int, shift: float = 0.0) -> bytes:
    first = datetime.date(1950, 1, 2)  # a Monday
    lines = ["measure,period,value,note"]
    for week in range(count):
        lines.append(f"{slug},{(first + datetime.timedelta(weeks=week)).isoformat()},{week + shift!r},")
    return ("\n".join(lines) + "\n").encode()


def test_a_large_import_writes_in_batches_and_records_who_for_each_value(lead):
    measure = MeasureFactory(slug="weekly", frequency=Frequency.WEEKLY)
    with CaptureQueriesContext(connection) as queries:
        importing.import_file(content=_weeks("weekly", ROWS), user=lead)
    assert MeasureValue.objects.filter(measure=measure).count() == ROWS
    # Before: several queries a row (over 10,000 here); now a few a batch of 1,000.
    assert len(queries) < 60, len(queries)
    records = MeasureValue.history.filter(measure_id=measure.pk)
    assert records.count() == ROWS
    assert set(records.values_list("history_type", "history_user", "value")) >= {("+", lead.pk, 0.0)}
    assert not records.exclude(history_user=lead).exists()


def test_corrections_in_bulk_keep_the_old_value_the_person_and_the_reason(lead):
    measure = MeasureFactory(slug="weekly", frequency=Frequency.WEEKLY)
    importing.import_file(content=_weeks("weekly", ROWS), user=lead)
    # A value bulk-loaded without history (the scale data) keeps its old value in the history too.
    MeasureValue.history.filter(measure_id=measure.pk, period=datetime.date(1950, 1, 2)).delete()
    with CaptureQueriesContext(connection) as queries:
        importing.import_file(content=_weeks("weekly", ROWS, shift=0.5), user=lead)
    assert len(queries) < 80, len(queries)
    first = MeasureValue.objects.get(measure=measure, period=datetime.date(1950, 1, 2))
    assert first.value == 0.5 and first.entered_by == lead and first.note == "Corrected by import"
    history = list(first.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.value) for h in history] == [("+", 0.0), ("~", 0.5)]
    assert (history[-1].history_user, history[-1].history_change_reason) == (lead, "Corrected by import")
    assert MeasureValue.history.filter(measure_id=measure.pk, history_type="~").count() == ROWS


def test_the_same_file_again_changes_nothing_and_writes_no_history(lead):
    measure = MeasureFactory(slug="weekly", frequency=Frequency.WEEKLY)
    content = _weeks("weekly", 50)
    importing.import_file(content=content, user=lead)
    importing.import_file(content=content, user=lead)
    assert MeasureValue.history.filter(measure_id=measure.pk).count() == 50


def test_one_bad_row_among_thousands_stores_nothing(lead):
    MeasureFactory(slug="weekly", frequency=Frequency.WEEKLY)
    content = _weeks("weekly", ROWS) + b"weekly,1950-01-03,1,\n"  # a Tuesday
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_file(content=content, user=lead)
    assert [p.row for p in refused.value.preview.problems] == [ROWS + 2]
    assert not MeasureValue.objects.exists() and not MeasureValue.history.exists()
