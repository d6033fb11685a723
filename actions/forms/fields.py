"""The fields staff forms share: choosing a person (only people who hold a role), a checklist, a reason."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from actions.services.governance import REASON_MAX_LENGTH
from secamb_journey.roles import Role


class PersonSelect(forms.Select):
    # Every member of staff with a role is an option (hundreds at a large trust, twice on the register):
    # this template writes each option in place instead of including a template per option, which
    # made these lists the slowest part of the register (issue 8, `manage.py bench`). Same HTML.
    template_name = "actions/widgets/person_select.html"


class PersonChoiceField(forms.ModelChoiceField):
    widget = PersonSelect

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ChecklistChoiceField(forms.ModelMultipleChoiceField):
    """Ticked rows (themes, regulations). An id no database integer can hold is refused like any other
    id that is not one of the choices: SQLite would otherwise raise OverflowError (a 500) on the look-up.
    """

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent refuses it as not a valid id
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


def people_in_roles(*, also=()):
    """Active people holding a role in the tracker: who may own or lead an action. `also`: ids kept in
    the list whatever their role now (an action's current owner, so saving it does not fail).
    """
    holds_a_role = Q(is_active=True, groups__name__in=[role.label for role in Role])
    return (
        get_user_model()
        .objects.filter(holds_a_role | Q(pk__in=[pk for pk in also if pk]))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def reason_field(label: str, *, help_text: str = "", missing: str = "", rows: int = 4) -> forms.CharField:
    """The reason for a governance step (a due-date revision or its refusal, a committee's return, a reopening),
    as long as the services allow. missing: the error when it is left empty; none: optional here (the form's
    clean, or the service, says when it is needed).
    """
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(missing),
        error_messages={"required": missing} if missing else None,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
