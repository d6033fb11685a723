"""Measure services: values kept exactly, one per period, corrections keep history, only leads write."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from measures.models import MeasureValue, Recalculation
from measures.services import (
    measure_save,
    measure_value_correct,
    measure_value_enter,
    measure_value_record,
    recalculation_add,
)
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)


def test_a_value_is_stored_exactly_as_given(lead):
    measure = MeasureFactory()
    given = [0.1 + 0.2, 1.2345678901234567, 1.5e-9, 123456789.12345679]
    for n, value in enumerate(given):
        measure_value_enter(measure=measure, period=datetime.date(2026, n + 1, 1), value=value, user=lead)
    stored = list(MeasureValue.objects.filter(measure=measure).order_by("period").values_list("value", flat=True))
    assert [v.hex() for v in stored] == [
        v.hex() for v in [0.30000000000000004, 1.2345678901234567, 1.5e-9, 123456789.12345679]
    ]


def test_a_period_has_one_value_and_a_second_is_refused(lead):
    measure = MeasureFactory()
    measure_value_enter(measure=measure, period=JAN, value=7.5, user=lead)
    with pytest.raises(ValidationError, match="already has a value for January 2026: correct it instead"):
        measure_value_enter(measure=measure, period=JAN, value=7.6, user=lead)
    assert MeasureValue.objects.get(measure=measure).value == 7.5


def test_a_correction_keeps_the_old_value_and_who_entered_it_in_the_history(lead, other_lead):
    measure = MeasureFactory()
    value = measure_value_enter(measure=measure, period=JAN, value=7.5, user=lead)
    measure_value_correct(value=value, new_value=7.25, user=other_lead, note="Late returns from one station")
    value.refresh_from_db()
    assert value.value == 7.25 and value.entered_by == other_lead
    history = list(value.history.order_by("history_date").values_list("value", "entered_by", "history_change_reason"))
    assert history == [(7.5, lead.pk, None), (7.25, other_lead.pk, "Late returns from one station")]


def test_a_correction_needs_a_reason(lead):
    value = measure_value_enter(measure=MeasureFactory(), period=JAN, value=7.5, user=lead)
    with pytest.raises(ValidationError, match="Say why"):
        measure_value_correct(value=value, new_value=8, user=lead, note=" ")


@pytest.mark.parametrize("persona", ["owner", "board", "comms", "outsider"])
def test_only_an_improvement_lead_enters_or_corrects_values(request, persona, lead):
    user = request.getfixturevalue(persona)
    measure = MeasureFactory()
    with pytest.raises(PermissionDenied):
        measure_value_enter(measure=measure, period=JAN, value=1, user=user)
    value = measure_value_enter(measure=measure, period=JAN, value=1, user=lead)
    with pytest.raises(PermissionDenied):
        measure_value_correct(value=value, new_value=2, user=user, note="no")
    with pytest.raises(PermissionDenied):
        recalculation_add(measure=measure, period=JAN, reason="no", user=user)
    assert MeasureValue.objects.get().value == 1


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_value_that_is_not_a_finite_number_is_refused(lead, bad):
    with pytest.raises(ValidationError, match="Enter a number between -1,000,000,000,000 and 1,000,000,000,000"):
        measure_value_enter(measure=MeasureFactory(), period=JAN, value=bad, user=lead)
    assert not MeasureValue.objects.exists()


def test_recording_the_same_value_again_changes_nothing_and_a_new_one_corrects(lead):
    measure = MeasureFactory()
    _, outcome = measure_value_record(measure=measure, period=JAN, value=7.5)
    assert outcome == "created"
    _, outcome = measure_value_record(measure=measure, period=JAN, value=7.5)
    assert outcome == "unchanged"
    value, outcome = measure_value_record(measure=measure, period=JAN, value=7.4)
    assert outcome == "corrected" and value.history.count() == 2


def test_a_recalculation_needs_a_reason_and_one_period_keeps_one(lead):
    measure = MeasureFactory()
    with pytest.raises(ValidationError):
        recalculation_add(measure=measure, period=JAN, reason="", user=lead)
    recalculation_add(measure=measure, period=JAN, reason="New dispatch model", user=lead)
    recalculation_add(measure=measure, period=JAN, reason="New dispatch model, go-live", user=lead)
    assert list(Recalculation.objects.values_list("reason", flat=True)) == ["New dispatch model, go-live"]


def test_a_new_measure_is_internal_until_made_public():
    measure, created = measure_save(slug="cat2-mean", data={"name": "Category 2 mean", "improvement": "decrease"})
    assert created and measure.is_public is False and measure.screen_outliers is True


def test_a_measure_with_bad_fields_is_refused():
    with pytest.raises(ValidationError) as refused:
        measure_save(slug="x", data={"name": "", "improvement": "up", "baseline_points": 1})
    assert set(refused.value.message_dict) == {"name", "improvement", "baseline_points"}


def test_changing_a_measure_needs_the_permission(owner, lead):
    with pytest.raises(PermissionDenied):
        measure_save(slug="x", data={"name": "X", "improvement": "increase"}, user=owner)
    measure, _ = measure_save(slug="x", data={"name": "X", "improvement": "increase"}, user=lead)
    assert measure.name == "X"


def test_correcting_a_value_loaded_without_history_still_keeps_the_old_value(lead):
    measure = MeasureFactory()
    value = MeasureValue.objects.create(measure=measure, period=JAN, value=3.0, entered_at=timezone.now())
    value.history.all().delete()  # as a bulk load (the benchmark's data) leaves it
    measure_value_correct(value=value, new_value=3.5, user=lead, note="Recounted")
    assert list(value.history.order_by("history_date").values_list("value", flat=True)) == [3.0, 3.5]
