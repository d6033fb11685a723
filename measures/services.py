"""Writes for measures: saving a measure, entering and correcting values, recalculation points.

Every caller (the pages, the CSV import, the import commands, the admin, the demo seed) goes through
these, so the rules live here once: a value is a finite number stored exactly as given; one value per
period; a value is only for a period that has ended (nothing is recorded before it happens); a correction
keeps the old value in the history; only an improvement lead (or a command, with no user) enters values.
"""

import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from measures.models import Frequency, Improvement, Measure, MeasureValue, Recalculation, period_next, period_text

MEASURE_FIELDS = (
    "name",
    "unit",
    "description",
    "source",
    "frequency",
    "improvement",
    "target",
    "is_public",
    "exit_criterion",
    "illustrative",
    "baseline_points",
    "screen_outliers",
)


def _require(user, permission: str) -> None:
    """A person must hold the permission; None is a management command or a task, trusted as the operator."""
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied("Only an improvement lead can change measure values.")


def _finite(value) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError("A value must be a finite number.")
    return number


def measure_value_period_problem(*, measure: Measure, period: datetime.date, today: datetime.date) -> str | None:
    """Why a value for `period` cannot be recorded on `today`, or None: a value is for a period that has
    ended, so the current period's (or a future one's) waits until the period is over. The one rule for the
    value form, the import page, the import command and every other writer (they all call the services).
    """
    ends = period_next(measure.frequency, period)
    if today < ends:
        what = period_text(measure.frequency, period)
        if period <= today:
            return (
                f"{what} has not ended yet: enter its value once the period is over, from {date_format(ends, 'j F Y')}."
            )
        return (
            f"{what} is still to come: a value is entered once the period is over, from {date_format(ends, 'j F Y')}."
        )
    return None


def _require_ended(*, measure: Measure, period: datetime.date, at: datetime.datetime | None, field=None) -> None:
    today = timezone.localdate(at) if at else timezone.localdate()
    problem = measure_value_period_problem(measure=measure, period=period, today=today)
    if problem:
        raise ValidationError({field: problem} if field else problem)


def measure_data_problems(data: dict) -> dict[str, str]:
    """What is wrong with a measure's fields, by field name (empty: nothing)."""
    problems = {}
    if not (data.get("name") or "").strip():
        problems["name"] = "Enter the measure's name"
    if data.get("improvement") not in Improvement.values:
        problems["improvement"] = "Improvement must be increase, decrease or neutral"
    if data.get("frequency", Frequency.MONTHLY) not in Frequency.values:
        problems["frequency"] = "Frequency must be monthly, weekly or quarterly"
    target = data.get("target")
    if target is not None and not (isinstance(target, float) and math.isfinite(target)):
        problems["target"] = "The target must be a number"
    baseline = data.get("baseline_points")
    if baseline is not None and (not isinstance(baseline, int) or baseline < 2):
        problems["baseline_points"] = "A baseline needs at least 2 points"
    return problems


@transaction.atomic
def measure_save(*, slug: str, data: dict, user=None) -> tuple[Measure, bool]:
    """Create the measure with this slug, or update its fields. Returns (measure, created)."""
    _require(user, "measures.change_measure")
    problems = measure_data_problems(data)
    if problems:
        raise ValidationError(problems)
    fields = {key: data[key] for key in MEASURE_FIELDS if key in data}
    measure, created = Measure.objects.select_for_update().get_or_create(slug=slug, defaults=fields)
    if not created:
        for key, value in fields.items():
            setattr(measure, key, value)
        measure.full_clean(exclude=["pillars", "themes", "goals", "actions"])
        measure.save()
    return measure, created


@transaction.atomic
def measure_value_enter(
    *, measure: Measure, period: datetime.date, value, user=None, note: str = "", at: datetime.datetime | None = None
) -> MeasureValue:
    """A value for a period that has none yet. A period that has one is corrected, not entered again."""
    _require(user, "measures.add_measurevalue")
    number = _finite(value)
    _require_ended(measure=measure, period=period, at=at, field="period")
    if MeasureValue.objects.filter(measure=measure, period=period).exists():
        raise ValidationError(
            f"{measure.name} already has a value for {period_text(measure.frequency, period)}: correct it instead."
        )
    return MeasureValue.objects.create(
        measure=measure, period=period, value=number, note=note, entered_by=user, entered_at=at or timezone.now()
    )


@transaction.atomic
def measure_value_correct(
    *, value: MeasureValue, new_value, user=None, note: str = "", at: datetime.datetime | None = None
) -> MeasureValue:
    """Change a value; the history keeps the old one, with who entered it and when."""
    _require(user, "measures.change_measurevalue")
    number = _finite(new_value)
    if not note.strip():
        raise ValidationError("Say why the value is being corrected.")
    locked = MeasureValue.objects.select_for_update().select_related("measure").get(pk=value.pk)
    _require_ended(measure=locked.measure, period=locked.period, at=at)
    if not locked.history.exists():
        # A value bulk-loaded without history (the scale benchmark's data): record it as it stands first,
        # so the correction never loses the old value.
        MeasureValue.history.bulk_history_create([locked], default_user=locked.entered_by)
    locked.value = number
    locked.note = note
    locked.entered_by = user
    locked.entered_at = at or timezone.now()
    locked._change_reason = note[:100]
    locked.save()
    return locked


@transaction.atomic
def measure_value_record(
    *, measure: Measure, period: datetime.date, value, user=None, note: str = ""
) -> tuple[MeasureValue, str]:
    """Enter or correct, whichever the period needs: ("created" | "corrected" | "unchanged"). For imports."""
    number = _finite(value)
    existing = MeasureValue.objects.select_for_update().filter(measure=measure, period=period).first()
    if existing is None:
        return measure_value_enter(measure=measure, period=period, value=number, user=user, note=note), "created"
    # Compared bit for bit: a value re-sent unchanged is not a correction.
    if existing.value == number and existing.value.hex() == number.hex():
        return existing, "unchanged"
    return (
        measure_value_correct(value=existing, new_value=number, user=user, note=note or "Corrected by import"),
        "corrected",
    )


@transaction.atomic
def recalculation_add(*, measure: Measure, period: datetime.date, reason: str, user=None) -> Recalculation:
    """Start the mean and limits again from `period` (idempotent: the same period keeps one point)."""
    _require(user, "measures.change_measurevalue")
    if not reason.strip():
        raise ValidationError("Give the reason the limits are recalculated from this period.")
    recalculation, created = Recalculation.objects.get_or_create(
        measure=measure, period=period, defaults={"reason": reason, "created_by": user}
    )
    if not created and recalculation.reason != reason:
        recalculation.reason = reason
        recalculation.save(update_fields=["reason"])
    return recalculation
