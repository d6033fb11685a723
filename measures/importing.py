"""Measures and their values in from CSV: every row checked first, previewed, then saved all or nothing.

Two kinds of file (DESIGN.md, interface contract), told apart by their heading row:
  measures: slug,name,unit,improvement,target,baseline_points,screen_outliers,public (creates or updates)
  values:   measure,period,value[,rebase][,note] (enters new values, corrects changed ones; a value is for
            a period that has ended: measures.services.measure_value_period_problem)
A file with one bad row is refused whole, naming the row (the file's line, the heading being row 1) and
the problem; nothing of it is stored. Values are read with float() on the text as sent: never rounded.
"""

import logging
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from measures.forms import parse_value
from measures.models import ImportRun, Measure, MeasureValue, parse_period, period_text
from measures.services import (
    baseline_points_problem,
    measure_data_problems,
    measure_number_problem,
    measure_save,
    measure_value_period_problem,
    measure_values_record_many,
    recalculation_add,
    text_problem,
)
from secamb_journey import importing as engine
from secamb_journey.importing import (  # noqa: F401 -- the import page reads the limit here
    MAX_IMPORT_BYTES,
    ImportFileProblem,
    ImportRefused,
    RowProblem,
)

MAX_IMPORT_ROWS = 20000
# A confirmed file of more rows than this is imported in the background (measures.tasks), its progress
# on a page of its own; a smaller one at once, in the request.
LARGE_IMPORT_ROWS = 2000
MEASURE_COLUMNS = ["slug", "name", "unit", "improvement", "target", "baseline_points", "screen_outliers", "public"]
VALUE_COLUMNS = ["measure", "period", "value"]
VALUE_OPTIONAL = ["rebase", "note"]
SLUG_RE = re.compile(r"^[-a-z0-9_]{1,80}$")
WHOLE_NUMBER_RE = re.compile(r"^[0-9]+$")  # ASCII digits only: str.isdigit() takes "²", which int() refuses
# A measure's field by the column that carries it, where the two names differ.
MEASURE_COLUMN_FOR = {"is_public": "public"}
FLAGS = {"yes": True, "no": False}


logger = logging.getLogger(__name__)


@dataclass
class PreviewRow:
    row: int
    label: str
    outcome: str
    data: dict = field(default_factory=dict)


# The preview page lists this many rows, then counts the rest by outcome (a 20,000-row file's table
# would be megabytes); every problem is listed whatever the number.
PREVIEW_ROWS = 500


@dataclass
class ImportPreview(engine.ImportPreview):
    kind: str = ""  # "measures" or "values"

    @property
    def outcome_counts(self) -> list[tuple[str, int]]:
        """How many rows have each outcome ("New value", "Correction", ...), most first."""
        counts: dict[str, int] = {}
        for row in self.rows:
            key = row.outcome.split(":")[0].split(";")[0]
            counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])

    @property
    def shown_rows(self) -> list:
        return self.rows[:PREVIEW_ROWS]

    @property
    def can_import(self) -> bool:
        return not self.problems and any(r.outcome != "Unchanged" for r in self.rows)


def _read(content: bytes) -> tuple[list[str], list[list[str]]]:
    """The heading row (lower case) and the rows with anything in them, each cell exactly as written:
    the checks below refuse a control character rather than clean it away."""
    rows = [r for r in engine.read_csv(content, max_rows=MAX_IMPORT_ROWS) if any(cell.strip() for cell in r)]
    if not rows:
        raise ImportFileProblem("The file is empty: it needs a heading row and then one row a line.")
    heading = [cell.strip().lower() for cell in rows[0]]
    return heading, rows[1:]


def _cells(heading: list[str], row: list[str]) -> dict[str, str]:
    return {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(heading)}


def _flag(value: str, column: str, number: int, problems: list, *, blank=None):
    if value == "" and blank is not None:
        return blank
    if value.lower() not in FLAGS:
        problems.append(RowProblem(number, column, "Enter yes or no"))
        return None
    return FLAGS[value.lower()]


def check_file(*, content: bytes, expect: str | None = None) -> ImportPreview:
    """Read and check every row; nothing is saved. `expect`: "measures" or "values" (the commands),
    or None to tell the kind from the heading row (the import page).
    """
    heading, rows = _read(content)
    if "slug" in heading:
        kind = "measures"
    elif "measure" in heading:
        kind = "values"
    else:
        raise ImportFileProblem(
            "The heading row must start slug,name,unit,... (measures) or measure,period,value (values)."
        )
    if expect and kind != expect:
        wanted = ",".join(MEASURE_COLUMNS) if expect == "measures" else ",".join(VALUE_COLUMNS)
        raise ImportFileProblem(f"Row 1: the heading row must be {wanted}")
    known = MEASURE_COLUMNS if kind == "measures" else VALUE_COLUMNS + VALUE_OPTIONAL
    required = MEASURE_COLUMNS if kind == "measures" else VALUE_COLUMNS
    missing = [c for c in required if c not in heading]
    unknown = [c for c in heading if c not in known]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        raise ImportFileProblem(f"Row 1: {'; '.join(parts)}")
    preview = ImportPreview(kind=kind)
    if kind == "measures":
        _check_measures(heading, rows, preview)
    else:
        _check_values(heading, rows, preview)
    return preview


def _check_measures(heading, rows, preview: ImportPreview) -> None:
    existing = {m.slug: m for m in Measure.objects.all()}
    seen = set()
    for offset, raw in enumerate(rows):
        number = offset + 2
        cells = _cells(heading, raw)
        problems: list[RowProblem] = []
        slug = cells["slug"]
        if not SLUG_RE.match(slug):
            problems.append(RowProblem(number, "slug", "Enter a slug of lower-case letters, digits and hyphens"))
        elif slug in seen:
            problems.append(RowProblem(number, "slug", f"{slug} appears on an earlier row"))
        seen.add(slug)
        if cells["improvement"] not in ("increase", "decrease", "neutral"):
            problems.append(RowProblem(number, "improvement", "Enter increase, decrease or neutral"))
        target = None
        if cells["target"]:
            try:
                target = parse_value(cells["target"])
            except ValueError:
                problems.append(RowProblem(number, "target", "Enter a number, or leave it blank"))
        baseline = None
        if cells["baseline_points"]:
            if WHOLE_NUMBER_RE.match(cells["baseline_points"]):
                baseline = int(cells["baseline_points"])  # its range: measure_data_problems, below
            else:
                problems.append(
                    RowProblem(number, "baseline_points", baseline_points_problem(cells["baseline_points"]))
                )
        screen = _flag(cells["screen_outliers"], "screen_outliers", number, problems)
        public = _flag(cells["public"], "public", number, problems)
        data = {
            "name": cells["name"],
            "unit": cells["unit"],
            "improvement": cells["improvement"],
            "target": target,
            "baseline_points": baseline,
            "screen_outliers": screen,
            "is_public": public,
        }
        # The services' own check, so the preview refuses exactly what saving would (measures.services).
        flagged = {p.column for p in problems}
        for name, message in measure_data_problems(data).items():
            column = MEASURE_COLUMN_FOR.get(name, name)
            if column not in flagged:
                problems.append(RowProblem(number, column, message))
        preview.problems.extend(problems)
        outcome = "New measure"
        if slug in existing:
            m = existing[slug]
            same = all(getattr(m, k) == v for k, v in data.items())
            outcome = "Unchanged" if same else "Update"
        preview.rows.append(
            PreviewRow(row=number, label=f"{slug}: {cells['name']}", outcome=outcome, data={"slug": slug, **data})
        )


def _row_period(measure, cells, number: int, problems: list, today):
    """The row's period for `measure`, or None with its problem noted."""
    if measure is None:
        return None
    try:
        period = parse_period(measure.frequency, cells["period"])
    except ValueError as problem:
        problems.append(RowProblem(number, "period", str(problem)))
        return None
    if not_ended := measure_value_period_problem(measure=measure, period=period, today=today):
        problems.append(RowProblem(number, "period", not_ended))
    return period


def _row_value(cells, number: int, problems: list):
    """The row's value, or None with its problem noted."""
    try:
        value = parse_value(cells["value"])
    except ValueError:
        problems.append(RowProblem(number, "value", "Enter the value as a number, for example 7.25"))
        return None
    if out_of_range := measure_number_problem(value):
        problems.append(RowProblem(number, "value", out_of_range))
        return None
    return value


def _value_outcome(old, value, rebase: bool) -> str:
    if old is None:
        outcome = "New value"
    elif old.hex() == value.hex():
        outcome = "Unchanged"
    else:
        outcome = f"Correction: was {old!r}"
    if rebase:
        outcome += "; limits recalculated from here"
    return outcome


def _check_values(heading, rows, preview: ImportPreview) -> None:
    slugs = {_cells(heading, r).get("measure", "") for r in rows}
    measures = {m.slug: m for m in Measure.objects.filter(slug__in=slugs)}
    stored = {
        (mid, period): value
        for mid, period, value in MeasureValue.objects.filter(measure__in=measures.values()).values_list(
            "measure_id", "period", "value"
        )
    }
    seen = set()
    today = timezone.localdate()
    for offset, raw in enumerate(rows):
        number = offset + 2
        cells = _cells(heading, raw)
        problems: list[RowProblem] = []
        measure = measures.get(cells["measure"])
        if measure is None:
            problems.append(RowProblem(number, "measure", f"No measure has the slug {cells['measure']!r}"))
        period = _row_period(measure, cells, number, problems, today)
        value = _row_value(cells, number, problems)
        note = cells.get("note", "")
        if note_problem := text_problem(note, model=MeasureValue, name="note", multiline=True):
            problems.append(RowProblem(number, "note", note_problem))
        rebase = _flag(cells.get("rebase", ""), "rebase", number, problems, blank=False)
        if measure is not None and period is not None:
            if (measure.pk, period) in seen:
                problems.append(
                    RowProblem(number, "period", f"{cells['period']} for {measure.slug} appears on an earlier row")
                )
            seen.add((measure.pk, period))
        preview.problems.extend(problems)
        if problems:
            preview.rows.append(
                PreviewRow(row=number, label=f"{cells['measure']} {cells['period']}", outcome="Problem")
            )
            continue
        preview.rows.append(
            PreviewRow(
                row=number,
                label=f"{measure.slug} {period_text(measure.frequency, period)} = {value!r}",
                outcome=_value_outcome(stored.get((measure.pk, period)), value, rebase),
                data={"measure": measure, "period": period, "value": value, "rebase": rebase, "note": note},
            )
        )


def import_file(*, content: bytes, user=None, expect: str | None = None, progress=None) -> ImportPreview:
    """Check, then save every row in one transaction; ImportRefused (nothing saved) if any row is bad.
    Values are written in batches (measures.services.measure_values_record_many); `progress(done, total)`
    hears after each.
    """
    return engine.confirm(
        check=lambda: check_file(content=content, expect=expect),
        save=lambda preview: _save(preview, user=user, progress=progress),
    )


def _save(preview: ImportPreview, *, user, progress) -> ImportPreview:
    if preview.kind == "measures":
        for row in preview.rows:
            data = dict(row.data)
            slug = data.pop("slug")
            measure_save(slug=slug, data=data, user=user)
        return preview
    rows = [row.data for row in preview.rows]
    measure_values_record_many(
        entries=[(d["measure"], d["period"], d["value"], d["note"]) for d in rows], user=user, progress=progress
    )
    for d in (d for d in rows if d["rebase"]):
        reason = d["note"] or "Recalculated on import"
        recalculation_add(measure=d["measure"], period=d["period"], reason=reason, user=user)
    return preview


# --- Large files: imported in the background ---------------------------------------------------------


def row_count(content: bytes) -> int:
    """How many rows (not the heading, nor blank lines) a file has; ImportFileProblem if it cannot be read."""
    return len(_read(content)[1])


def import_run_queue(*, upload, user) -> tuple[ImportRun, bool]:
    """Turn a previewed upload (actions.models.PendingUpload) into a queued ImportRun, once: the upload
    goes in the same transaction, and a second confirmation of the same file finds the first's run.
    Returns (run, created); the caller queues measures.tasks.import_measures_file after the commit.
    """
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                uploaded_by=user,
                name=upload.name,
                sha256=upload.sha256,
                content=bytes(upload.content),
                rows=row_count(bytes(upload.content)),
            )
            upload.delete()
            return run, True
    except IntegrityError:  # the same file confirmed twice at once: the first confirmation's run
        return ImportRun.objects.get(uploaded_by=user, sha256=upload.sha256, state=ImportRun.State.QUEUED), False


def progress_key(run_id: int) -> str:
    return f"measures:import-run:{run_id}:progress"


def import_run_progress(run: ImportRun) -> tuple[int, int] | None:
    """(rows written, rows to write) while the run's task is writing, from the cache; None before it starts
    or when there is no shared cache to tell (the page then says it is waiting or under way)."""
    return cache.get(progress_key(run.pk)) if run.state == ImportRun.State.QUEUED else None


def import_run(run_id: int) -> None:
    """Import a queued run's file, all or nothing, and record the outcome in the same transaction: a run
    already finished (a retried or repeated task) is left alone, so nothing is imported twice."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id, state=ImportRun.State.QUEUED).first()
        if run is None:
            return
        try:
            preview = import_file(
                content=bytes(run.content),
                user=run.uploaded_by,
                progress=lambda done, total: cache.set(progress_key(run.pk), (done, total), 3600),
            )
        except ImportRefused as refused:
            run.state, run.problems = ImportRun.State.REFUSED, [str(p) for p in refused.preview.problems[:500]]
            run.result = f"{run.name} was refused: nothing was imported. Correct the rows below and upload it again."
        except Exception as problem:  # noqa: BLE001 -- any failure: nothing was saved, and the person is told
            logger.exception("The background import of %s (run %s) failed", run.name, run.pk)
            run.state = ImportRun.State.FAILED
            run.result = (
                f"Nothing was imported: {problem}"
                if isinstance(problem, ImportFileProblem | ValidationError)
                else "We could not import the file. Nothing was saved. Upload it again; ask for help if it fails again."
            )
        else:
            changed = sum(1 for row in preview.rows if row.outcome != "Unchanged")
            run.state = ImportRun.State.DONE
            run.result = f"Imported {changed:,} row{'s' if changed != 1 else ''} from {run.name}."
        run.content, run.finished_at = b"", timezone.now()
        run.save()
