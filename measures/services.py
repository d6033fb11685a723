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
from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_create_with_history

from measures.models import (
    Frequency,
    Improvement,
    Measure,
    MeasureValue,
    Recalculation,
    period_next,
    period_words,
)
from secamb_journey.text import clean_text

# Rows written per query by measure_values_record_many (and the unit its progress is reported in).
VALUES_BATCH = 1000

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


def _value_checked(user, permission: str, value, note: str) -> float:
    """The one value a person may enter or correct, as a number; its note checked too."""
    _require(user, permission)
    number = _finite(value)
    _require_text(note, model=MeasureValue, name="note")
    return number


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
        what = period_words(measure.frequency, period)
        what = what[0].upper() + what[1:]
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
    number = _value_checked(user, "measures.add_measurevalue", value, note)
    _require_ended(measure=measure, period=period, at=at, field="period")
    if MeasureValue.objects.filter(measure=measure, period=period).exists():
        raise ValidationError(
            f"{measure.name} already has a value for {period_words(measure.frequency, period)}: correct it instead."
        )
    return MeasureValue.objects.create(
        measure=measure, period=period, value=number, note=note, entered_by=user, entered_at=at or timezone.now()
    )


@transaction.atomic
def measure_value_correct(
    *, value: MeasureValue, new_value, user=None, note: str = "", at: datetime.datetime | None = None
) -> MeasureValue:
    """Change a value; the history keeps the old one, with who entered it and when."""
    number = _value_checked(user, "measures.change_measurevalue", new_value, note)
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
def measure_values_record_many(*, entries: list, user=None, progress=None) -> dict[str, int]:
    """measure_value_record for many values at once, as an import needs: `entries` are (measure, period,
    value, note). The same checks and the same history (a "+" record for a new value, a "~" record with
    the note as its reason for a correction, the value as it stood first if it had none), written one
    query per VALUES_BATCH rows rather than one save per row. All or nothing: the caller's transaction.
    `progress(done, total)` is called after each batch. Returns the count of each outcome.
    """
    _require(user, "measures.add_measurevalue")
    now = timezone.now()
    checked = []
    for measure, period, value, note in entries:
        _require_text(note, model=MeasureValue, name="note")
        _require_ended(measure=measure, period=period, at=now)
        checked.append((measure, period, _finite(value), note))
    ids = {measure.pk for measure, *_ in checked}
    stored = {(v.measure_id, v.period): v for v in MeasureValue.objects.select_for_update().filter(measure_id__in=ids)}
    new, corrected = [], []
    for measure, period, number, note in checked:
        existing = stored.get((measure.pk, period))
        if existing is None:
            new.append(
                MeasureValue(measure=measure, period=period, value=number, note=note, entered_by=user, entered_at=now)
            )
        elif existing.value.hex() != number.hex():  # bit for bit: a value re-sent unchanged is not a correction
            existing.value, existing.note, existing.entered_by, existing.entered_at = (
                number,
                note or "Corrected by import",
                user,
                now,
            )
            existing._change_reason = existing.note[:100]
            corrected.append(existing)
    if corrected:
        _require(user, "measures.change_measurevalue")
        _history_first(corrected)
    total, done = len(new) + len(corrected), 0
    for start in range(0, len(new), VALUES_BATCH):
        batch = new[start : start + VALUES_BATCH]
        bulk_create_with_history(batch, MeasureValue, batch_size=VALUES_BATCH, default_user=user)
        done += len(batch)
        if progress:
            progress(done, total)
    for start in range(0, len(corrected), VALUES_BATCH):
        batch = corrected[start : start + VALUES_BATCH]
        _update_values(batch)
        MeasureValue.history.bulk_history_create(batch, batch_size=VALUES_BATCH, update=True, default_user=user)
        done += len(batch)
        if progress:
            progress(done, total)
    return {"created": len(new), "corrected": len(corrected), "unchanged": len(checked) - total}


def _update_values(values: list[MeasureValue]) -> None:
    """Write a batch of corrected values: on PostgreSQL one UPDATE ... FROM (VALUES ...) statement, on
    SQLite one statement run over the rows (executemany, in C). QuerySet.bulk_update's CASE expressions
    cost about 3 ms a row in Python: 41 s for 20,000 corrections on SQLite."""
    fields = [MeasureValue._meta.get_field(name) for name in ("value", "note", "entered_by", "entered_at")]
    pk_field = MeasureValue._meta.pk
    quote = connection.ops.quote_name
    table, pk = quote(MeasureValue._meta.db_table), quote(pk_field.column)
    rows = [[f.get_db_prep_value(getattr(v, f.attname), connection) for f in fields] + [v.pk] for v in values]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(quote(f.column) for f in [*fields, pk_field])
            row = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in [*fields, pk_field]) + ")"
            sets = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
            sql = (
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(rows))}) AS v ({names}) "  # noqa: S608 -- names from the model, quoted; values are parameters
                f"WHERE {table}.{pk} = v.{pk}"
            )
            cursor.execute(sql, [cell for r in rows for cell in r])
        else:
            sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", rows)  # noqa: S608 -- as above


def _history_first(values: list[MeasureValue]) -> None:
    """A value bulk-loaded without history (the scale benchmark's data) is recorded as it stood before
    it is corrected, as measure_value_correct does, so a correction never loses the old value."""
    ids = {v.measure_id for v in values}
    recorded = set(MeasureValue.history.filter(measure_id__in=ids).values_list("id", flat=True).distinct())
    missing = list(MeasureValue.objects.in_bulk([v.pk for v in values if v.pk not in recorded]).values())
    for value in missing:
        value._history_user = value.entered_by
    if missing:
        MeasureValue.history.bulk_history_create(missing, batch_size=VALUES_BATCH)


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
