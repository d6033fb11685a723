"""The action register's filters and sort order (django-filter). Every filter lives in the URL, so a
filtered register can be bookmarked or shared.
"""

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django_filters.widgets import BaseCSVWidget

from actions import changes
from actions.choices import ActionType, Status
from actions.forms.fields import PersonChoiceField, people_in_roles
from actions.models import CoreService, KeyQuestion, Regulation
from pillars.models import Pillar
from secamb_journey.forms import NHSFormMixin
from themes.models import Theme


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def _people_to_choose(request):
    # Only what an option shows and the filter matches on (issue 15's profile: two selects of every
    # person in a role made most of the register's time building whole User rows).
    return people_in_roles().only("pk", "username", "first_name", "last_name")


# Callables rather than querysets: django-filter deep-copies every filter for each request, and a
# queryset's deep copy is most of the register's filter form (issue 15's profile).
def _pillars(request):
    return Pillar.objects.order_by("number")


def _themes(request):
    return Theme.objects.order_by("number")


def _regulations(request):
    return Regulation.objects.order_by("order")


class RegisterFilterForm(NHSFormMixin, forms.Form):
    title = "Filter actions"
    submit_text = "Apply filters"

    def build_helper(self) -> FormHelper:
        # The page writes the <form method="get"> and its button: a GET form needs no CSRF token, and a
        # named submit button would add itself to every shared link.
        helper = FormHelper()
        helper.template_pack = "nhsuk"
        helper.form_tag = False
        helper.disable_csrf = True
        return helper


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    surrogate = forms.HiddenInput


# (URL value, column heading): the register's sortable columns. "-" in front sorts descending.
SORT_FIELDS = (
    ("reference", "reference"),
    ("title", "title"),
    ("due_date", "due"),
    ("status_rank", "status"),
    ("percent_complete", "percent"),
    ("owner__last_name", "owner"),
)


def ticked(label: str, narrow) -> django_filters.BooleanFilter:
    """A tick box: while it is ticked, only the actions `narrow(queryset)` keeps."""
    return django_filters.BooleanFilter(
        label=label,
        widget=forms.CheckboxInput,
        method=lambda queryset, name, value: narrow(queryset) if value else queryset,
    )


def since(label: str, q_since) -> django_filters.DateFilter:
    """A day: once given, only the actions `q_since(day)` matches (actions/changes.py). django-filter calls
    the method only for a value.
    """
    return django_filters.DateFilter(
        label=label, help_text="For example, 1 3 2026", method=lambda queryset, name, day: queryset.filter(q_since(day))
    )


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference or title contains", method="filter_text", help_text="For example MD-01 or safeguarding"
    )
    pillar = django_filters.ModelChoiceFilter(queryset=_pillars, to_field_name="slug", empty_label="Any pillar")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=_themes, to_field_name="slug", empty_label="Any theme"
    )
    type = django_filters.ChoiceFilter(field_name="action_type", choices=ActionType.choices, empty_label="Any type")
    cqc = ticked("CQC actions only (warning notices, must-dos, should-dos)", lambda actions: actions.cqc())
    # Repeatable (?status=complete&status=assured) so a dashboard figure such as "done" links to exactly
    # the actions it counts.
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, widget=forms.CheckboxSelectMultiple, label="Status"
    )
    owner = PersonFilter(queryset=_people_to_choose, to_field_name="username", empty_label="Anyone")
    executive_lead = PersonFilter(
        field_name="executive_lead",
        label="Executive lead",
        queryset=_people_to_choose,
        to_field_name="username",
        empty_label="Anyone",
    )
    overdue = ticked("Overdue actions only", lambda actions: actions.filter(overdue=True))
    stale = ticked("No progress logged recently", lambda actions: actions.stale())
    # Both inclusive, so "due in the next 30 days" on the dashboard is exactly today..today+30 here.
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after", help_text="For example, 1 3 2026"
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before", help_text="For example, 31 3 2026"
    )
    # Governance and the regulatory mapping (issue 13).
    slipped = ticked("Slipped: agreed due date later than the original", lambda actions: actions.slipped())
    slipped_twice = ticked(
        "Slipped by two or more agreed revisions", lambda actions: actions.filter(changes.slipped_twice_q())
    )
    brought_forward = ticked(
        "Brought forward: agreed due date earlier than the original", lambda actions: actions.brought_forward()
    )
    revision_pending = ticked(
        "A new due date awaits a lead's decision", lambda actions: actions.filter(changes.revision_pending_q())
    )
    awaiting_ratification = ticked("Assured, awaiting ratification", lambda actions: actions.awaiting_ratification())
    on_agenda = ticked("On a committee's agenda", lambda actions: actions.filter(changes.on_agenda_q()))
    review_due = ticked("Ratified, sustainability review due", lambda actions: actions.review_due())
    embedded = ticked("Embedded", lambda actions: actions.embedded())
    reopened = ticked("Reopened after sign-off", lambda actions: actions.reopened())
    reopened_open = ticked("Reopened and still open", lambda actions: actions.reopened_open())
    regulation = django_filters.ModelChoiceFilter(
        field_name="regulations",
        queryset=_regulations,
        to_field_name="number",
        empty_label="Any regulation",
        label="Regulation breached",
    )
    key_question = django_filters.ChoiceFilter(choices=KeyQuestion.choices, empty_label="Any key question")
    core_service = django_filters.ChoiceFilter(choices=CoreService.choices, empty_label="Any core service")
    # What changed since a day: the board dashboard's "since the last meeting" (issue 14); the rules are
    # actions/changes.py, shared with the figures that link here.
    completed_since = since("Completed on or after", changes.completed_since_q)
    slipped_since = since("A later due date agreed on or after", changes.slipped_since_q)
    brought_forward_since = since("An earlier due date agreed on or after", changes.brought_forward_since_q)
    reopened_since = since("Reopened on or after", changes.reopened_since_q)
    # Chosen by the column headings; kept in a hidden field so that filtering does not lose it.
    sort = django_filters.OrderingFilter(fields=SORT_FIELDS, label="Sort by", widget=HiddenCSVWidget)

    class Meta:
        form = RegisterFilterForm
        fields = []  # every filter is declared above

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))
