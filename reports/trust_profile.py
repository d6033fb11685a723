"""Loading a trust profile (profiles/<trust>.toml): the trust's names and public words, its strategic goals,
pillars, themes, committees and, optionally, measures. `manage.py load_trust_profile` and `seed_demo` call it.

In reports, the app at the top of the layers, because it writes every app's strategy records.

- Matched by slug (committees by name): loading the same file twice changes nothing.
- Checked whole before anything is written: every problem is named with its line and its key path
  (`goals[2].title`: the third goal). tomllib gives a line only for a syntax error; for the rest the line
  is found by a scan of the text for the table's header and then the key (the header's line when the key
  is missing).
- Never deletes: a goal, pillar, theme, committee or measure the file leaves out is kept, so no action
  loses its pillar or theme (the preview says how many use it); a goal, pillar or theme left out is
  numbered after the file's and retired (the public home page lists the current strategy only), and
  comes back if a later file names it again.
- All or nothing: one transaction.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from actions.models import Committee
from measures.models import Measure
from measures.services import measure_data_problems, measure_save
from pillars.models import Pillar, StrategicGoal
from secamb_journey.models import TrustProfile
from secamb_journey.text import clean_text
from themes.models import Theme

PROFILE_TABLES = {
    "trust": (
        "full_name",
        "short_name",
        "ods_code",
        "service_name",
        "programme_name",
        "logo_name",
        "logo_descriptor",
        "contact_email",
        "access_email",
    ),
    "home": ("introduction", "purpose", "strategy"),
}
OPTIONAL_PROFILE_KEYS = {"logo_descriptor"}


@dataclass(frozen=True)
class Kind:
    """One list of the file (`[[goals]]`): its model, the key it is matched by, its fields and links."""

    table: str
    model: type
    key: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # many-to-many fields, each naming another list's slugs
    numbered: bool = True
    # The file's name of a field, where the model's differs.
    renamed: dict = field(default_factory=dict)

    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


KINDS = (
    Kind("goals", StrategicGoal, "slug", ("slug", "title", "description")),
    Kind("pillars", Pillar, "slug", ("slug", "name"), ("description",), links=("goals",)),
    Kind("themes", Theme, "slug", ("slug", "short_name", "title"), links=("pillars",)),
    Kind("committees", Committee, "name", ("name",), ("description",), numbered=False),
    Kind(
        "measures",
        Measure,
        "slug",
        ("slug", "name", "improvement"),
        ("unit", "description", "source", "target", "public", "exit_criterion"),
        links=("pillars", "themes", "goals"),
        numbered=False,
        renamed={"public": "is_public"},
    ),
)
LINKED = {"goals": StrategicGoal, "pillars": Pillar, "themes": Theme}


@dataclass
class Entry:
    kind: Kind
    index: int
    values: dict  # model field -> value
    links: dict  # link name -> [slugs]
    existing: object | None = None


@dataclass
class ProfilePlan:
    profile: dict = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


class ProfileRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the profile")
        self.problems = problems


# --- Where a key is in the text ---------------------------------------------------------------------------


def line_of(lines: list[str], table: str, index: int | None = None, key: str | None = None) -> int | None:
    """The line of `key` in the table `[table]` (or the `index`th `[[table]]`), else of the table's header."""
    header = f"[[{table}]]" if index is not None else f"[{table}]"
    seen, start = -1, None
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("["):
            if start is not None:
                break
            if text.split("#")[0].strip() == header:
                seen += 1
                start = number if index is None or seen == index else None
        elif start is not None and key and re.match(rf"{re.escape(key)}\s*=", text):
            return number
    return start


class Reporter:
    def __init__(self, text: str, problems: list[str]):
        self.lines, self.problems = text.splitlines(), problems

    def __call__(self, table: str, index: int | None, key: str | None, message: str) -> None:
        path = table + (f"[{index}]" if index is not None else "") + (f".{key}" if key else "")
        line = line_of(self.lines, table, index, key)
        self.problems.append(f"{f'line {line}, ' if line else ''}{path}: {message}")


# --- Reading and checking ---------------------------------------------------------------------------------


def _value_problem(name: str, value) -> str | None:
    if name in ("public", "exit_criterion"):
        return None if isinstance(value, bool) else "must be true or false"
    if name == "target":
        return None if isinstance(value, int | float) and not isinstance(value, bool) else "must be a number"
    return None if isinstance(value, str) else "must be text in quotes"


def _read_table(data, table: str, allowed, required, report, index=None, links=()) -> dict:
    """The table's values (text cleaned as every input is), its links' lists as they are."""
    if not isinstance(data, dict):
        report(table, index, None, "must be a table")
        return {}
    for key in sorted(set(data) - set(allowed)):
        report(table, index, key, f"is not a key of {table} (known: {', '.join(allowed)})")
    for key in required:
        if key not in data:
            report(table, index, key, "is missing")
    values = {}
    for key in allowed:
        if key in data and key in links:
            values[key] = data[key]
        elif key in data:
            problem = _value_problem(key, data[key])
            if problem:
                report(table, index, key, problem)
            else:
                values[key] = clean_text(data[key]) if isinstance(data[key], str) else data[key]
    return values


def _read_profile(data: dict, plan: ProfilePlan, report) -> None:
    """The [trust] and [home] tables, checked by the model's own validators (the admin's too)."""
    table_of = {}
    for table, keys in PROFILE_TABLES.items():
        required = [key for key in keys if key not in OPTIONAL_PROFILE_KEYS]
        plan.profile.update(_read_table(data.get(table, {}), table, keys, required, report))
        table_of.update(dict.fromkeys(keys, table))
    unread = [key for key in table_of if key not in plan.profile]  # missing or not text: said already
    try:
        TrustProfile(**plan.profile).full_clean(exclude=["id", *unread])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                report(table_of[name], None, name, message)


def _read_entries(data: dict, kind: Kind, plan: ProfilePlan, report) -> None:
    items = data.get(kind.table, [])
    if not isinstance(items, list):
        report(kind.table, None, None, f"must be a list of tables, each written [[{kind.table}]]")
        return
    allowed = kind.fields() + kind.links
    for index, item in enumerate(items):
        values = _read_table(item, kind.table, allowed, kind.required, report, index, kind.links)
        links = {}
        for name in kind.links:
            slugs = values.pop(name, [])
            if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
                report(kind.table, index, name, "must be a list of slugs in quotes")
                slugs = []
            links[name] = slugs
        values = {kind.renamed.get(name, name): value for name, value in values.items()}
        if kind.numbered:
            values["retired"] = False  # in the strategy the file sets out
        plan.entries.append(Entry(kind, index, values, links))


def _check_unique(kind: Kind, entries: list[Entry], report) -> None:
    """No two entries share a key or a unique field; nor does one with a record the file leaves out."""
    unique = [f.name for f in kind.model._meta.get_fields() if getattr(f, "unique", False) and f.name in kind.fields()]
    keys = {entry.values.get(kind.key) for entry in entries}
    for name in unique:
        seen = {}
        others = dict(
            kind.model.objects.exclude(**{f"{kind.key}__in": keys}).values_list(name, kind.key)
        )  # value -> the left-out record's key
        for entry in entries:
            value = entry.values.get(name)
            if value is None:
                continue
            if value in seen:
                report(kind.table, entry.index, name, f"{value!r} is also {kind.table}[{seen[value]}]'s")
            elif value in others:
                report(kind.table, entry.index, name, f"{value!r} is already {others[value]!r}'s, not in the file")
            seen.setdefault(value, entry.index)


def _check_entries(plan: ProfilePlan, report) -> None:
    slugs = {table: set(model.objects.values_list("slug", flat=True)) for table, model in LINKED.items()}
    for entry in plan.entries:
        if entry.kind.table in slugs and "slug" in entry.values:
            slugs[entry.kind.table].add(entry.values["slug"])
    for kind in KINDS:
        entries = [entry for entry in plan.entries if entry.kind is kind]
        _check_unique(kind, entries, report)
        for entry in entries:
            for name, linked in entry.links.items():
                for slug in linked:
                    if slug not in slugs[name]:
                        report(kind.table, entry.index, name, f"{slug!r} is not a slug of any of {name}")
            if all(key in entry.values for key in kind.required):
                _entry_problems(kind, entry, report)


def _entry_problems(kind: Kind, entry: Entry, report) -> None:
    """The model's validators; for a measure, first the rules every measure import keeps (measures.services)."""
    said = measure_data_problems(entry.values) if kind.model is Measure else {}
    back = {model: name for name, model in kind.renamed.items()}
    for name, message in said.items():
        report(kind.table, entry.index, back.get(name, name), message)
    exclude = ["number", *kind.links, "actions", "members", "created_at", *said]
    try:
        kind.model(**entry.values).full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                report(kind.table, entry.index, back.get(name, name), message)


def profile_plan(text: str) -> ProfilePlan:
    """What loading `text` would do (`changes`), or every reason it cannot (`problems`)."""
    plan = ProfilePlan()
    report = Reporter(text, plan.problems)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        where = f"line {found.group(1)}: " if found else ""
        plan.problems.append(f"{where}not TOML: {str(error).split(' (at')[0]}")
        return plan
    for key in sorted(set(data) - set(PROFILE_TABLES) - {kind.table for kind in KINDS}):
        report(key, None, None, "is not a table a profile has")
    _read_profile(data, plan, report)
    for kind in KINDS:
        _read_entries(data, kind, plan, report)
    if not plan.problems:
        _check_entries(plan, report)
    if not plan.problems:
        plan.changes = _preview(plan)
    return plan


# --- The preview, and writing ---------------------------------------------------------------------------


def _differences(record, values: dict, links: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name, slugs in links.items():
        if set(getattr(record, name).values_list("slug", flat=True)) != set(slugs):
            changed.append(name)
    return changed


def _preview(plan: ProfilePlan) -> list[str]:
    lines = []
    current = TrustProfile.objects.filter(pk=TrustProfile.SINGLETON).first()
    if current is None:
        lines.append("trust profile: new")
    else:
        changed = [name for name, value in plan.profile.items() if getattr(current, name) != value]
        lines.append(f"trust profile: {', '.join(changed)} changed" if changed else "trust profile: unchanged")
    for kind in KINDS:
        named = []
        for entry in (e for e in plan.entries if e.kind is kind):
            entry.existing = kind.model.objects.filter(**{kind.key: entry.values[kind.key]}).first()
            named.append(entry.values[kind.key])
            if entry.existing is None:
                lines.append(f"{kind.table} {entry.values[kind.key]}: new")
                continue
            changed = _differences(entry.existing, entry.values, entry.links)
            lines.append(
                f"{kind.table} {entry.values[kind.key]}: {', '.join(changed)} changed"
                if changed
                else f"{kind.table} {entry.values[kind.key]}: unchanged"
            )
        lines += _left_out(kind, named)
    return lines


def _left_out(kind: Kind, named: list[str]) -> list[str]:
    left_out = kind.model.objects.exclude(**{f"{kind.key}__in": named})
    if kind.model in (Pillar, Theme):
        left_out = left_out.annotate(used=Count("actions"))
    return [
        f"{kind.table} {getattr(record, kind.key)}: not in the file, kept"
        + (", retired from the home page" if kind.numbered else "")
        + (f" ({record.used} action{'s' if record.used != 1 else ''} use it)" if hasattr(record, "used") else "")
        for record in left_out
    ]


def _renumber(model, key: str, order: list[str]) -> None:
    """Number the records in `order` 1, 2, ...: each that moves goes out of the way first (above every
    number either side uses), so no two records ever hold one number; unmoved records are not written."""
    wanted = {name: number for number, name in enumerate(order, start=1)}
    current = dict(model.objects.values_list(key, "number"))
    moving = [name for name, number in current.items() if wanted[name] != number]
    if not moving:
        return
    clear = max([*current.values(), len(order)])
    for name in moving:
        model.objects.filter(**{key: name}).update(number=current[name] + clear)
    for name in moving:
        model.objects.filter(**{key: name}).update(number=wanted[name])


def _write_entries(kind: Kind, entries: list[Entry]) -> None:
    """Create or update each entry (only those that differ), and number them; the file's order numbers its
    records 1, 2, ...; those it leaves out follow, in their old order."""
    model, named = kind.model, [entry.values[kind.key] for entry in entries]
    if kind.numbered:
        left_out = model.objects.exclude(**{f"{kind.key}__in": named}).order_by("number")
        order = named + list(left_out.values_list(kind.key, flat=True))
        _renumber(model, kind.key, order)
        left_out.filter(retired=False).update(retired=True)
    for entry in entries:
        if entry.existing is not None and not _differences(entry.existing, entry.values, entry.links):
            continue
        values = dict(entry.values)
        if kind.numbered:
            values["number"] = order.index(values[kind.key]) + 1
        if model is Measure:
            record, _ = measure_save(slug=values.pop("slug"), data=values)
        else:
            record, _ = model.objects.update_or_create(**{kind.key: values[kind.key]}, defaults=values)
        for name, slugs in entry.links.items():
            getattr(record, name).set(LINKED[name].objects.filter(slug__in=slugs))


@transaction.atomic
def trust_profile_load(text: str, *, dry_run: bool = False) -> list[str]:
    """Load the profile in `text` (all of it, or nothing: ProfileRefused names every problem); the changes."""
    plan = profile_plan(text)
    if plan.problems:
        raise ProfileRefused(plan.problems)
    if dry_run:
        return plan.changes
    profile = TrustProfile.objects.filter(pk=TrustProfile.SINGLETON).first()
    if profile is None or any(getattr(profile, name) != value for name, value in plan.profile.items()):
        profile = profile or TrustProfile()
        for name, value in plan.profile.items():
            setattr(profile, name, value)
        profile.save()  # a row of the profile's history, as an edit in the admin makes
    for kind in KINDS:
        _write_entries(kind, [entry for entry in plan.entries if entry.kind is kind])
    return plan.changes


def default_profile_load() -> list[str]:
    """The profile the TRUST_PROFILE setting names: what `seed_demo`, the load test and `make run` load."""
    return trust_profile_load(Path(settings.TRUST_PROFILE).read_text(encoding="utf-8"))
