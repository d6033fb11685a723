"""The action plan's columns, and how one row's cells become action data or problems, cell by cell."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from actions.choices import REFERENCE_PREFIXES, ActionType
from actions.models import CoreService, CqcRegulation, KeyQuestion, Regulation
from actions.services.editing import (
    CREATE_FIELDS,
    action_data_problems,
)
from pillars.models import Pillar
from secamb_journey.forms import MONTH_NAMES
from secamb_journey.importing import ImportFileProblem, RowProblem, normalise_heading
from secamb_journey.roles import Role
from themes.models import Theme


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


# --- Checking each row ---------------------------------------------------------------------------


def map_headings(heading_row: list[str]) -> dict[str, int]:
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


class Lookups:
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


def check_row(number: int, cells: dict[str, str], lookups: Lookups, problems: list[RowProblem]) -> dict:
    """Turn one row's cells into action data, adding a RowProblem for each cell that will not do."""

    def problem(key: str, message: str) -> None:
        problems.append(RowProblem(number, HEADINGS[key], message))

    data: dict = {
        "reference": cells.get("reference", "").upper(),
        "title": cells.get("title", ""),
        "description": cells.get("description", ""),
    }
    for read in (_read_kind, _read_place, _read_people, _read_governance, _read_version_and_publishing):
        read(cells, lookups, data, problem)

    # The services' own checks (reference format and type, title, required people and dates), so the
    # importer and the form say the same thing about the same mistake.
    already_said = {p.column for p in problems if p.row == number}
    for key, message in action_data_problems(data, fields=CREATE_FIELDS, check_unique=False).items():
        if HEADINGS[key] not in already_said:
            problem(key, message.rstrip(".") + ".")
    return data


def _read_kind(cells: dict[str, str], lookups: Lookups, data: dict, problem) -> None:
    """The type (from its cell, or else the reference's prefix) and the CQC regulation."""
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


def _read_list(cells: dict[str, str], key: str, table: dict, problem, not_found: str) -> list:
    """A cell of names separated by semicolons (or lines): what each names in `table` (by its lower-case
    name), each once; a problem "“name” <not_found>" for each name the table does not have.
    """
    found = []
    for name in (part.strip() for part in re.split(r"[;\n]", cells.get(key, ""))):
        if not name:
            continue
        item = table.get(name.lower())
        if item is None:
            problem(key, f"“{name}” {not_found}")
        elif item not in found:
            found.append(item)
    return found


def _read_place(cells: dict[str, str], lookups: Lookups, data: dict, problem) -> None:
    """Where the action sits in the strategy: its pillar and themes."""
    pillar_text = cells.get("pillar", "")
    data["pillar"] = lookups.pillars.get(pillar_text.lower()) if pillar_text else None
    if pillar_text and data["pillar"] is None:
        problem("pillar", f"“{pillar_text}” is not a pillar. Use its name or number.")

    data["themes"] = _read_list(
        cells, "themes", lookups.themes, problem, "is not a theme. Separate themes with semicolons."
    )


def _read_people(cells: dict[str, str], lookups: Lookups, data: dict, problem) -> None:
    """The owner and executive lead (one person each, with a role), and the due date."""
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


def _read_governance(cells: dict[str, str], lookups: Lookups, data: dict, problem) -> None:
    """The CQC finding and source, the regulations, key question and core service, the due date's reason."""
    data["cqc_finding"] = cells.get("cqc_finding", "")
    data["source"] = cells.get("source", "")
    if len(data["source"]) > 300:
        problem("source", "Source must be 300 characters or fewer.")
    data["regulations"] = _read_list(
        cells,
        "regulations",
        lookups.regulation_rows,
        problem,
        "is not a regulation. Use numbers 9 to 20A, separated by semicolons.",
    )
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


def _read_version_and_publishing(cells: dict[str, str], lookups: Lookups, data: dict, problem) -> None:
    """The exported version (for an update) and whether the action is public."""
    version_text = cells.get("version", "")
    data["version"] = int(version_text) if version_text.isdigit() else None
    if version_text and data["version"] is None:
        problem("version", f"“{version_text}” is not a version. Leave the exported number as it is.")

    public_text = cells.get("is_public", "").lower()
    # Publishing is a choice: only a "yes" makes an action public; a blank cell leaves it internal.
    data["is_public"] = public_text in _YES
    if public_text and public_text not in _YES | _NO:
        problem("is_public", f"“{cells['is_public']}” must be yes or no.")
