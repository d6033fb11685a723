"""An action's change history, in words, and the names of people as staff pages show them."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.formats import date_format

from actions.models import Action
from pillars.models import Pillar
from themes.models import Theme


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    who: str
    reason: str
    created: bool
    changes: list[FieldChange]


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _label(field_name: str) -> str:
    name = str(Action._meta.get_field(field_name).verbose_name)
    return name[:1].upper() + name[1:]


class _Names:
    """Turns stored values (ids, choice values, dates) into words, looking up each kind of id once."""

    def __init__(self, *, user_ids=(), pillar_ids=(), theme_ids=()):
        self.users = {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=set(user_ids))}
        self.pillars = dict(Pillar.objects.filter(pk__in=set(pillar_ids)).values_list("pk", "name"))
        self.themes = dict(Theme.objects.filter(pk__in=set(theme_ids)).values_list("pk", "short_name"))

    def describe(self, field_name: str, value) -> str:
        if value in (None, ""):
            return ""
        if field_name in ("owner", "executive_lead", "assured_by"):
            return self.users.get(value, f"user {value}")
        if field_name == "pillar":
            return self.pillars.get(value, f"pillar {value}")
        if field_name == "themes":
            return ", ".join(sorted(self.themes.get(pk, f"theme {pk}") for pk in value)) or ""
        field = Action._meta.get_field(field_name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if field_name == "percent_complete":
            return f"{value}%"
        if hasattr(value, "strftime"):
            return date_format(value, "j F Y")
        return str(value)


# Compared between history records: what a person can change, and the outcome of the progress log.
HISTORY_FIELDS = [
    "reference",
    "title",
    "description",
    "action_type",
    "cqc_regulation",
    "pillar",
    "owner",
    "executive_lead",
    "due_date",
    "is_public",
    "status",
    "percent_complete",
    "cqc_finding",
    "key_question",
    "core_service",
    "source",
]
_FK_FIELDS = {"pillar", "owner", "executive_lead"}


def _theme_ids_by_record(record_ids) -> dict[int, frozenset]:
    through = Action.history.model._meta.get_field("historicalaction_themes").related_model
    by_record: dict[int, set] = {pk: set() for pk in record_ids}
    for history_id, theme_id in through.objects.filter(history_id__in=list(record_ids)).values_list(
        "history_id", "theme_id"
    ):
        by_record[history_id].add(theme_id)
    return {pk: frozenset(ids) for pk, ids in by_record.items()}


def describe_changes(old_record, new_record, *, old_themes=None, new_themes=None, names=None) -> list[FieldChange]:
    """What changed between two history records, in words: simple-history's diff_against for the fields,
    and the themes compared from their recorded ids (passed in, so a long history costs no extra queries).
    """
    delta = new_record.diff_against(old_record, included_fields=HISTORY_FIELDS)
    raw = [(change.field, change.old, change.new) for change in delta.changes]
    if old_themes is not None and new_themes is not None and old_themes != new_themes:
        raw.append(("themes", old_themes, new_themes))
    if names is None:
        names = _Names(
            user_ids=[v for f, o, n in raw if f in ("owner", "executive_lead") for v in (o, n)],
            pillar_ids=[v for f, o, n in raw if f == "pillar" for v in (o, n)],
            theme_ids=[v for f, o, n in raw if f == "themes" for v in (*o, *n)],
        )
    order = {name: i for i, name in enumerate([*HISTORY_FIELDS, "themes"])}
    return [
        FieldChange(field, _label(field), names.describe(field, old), names.describe(field, new))
        for field, old, new in sorted(raw, key=lambda change: order[change[0]])
    ]


class HistoryList(list):
    """The history entries shown, and whether older changes were left out (`more`)."""

    more = False


def action_history(*, action: Action, limit: int = 100) -> HistoryList:
    """Who changed what on the action, and when, newest first: old and new value of each field.

    A fixed number of queries whatever the length of the history: the records (with who made each),
    their themes, and one look-up each for the people, pillars and themes they name.
    """
    records = list(action.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    themes = _theme_ids_by_record([r.history_id for r in records])
    user_ids, pillar_ids, theme_ids = set(), set(), set()
    for record in records:
        user_ids.update(getattr(record, f"{name}_id") for name in ("owner", "executive_lead"))
        pillar_ids.add(record.pillar_id)
        theme_ids.update(themes[record.history_id])
    names = _Names(user_ids=user_ids, pillar_ids=pillar_ids, theme_ids=theme_ids)

    entries = HistoryList()
    entries.more = len(records) > limit
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None and len(records) > limit:
            break  # the oldest fetched record only serves as the "before" of the next one
        if older is None:
            changes = []
        else:
            changes = describe_changes(
                older,
                newer,
                old_themes=themes[older.history_id],
                new_themes=themes[newer.history_id],
                names=names,
            )
            if not changes:
                continue  # a save that changed nothing a person would see (a version bump alone, say)
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                who=person_name(newer.history_user) or "The system",
                reason=newer.history_change_reason or "",
                created=older is None,
                changes=changes,
            )
        )
    return entries
