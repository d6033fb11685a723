"""Action plans in from spreadsheets, CSV or Excel: read, previewed and saved all or nothing by the
engine both importers share (secamb_journey.importing); only the plan's columns and rules are here. The
export, in the same columns, is actions.exporting.

The importer adds new actions and changes existing ones, matched by reference. A changed row is
previewed field by field and saved through the same service as the edit page (action_update), so the
same rules hold: a new due date needs a reason (the "Due date reason" column) and becomes a revision,
and a row exported before someone else changed the action (its "Version" is behind) is refused rather
than overwriting their work. One bad row refuses the whole file.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.formats import date_format

from actions.choices import REFERENCE_PREFIXES, ActionType
from actions.models import Action, CoreService, CqcRegulation, KeyQuestion, Regulation
from actions.services.editing import (
    CREATE_FIELDS,
    EDITABLE_FIELDS,
    StaleEdit,
    action_create,
    action_data_problems,
    action_update,
)
from actions.services.governance import due_date_edit_problems
from pillars.models import Pillar
from secamb_journey import importing as engine
from secamb_journey.forms import MONTH_NAMES
from secamb_journey.importing import (  # noqa: F401 -- the limits, read here by the views and tests
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    ImportFileProblem,
    ImportRefused,
    RowProblem,
    normalise_heading,
)
from secamb_journey.roles import Role
from themes.models import Theme

# Long enough to read a preview and press the button; after that the file must be uploaded again.
MAX_IMPORT_ROWS = 2000


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("reference", "Reference", True, ("ref",)),
    Column("title", "Title", True),
    Column("description", "Description", False),
    Column("action_type", "Type", False, ("action type",)),
    Column("cqc_regulation", "CQC regulation", False, ("regulation",)),
    Column("pillar", "Pillar", True),
    Column("themes", "Themes", False, ("theme",)),
    Column("owner", "Owner", True, ("action owner",)),
    Column("executive_lead", "Executive lead", True, ("exec lead",)),
    Column("due_date", "Due date", True, ("due",)),
    Column("is_public", "Public", False, ("is public",)),
    # Regulatory mapping (issue 13).
    Column("cqc_finding", "CQC finding", False, ("finding",)),
    Column("regulations", "Regulations", False, ("regulations breached",)),
    Column("key_question", "Key question", False),
    Column("core_service", "Core service", False),
    Column("source", "Source", False),
    # For changes to existing actions: why the due date moves, and the version the row was exported at.
    Column("due_date_reason", "Due date reason", False, ("reason for new due date",)),
    Column("version", "Version", False),
]
HEADINGS = {column.key: column.heading for column in COLUMNS}
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


# --- Checking each row ---------------------------------------------------------------------------


def _map_headings(heading_row: list[str]) -> dict[str, int]:
    wanted = {}
    for column in COLUMNS:
        for name in (column.heading, *column.aliases):
            wanted[normalise_heading(name)] = column.key
    positions: dict[str, int] = {}
    for index, heading in enumerate(heading_row):
        key = wanted.get(normalise_heading(heading))
        if key and key not in positions:
            positions[key] = index
    missing = [column.heading for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise ImportFileProblem(
            "The first row must name the columns. Missing: " + ", ".join(missing) + ". "
            "Expected headings: " + ", ".join(column.heading for column in COLUMNS) + "."
        )
    return positions


class _Lookups:
    """Everything a row may name, loaded once for the whole file."""

    def __init__(self):
        self.pillars = {}
        for pillar in Pillar.objects.all():
            for key in (pillar.name, pillar.slug, str(pillar.number)):
                self.pillars[key.lower()] = pillar
        self.themes = {}
        for theme in Theme.objects.all():
            for key in (theme.short_name, theme.slug, str(theme.number)):
                self.themes[key.lower()] = theme
        self.people: dict[str, list] = {}
        users = (
            get_user_model().objects.filter(is_active=True, groups__name__in=[role.label for role in Role]).distinct()
        )
        for user in users:
            keys = {user.get_username().lower(), (user.email or "").lower(), user.get_full_name().lower()}
            for key in keys - {""}:
                self.people.setdefault(key, [])
                if user not in self.people[key]:
                    self.people[key].append(user)
        self.types = {}
        for action_type in ActionType:
            for key in (action_type.value, action_type.label, action_type.label.replace("CQC ", "")):
                self.types[key.lower()] = action_type.value
        self.regulation_rows = {}
        for regulation in Regulation.objects.all():
            for key in (regulation.number, f"regulation {regulation.number}", str(regulation)):
                self.regulation_rows[key.lower()] = regulation
        self.key_questions = {}
        for choice in KeyQuestion:
            for key in (choice.value, choice.label, choice.label.replace("-", " ")):
                self.key_questions[key.lower()] = choice.value
        self.core_services = {}
        for choice in CoreService:
            for key in (choice.value, choice.label):
                self.core_services[key.lower()] = choice.value
        self.regulations = {}
        for regulation in CqcRegulation:
            for key in (regulation.value, f"regulation {regulation.value}", regulation.label):
                self.regulations[key.lower()] = regulation.value


def parse_due_date(text: str) -> datetime.date | None:
    """2026-03-31, 31/03/2026 or 31 March 2026 (the UK order, never the US one). None if not a date."""
    text = text.strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
        if not match or match.group(2).lower() not in MONTH_NAMES:
            return None
        day, month, year = int(match.group(1)), MONTH_NAMES[match.group(2).lower()], int(match.group(3))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


_YES = {"yes", "y", "true", "1", "public"}
_NO = {"no", "n", "false", "0", "internal"}


def _check_row(number: int, cells: dict[str, str], lookups: _Lookups, problems: list[RowProblem]) -> dict:
    """Turn one row's cells into action data, adding a RowProblem for each cell that will not do."""

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(number, HEADINGS[key], message))

    data: dict = {
        "reference": cells.get("reference", "").upper(),
        "title": cells.get("title", ""),
        "description": cells.get("description", ""),
    }
    type_text = cells.get("action_type", "")
    if type_text:
        data["action_type"] = lookups.types.get(type_text.lower())
        if data["action_type"] is None:
            problem("action_type", f"“{type_text}” is not a type. Use one of: " + ", ".join(ActionType.labels) + ".")
    else:
        by_prefix = {prefix: action_type for action_type, prefix in REFERENCE_PREFIXES.items()}
        data["action_type"] = by_prefix.get(data["reference"][:2], "")

    regulation = cells.get("cqc_regulation", "")
    data["cqc_regulation"] = lookups.regulations.get(regulation.lower(), None) if regulation else ""
    if data["cqc_regulation"] is None:
        problem("cqc_regulation", f"“{regulation}” is not a CQC regulation. Use its number, for example 12.")
        data["cqc_regulation"] = ""

    pillar_text = cells.get("pillar", "")
    data["pillar"] = lookups.pillars.get(pillar_text.lower()) if pillar_text else None
    if pillar_text and data["pillar"] is None:
        problem("pillar", f"“{pillar_text}” is not a pillar. Use its name or number.")

    themes = []
    for name in (part.strip() for part in re.split(r"[;\n]", cells.get("themes", ""))):
        if not name:
            continue
        theme = lookups.themes.get(name.lower())
        if theme is None:
            problem("themes", f"“{name}” is not a theme. Separate themes with semicolons.")
        elif theme not in themes:
            themes.append(theme)
    data["themes"] = themes

    for key in ("owner", "executive_lead"):
        text = cells.get(key, "")
        matches = lookups.people.get(text.lower(), []) if text else []
        data[key] = matches[0] if len(matches) == 1 else None
        if text and not matches:
            problem(key, f"No one with a role in the tracker is called “{text}”. Use their username or email address.")
        elif len(matches) > 1:
            problem(key, f"More than one person is called “{text}”. Use their username or email address.")

    due_text = cells.get("due_date", "")
    data["due_date"] = parse_due_date(due_text) if due_text else None
    if due_text and data["due_date"] is None:
        problem("due_date", f"“{due_text}” is not a date. Write it as 31/03/2026 or 2026-03-31.")

    data["cqc_finding"] = cells.get("cqc_finding", "")
    data["source"] = cells.get("source", "")
    if len(data["source"]) > 300:
        problem("source", "Source must be 300 characters or fewer.")
    regulations = []
    for name in (part.strip() for part in re.split(r"[;\n]", cells.get("regulations", ""))):
        if not name:
            continue
        regulation = lookups.regulation_rows.get(name.lower())
        if regulation is None:
            problem("regulations", f"“{name}” is not a regulation. Use numbers 9 to 20A, separated by semicolons.")
        elif regulation not in regulations:
            regulations.append(regulation)
    data["regulations"] = regulations
    for key, table, words in (
        ("key_question", lookups.key_questions, ", ".join(KeyQuestion.labels)),
        ("core_service", lookups.core_services, ", ".join(CoreService.labels)),
    ):
        text = cells.get(key, "")
        data[key] = table.get(text.lower(), None) if text else ""
        if data[key] is None:
            problem(key, f"“{text}” will not do. Use one of: {words}.")
            data[key] = ""
    data["due_date_reason"] = cells.get("due_date_reason", "")
    version_text = cells.get("version", "")
    data["version"] = int(version_text) if version_text.isdigit() else None
    if version_text and data["version"] is None:
        problem("version", f"“{version_text}” is not a version. Leave the exported number as it is.")

    public_text = cells.get("is_public", "").lower()
    # Publishing is a choice: only a "yes" makes an action public; a blank cell leaves it internal.
    data["is_public"] = public_text in _YES
    if public_text and public_text not in _YES | _NO:
        problem("is_public", f"“{cells['is_public']}” must be yes or no.")

    # The services' own checks (reference format and type, title, required people and dates), so the
    # importer and the form say the same thing about the same mistake.
    already_said = {p.column for p in problems if p.row == number}
    for key, message in action_data_problems(data, fields=CREATE_FIELDS, check_unique=False).items():
        if HEADINGS[key] not in already_said:
            problem(key, message.rstrip(".") + ".")
    return data


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
    positions = _map_headings(table[0])
    lookups = _Lookups()
    preview = ImportPreview(columns=set(positions))
    parsed = []
    for number, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are common at the end of a spreadsheet
        cells = {key: (row[index] if index < len(row) else "") for key, index in positions.items()}
        data = _check_row(number, cells, lookups, preview.problems)
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
