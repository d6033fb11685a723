"""Action plans in from spreadsheets, CSV or Excel: read, previewed and saved all or nothing by the
engine both importers share (secamb_journey.importing); only the plan's columns and rules are here. The
export, in the same columns, is actions.exporting.

The importer adds new actions and changes existing ones, matched by reference. A changed row is
previewed field by field and saved through the same service as the edit page (action_update), so the
same rules hold: a new due date needs a reason (the "Due date reason" column) and becomes a revision,
and a row exported before someone else changed the action (its "Version" is behind) is refused rather
than overwriting their work. One bad row refuses the whole file.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.formats import date_format

from actions.importing.rows import COLUMNS, HEADINGS, Lookups, check_row, map_headings
from actions.models import Action
from actions.services.editing import (
    EDITABLE_FIELDS,
    StaleEdit,
    action_create,
    action_update,
)
from actions.services.governance import due_date_edit_problems
from secamb_journey import importing as engine
from secamb_journey.importing import (  # noqa: F401 -- the limits, read here by the views and tests
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    ImportFileProblem,
    ImportRefused,
    RowProblem,
    normalise_heading,
)

# Long enough to read a preview and press the button; after that the file must be uploaded again.
MAX_IMPORT_ROWS = 2000


# The fields a row can change on an existing action, in the order a preview lists them: what a lead may
# change on the edit page, and no more (one list, so the import cannot drift from the form's rules).
UPDATABLE = EDITABLE_FIELDS
REFUSED = "The action plan has problems; nothing was imported."


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class ImportRow:
    row: int
    reference: str
    title: str
    data: dict
    unchanged: bool = False
    # For a row that changes an existing action: the action, and what changes, field by field.
    existing: Action | None = None
    changes: list[FieldChange] = field(default_factory=list)
    version: int | None = None

    @property
    def is_update(self) -> bool:
        return self.existing is not None and not self.unchanged


@dataclass
class ImportPreview(engine.ImportPreview):
    columns: set = field(default_factory=set)

    @property
    def new_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.unchanged and row.existing is None]

    @property
    def update_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.is_update]

    @property
    def unchanged_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.unchanged]

    @property
    def can_import(self) -> bool:
        return not self.problems and bool(self.new_rows or self.update_rows)


# --- Reading the file ----------------------------------------------------------------------------


def read_table(*, name: str, content: bytes) -> list[list[str]]:
    """The file's rows as text cells (the heading row first), up to the last column the import knows."""
    headings = [name for column in COLUMNS for name in (column.heading, *column.aliases)]
    return engine.read_table(name=name, content=content, max_rows=MAX_IMPORT_ROWS, known_headings=headings)


def _words(key: str, value) -> str:
    if value in (None, ""):
        return ""
    if key in ("owner", "executive_lead"):
        return value.get_full_name() or value.get_username()
    if key == "pillar":
        return value.name
    if key == "themes":
        return "; ".join(sorted(theme.short_name for theme in value))
    if key == "regulations":
        return "; ".join(regulation.number for regulation in value)
    if key == "due_date":
        return date_format(value, "j F Y")
    if key == "is_public":
        return "yes" if value else "no"
    field = Action._meta.get_field(key)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _differences(action: Action, data: dict, present) -> list[FieldChange]:
    """What a row would change on the stored action, field by field, in words. A column the file does
    not have changes nothing (an older export without the regulatory columns leaves them as they are).
    """
    changes = []
    for key in UPDATABLE:
        if key not in present:
            continue
        old = getattr(action, key)
        new = data.get(key)
        if key in ("themes", "regulations"):
            old = list(old.all())
            if {item.pk for item in old} == {item.pk for item in new or []}:
                continue
        elif key in ("cqc_finding", "description", "source", "title"):
            if (old or "").strip() == (new or "").strip():
                continue
        elif old == new:
            continue
        changes.append(FieldChange(HEADINGS[key], _words(key, old), _words(key, new)))
    return changes


def _update_problems(number: int, action: Action, data: dict, changes: list[FieldChange], importer) -> list:
    """The rules for changing an existing action from a row: the edit page's, said by row and column."""
    problems = []
    if data.get("action_type") and data["action_type"] != action.action_type:
        problems.append(RowProblem(number, HEADINGS["action_type"], "The type of an existing action cannot change."))
    if data.get("version") is None:
        problems.append(
            RowProblem(
                number,
                HEADINGS["version"],
                f"{action.reference} already exists: to change it, keep the Version column from an export.",
            )
        )
    elif data["version"] != action.version:
        problems.append(
            RowProblem(
                number,
                HEADINGS["version"],
                f"{action.reference} has changed since this row was exported (version {data['version']}, now "
                f"{action.version}). Export it again and make your changes there.",
            )
        )
    if any(change.column == HEADINGS["due_date"] for change in changes):
        # The edit page's rule for a new due date, in one place (actions.services), by column.
        for field, message in due_date_edit_problems(
            action,
            editor=importer,
            new_date=data.get("due_date"),
            reason=data.get("due_date_reason") or "",
            today=timezone.localdate(),
        ).items():
            problems.append(RowProblem(number, HEADINGS[field], message))
    return problems


def check_action_plan(*, name: str, content: bytes, importer=None) -> ImportPreview:
    """Read and check a whole action plan. Raises ImportFileProblem when the file cannot be read; every
    problem with a row is returned in the preview, named by row number and column heading.
    """
    table = read_table(name=name, content=content)
    if not table or not any(table[0]):
        raise ImportFileProblem("The file has no heading row. The first row must name the columns.")
    positions = map_headings(table[0])
    lookups = Lookups()
    preview = ImportPreview(columns=set(positions))
    parsed = []
    for number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are common at the end of a spreadsheet
        cells = {key: (row[index] if index < len(row) else "") for key, index in positions.items()}
        data = check_row(number, cells, lookups, preview.problems)
        parsed.append((number, data))
    if not parsed:
        raise ImportFileProblem("The file has a heading row but no actions under it.")

    references = [data["reference"] for _number, data in parsed if data["reference"]]
    existing = {
        action.reference: action
        for action in Action.objects.filter(reference__in=references)
        .select_related("pillar", "owner", "executive_lead")
        .prefetch_related("themes", "regulations")
    }
    seen: dict[str, int] = {}
    for number, data in parsed:
        reference = data["reference"]
        row = ImportRow(row=number, reference=reference, title=data["title"], data=data)
        if reference in seen:
            preview.problems.append(
                RowProblem(number, HEADINGS["reference"], f"{reference} is already on row {seen[reference]}.")
            )
        elif reference:
            seen[reference] = number
        if reference in existing:
            row.existing = existing[reference]
            row.changes = _differences(row.existing, data, preview.columns)
            row.version = data.get("version")
            if row.changes:
                preview.problems.extend(_update_problems(number, row.existing, data, row.changes, importer))
            else:
                row.unchanged = True
        preview.rows.append(row)
    preview.problems.sort(key=lambda p: (p.row, list(HEADINGS.values()).index(p.column)))
    return preview


def import_action_plan(*, name: str, content: bytes, creator) -> list[Action]:
    """Check the plan again (the database may have changed since the preview) and create every new
    action in one transaction: all of them, or none. Raises ImportRefused with the problems.
    """
    return engine.confirm(
        check=lambda: check_action_plan(name=name, content=content, importer=creator),
        save=lambda preview: _save_plan(preview, creator),
        refused=REFUSED,
    )


def _save_plan(preview: ImportPreview, creator) -> list[Action]:
    """Every new or changed row of a checked plan, in the caller's transaction (engine.confirm)."""
    try:
        saved = []
        for row in preview.rows:
            if row.unchanged:
                continue
            if row.existing is None:
                saved.append(action_create(creator=creator, data=row.data))
                continue
            # Through the edit page's service: history, revision, notification and the stale check.
            data = {key: row.data[key] for key in UPDATABLE if key in preview.columns}
            data["due_date_reason"] = row.data["due_date_reason"]
            saved.append(action_update(action=row.existing, editor=creator, data=data, expected_version=row.version))
        return saved
    except StaleEdit as stale:
        problem = RowProblem(0, HEADINGS["version"], stale.message)
    except ValidationError as error:
        # Someone created one of these references between our check and the save: nothing is kept.
        problem = RowProblem(0, HEADINGS["reference"], " ".join(error.messages))
    except IntegrityError:
        problem = RowProblem(
            0, HEADINGS["reference"], "Another action with one of these references was saved meanwhile."
        )
    preview.problems.append(problem)
    raise ImportRefused(preview, REFUSED)
