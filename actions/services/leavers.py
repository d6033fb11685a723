"""Giving leavers' open actions a new owner (issue 15): the write behind actions.views.leavers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from actions.models import Action
from actions.selectors.history import person_name
from actions.services.editing import EDITABLE_FIELDS, M2M_FIELDS, action_update


def actions_reassign_owner(*, actions, new_owner, editor) -> list[Action]:
    """Give each of `actions` (leavers' open actions) to `new_owner`, all or none, each through
    action_update so the version, history and e-mails are those of any other change of owner. An action
    that has meanwhile been given an active owner (by another lead) is refused rather than taken.
    """
    if not editor.has_perm("actions.change_action"):
        raise PermissionDenied("Only an improvement lead can give actions a new owner.")
    if not new_owner.is_active:
        raise ValidationError({"new_owner": "That person's account is switched off: choose someone else."})
    changed = []
    with transaction.atomic():
        for action in actions:
            current = Action.objects.select_for_update().select_related("owner").get(pk=action.pk)
            if current.owner.is_active:
                raise ValidationError(
                    {
                        "actions": f"{current.reference} has been given to {person_name(current.owner)} since you "
                        "opened this page. Nothing has been changed: choose again."
                    }
                )
            data = {name: getattr(current, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
            data["owner"] = new_owner
            changed.append(action_update(action=current, editor=editor, data=data, expected_version=current.version))
    return changed
