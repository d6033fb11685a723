"""Creating and editing actions."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.choices import REFERENCE_PREFIXES, ActionType
from actions.models import (
    Action,
)
from actions.selectors.history import describe_changes, person_name
from actions.services.common import (
    describe_for_people,
    label_for,
    locked,
    notify_after_commit,
    save_with_history,
    set_related_with_history,
)
from actions.services.governance import record_agreed_revision, revision_refusal_for_edit

REFERENCE_PATTERN = re.compile(r"^(WN|MD|SD|IJ)-\d{2,4}$")
# What a lead may set on the edit page. Status and percent complete are not here: they follow the
# progress log, and "assured" follows the four-eyes sign-off.
EDITABLE_FIELDS = (
    "title",
    "description",
    "cqc_regulation",
    "pillar",
    "themes",
    "owner",
    "executive_lead",
    "due_date",
    "is_public",
    "cqc_finding",
    "regulations",
    "key_question",
    "core_service",
    "source",
)
# Many-to-many fields: set after the action is saved, compared as sets.
M2M_FIELDS = ("themes", "regulations")
CREATE_FIELDS = ("reference", "action_type", *EDITABLE_FIELDS)
# A change to any of these is emailed to the action's owner and executive lead.
NOTIFY_FIELDS = ("owner", "status", "due_date")


class StaleEdit(ValidationError):
    """The action changed after the editor opened it. `changes` says what changed, `changed_by` who."""

    def __init__(self, message, *, changes, changed_by):
        super().__init__(message, code="stale")
        self.changes = changes
        self.changed_by = changed_by


def action_reference_problem(*, reference: str, action_type: str) -> str | None:
    """Why `reference` will not do for an action of `action_type`, or None. The database enforces the
    prefix too; this is the message a person reads.
    """
    if not reference:
        return "Enter a reference, for example MD-01."
    if not REFERENCE_PATTERN.fullmatch(reference):
        return (
            "Reference must be two capital letters (WN, MD, SD or IJ), a hyphen and 2 to 4 digits, for example MD-01."
        )
    if action_type in ActionType.values:
        prefix = REFERENCE_PREFIXES[ActionType(action_type)]
        if not reference.startswith(f"{prefix}-"):
            return f"A {ActionType(action_type).label} has a reference starting {prefix}-, for example {prefix}-01."
    return None


def action_data_problems(data: dict, *, fields, check_unique: bool = True) -> dict[str, str]:
    """What is wrong with `data` for an action, by field name (empty when nothing is). Used by create,
    update and the importer's preview, so the same rule gives the same message everywhere.
    """
    errors = {}
    if "reference" in fields:
        problem = action_reference_problem(reference=data.get("reference") or "", action_type=data.get("action_type"))
        if problem:
            errors["reference"] = problem
        elif check_unique and Action.objects.filter(reference=data["reference"]).exists():
            errors["reference"] = f"An action with reference {data['reference']} already exists."
    if "action_type" in fields and data.get("action_type") not in ActionType.values:
        errors["action_type"] = "Select the type of action."
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Enter a title."
    elif len(title) > 200:
        errors["title"] = "Title must be 200 characters or fewer."
    required = {
        "pillar": "Select the pillar.",
        "owner": "Select the owner.",
        "executive_lead": "Select the executive lead.",
        "due_date": "Enter the due date.",
    }
    for name, message in required.items():
        if data.get(name) is None:
            errors[name] = message
    return errors


def _require(user, permission: str, to_do: str, data: dict, *, fields) -> None:
    """Refuse anyone without the permission ("Only an improvement lead can <to_do>"), then bad data."""
    if not user.has_perm(permission):
        raise PermissionDenied(f"Only an improvement lead can {to_do}")
    errors = action_data_problems(data, fields=fields)
    if errors:
        raise ValidationError(errors)


def action_create(*, creator, data: dict, notify: bool = True, at=None) -> Action:
    """Create an action from `data` (the CREATE_FIELDS; themes a list of Theme). Improvement leads only.

    Status and percent start at "not started", 0%: from then on they follow the progress log.
    """
    _require(creator, "actions.add_action", "create actions.", data, fields=CREATE_FIELDS)
    with transaction.atomic():
        action = Action(**{name: data[name] for name in CREATE_FIELDS if name not in M2M_FIELDS and name in data})
        action.title = action.title.strip()
        action.original_due_date = action.due_date  # kept for ever; later dates are revisions
        at = at or timezone.now()
        action.created_at = at
        # One history record holds every field, the themes and regulations too: the row and its links
        # are written without history first, then recorded once, as created.
        action.skip_history_when_saving = True
        action.save()
        action.themes.set(list(data.get("themes") or []))
        action.regulations.set(list(data.get("regulations") or []))
        del action.skip_history_when_saving
        save_with_history(action, by=creator, at=at, reason="Created")
        if notify:
            notify_after_commit(
                action=action,
                actor=creator,
                changes=[
                    ["New action, owner", "", person_name(action.owner)],
                    ["Due date", "", describe_for_people("due_date", action.due_date)],
                ],
            )
    return action


def _stale_edit(current: Action, expected_version: int) -> StaleEdit:
    """The refusal for an edit read at `expected_version` of an action now at a later version."""
    records = list(current.history.select_related("history_user").order_by("-history_date", "-history_id"))
    read = next((r for r in records if r.version == expected_version), None)
    between = [r for r in records if r.version > expected_version] if read else []
    changes = []
    if read and records[0].history_id != read.history_id:
        m2m = current.history.model._meta.get_field("historicalaction_themes").related_model
        old = frozenset(m2m.objects.filter(history_id=read.history_id).values_list("theme_id", flat=True))
        new = frozenset(m2m.objects.filter(history_id=records[0].history_id).values_list("theme_id", flat=True))
        changes = describe_changes(read, records[0], old_themes=old, new_themes=new)
    people = []
    for record in reversed(between):
        name = person_name(record.history_user) or "someone"
        if name not in people:
            people.append(name)
    who = " and ".join(people) if people else "Someone"
    if changes:
        what = "; ".join(f"{c.label.lower()} from “{c.old or '(blank)'}” to “{c.new or '(blank)'}”" for c in changes)
        message = f"{who} changed this action after you opened it: {what}."
    else:
        message = f"{who} changed this action after you opened it."
    message += " Your changes have not been saved. The form now shows the current values: make your changes again."
    return StaleEdit(message, changes=changes, changed_by=people)


def _revise_due_date(current: Action, *, editor, data: dict, at) -> None:
    # A new due date is a revision, whoever changes it and however: the same rule as the
    # revision pages (a reason, agreed by a lead who is not the owner), recorded as one.
    revision_refusal_for_edit(
        current,
        editor=editor,
        new_date=data["due_date"],
        data=data,
        today=timezone.localdate(at) if at else timezone.localdate(),
    )
    record_agreed_revision(
        current,
        new_date=data["due_date"],
        reason=data["due_date_reason"].strip(),
        requested_by=editor,
        agreed_by=editor,
        at=at,
    )


def action_update(*, action: Action, editor, data: dict, expected_version: int, notify: bool = True, at=None) -> Action:
    """Change an action's details (EDITABLE_FIELDS in `data`) as read at `expected_version`.

    If anyone saved the action since (an edit, a progress entry, a sign-off), the edit is refused with
    a StaleEdit naming what changed and who changed it: nothing is ever silently overwritten. The
    check and the write happen under a row lock, so two simultaneous saves cannot both pass it.
    """
    _require(editor, "actions.change_action", "change an action's details.", data, fields=EDITABLE_FIELDS)
    with transaction.atomic():
        current = locked(action)
        if current.version != expected_version:
            raise _stale_edit(current, expected_version)
        before = {name: getattr(current, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
        old_themes = set(current.themes.values_list("pk", flat=True))
        new_themes = {theme.pk for theme in data.get("themes") or []}
        changed = [name for name in before if name in data and data[name] != before[name]]
        themes_changed = "themes" in data and new_themes != old_themes
        regulations_changed = "regulations" in data and {r.pk for r in data["regulations"] or []} != set(
            current.regulations.values_list("pk", flat=True)
        )
        if not changed and not themes_changed and not regulations_changed:
            return current
        if "due_date" in changed:
            _revise_due_date(current, editor=editor, data=data, at=at)
        for name in changed:
            setattr(current, name, data[name].strip() if name == "title" else data[name])
        current.version += 1
        save_with_history(current, by=editor, at=at, reason="Details edited")
        if themes_changed:
            set_related_with_history(current, "themes", data["themes"], at=at, reason="Themes changed")
        if regulations_changed:
            set_related_with_history(current, "regulations", data["regulations"], at=at, reason="Regulations changed")
        told = [name for name in NOTIFY_FIELDS if name in changed]
        if told and notify:
            notify_after_commit(
                action=current,
                actor=editor,
                changes=[
                    [
                        label_for(name),
                        describe_for_people(name, before[name]),
                        describe_for_people(name, getattr(current, name)),
                    ]
                    for name in told
                ],
                also_notify=[before["owner"]] if "owner" in changed else [],
            )
    return current
