"""Writes for measures: saving a measure, entering and correcting values, recalculation points.

Every caller (the pages, the CSV import, the import commands, the admin, the demo seed) goes through
these, so the rules live here once: a value (and a target) is a number within the range the charts carry
(measure_number_problem), stored exactly as given; text fits its field with no control character; one value per
period; a value is only for a period that has ended (nothing is recorded before it happens); a correction
keeps the old value in the history; only an improvement lead (or a command, with no user) enters values.
"""

import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.formats import date_format

from measures.models import Frequency, Improvement, Measure, MeasureValue, Recalculation, period_next, period_text
from secamb_journey.text import clean_text

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


# The range of a value (and a target) the SPC maths and the chart can always carry exactly enough: no
# trust measure comes near a trillion, nor needs a non-zero value smaller than a billionth. Beyond them,
# means, moving ranges and the chart's scale overflow (1e308 twice) or underflow (5e-324) in floating point.
VALUE_MAX = 1e12
VALUE_MIN_NONZERO = 1e-9
VALUE_RANGE_TEXT = (
    "Enter a number between -1,000,000,000,000 and 1,000,000,000,000: either 0 or at least 0.000000001 "
    "either side of it"
)


def measure_number_problem(number: float) -> str | None:
    """Why `number` cannot be a measure's value or target, or None. The one rule, for the value form, the
    import page, the import commands, the services and the pages that draw what was stored before it.
    """
    if not isinstance(number, int | float) or isinstance(number, bool) or not math.isfinite(number):
        return VALUE_RANGE_TEXT
    if abs(number) > VALUE_MAX or (number != 0 and abs(number) < VALUE_MIN_NONZERO):
        return VALUE_RANGE_TEXT
    return None


def _finite(value) -> float:
    number = float(value)
    if problem := measure_number_problem(number):
        raise ValidationError({"value": problem})
    return number


def _require_text(text: str, *, model, name: str) -> None:
    if problem := text_problem(text, model=model, name=name, multiline=True):
        raise ValidationError({name: problem})


def _field_limit(model, name: str) -> tuple[int, int]:
    """(least, most) a model's integer field takes in every database Django supports (SQLite takes more;
    PostgreSQL refuses a smallint above 32,767 at the save, too late for a clear message).
    """
    return BaseDatabaseOperations.integer_field_ranges[model._meta.get_field(name).get_internal_type()]


def text_problem(text: str, *, model, name: str, multiline: bool = False) -> str | None:
    """Why `text` cannot be stored in the model's field `name`, or None: longer than the field takes, or
    holding a character the site's outputs cannot carry (secamb_journey.text.clean_text: NUL and the other
    control characters); a one-line field (a name, a unit) takes no line break or tab either.
    """
    text = text or ""
    most = model._meta.get_field(name).max_length
    if most is not None and len(text) > most:
        return f"Use {most:,} characters or fewer (this has {len(text):,})"
    if clean_text(text) != text or (not multiline and any(c in text for c in "\t\n\r")):
        return "Remove the control character (a NUL, tab, line break or similar): it cannot be stored"
    return None


def baseline_points_problem(points) -> str | None:
    """Why a baseline of `points` cannot be stored, or None: a whole number from 2 to what the field holds."""
    _, most = _field_limit(Measure, "baseline_points")
    if points is None:
        return None
    if not isinstance(points, int) or isinstance(points, bool) or points < 2 or points > most:
        return f"Enter a whole number from 2 to {most:,}, or leave it blank"
    return None


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
    for name, multiline in (("name", False), ("unit", False), ("source", False), ("description", True)):
        if name not in problems and (
            problem := text_problem(data.get(name) or "", model=Measure, name=name, multiline=multiline)
        ):
            problems[name] = problem
    target = data.get("target")
    if target is not None and (problem := measure_number_problem(target)):
        problems["target"] = f"The target: {problem[0].lower()}{problem[1:]}"
    if problem := baseline_points_problem(data.get("baseline_points")):
        problems["baseline_points"] = problem
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
    _require_text(note, model=MeasureValue, name="note")
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
    _require_text(note, model=MeasureValue, name="note")
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
        raise ValidationError("Enter why the mean and limits are recalculated from this period.")
    _require_text(reason, model=Recalculation, name="reason")
    recalculation, created = Recalculation.objects.get_or_create(
        measure=measure, period=period, defaults={"reason": reason, "created_by": user}
    )
    if not created and recalculation.reason != reason:
        recalculation.reason = reason
        recalculation.save(update_fields=["reason"])
    return recalculation
