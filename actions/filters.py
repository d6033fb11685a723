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


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Reference or title contains", method="filter_text", help_text="For example MD-01 or safeguarding"
    )
    pillar = django_filters.ModelChoiceFilter(queryset=_pillars, to_field_name="slug", empty_label="Any pillar")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=_themes, to_field_name="slug", empty_label="Any theme"
    )
    type = django_filters.ChoiceFilter(field_name="action_type", choices=ActionType.choices, empty_label="Any type")
    cqc = django_filters.BooleanFilter(
        label="CQC actions only (warning notices, must-dos, should-dos)",
        method="filter_cqc",
        widget=forms.CheckboxInput,
    )
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
    overdue = django_filters.BooleanFilter(
        label="Overdue actions only", method="filter_overdue", widget=forms.CheckboxInput
    )
    stale = django_filters.BooleanFilter(
        label="No progress logged recently", method="filter_stale", widget=forms.CheckboxInput
    )
    # Both inclusive, so "due in the next 30 days" on the dashboard is exactly today..today+30 here.
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after", help_text="For example, 1 3 2026"
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before", help_text="For example, 31 3 2026"
    )
    # Governance and the regulatory mapping (issue 13).
    slipped = django_filters.BooleanFilter(
        label="Slipped: agreed due date later than the original", method="filter_slipped", widget=forms.CheckboxInput
    )
    slipped_twice = django_filters.BooleanFilter(
        label="Slipped by two or more agreed revisions", method="filter_slipped_twice", widget=forms.CheckboxInput
    )
    brought_forward = django_filters.BooleanFilter(
        label="Brought forward: agreed due date earlier than the original",
        method="filter_brought_forward",
        widget=forms.CheckboxInput,
    )
    revision_pending = django_filters.BooleanFilter(
        label="A new due date awaits a lead's decision", method="filter_revision_pending", widget=forms.CheckboxInput
    )
    awaiting_ratification = django_filters.BooleanFilter(
        label="Assured, awaiting ratification", method="filter_awaiting_ratification", widget=forms.CheckboxInput
    )
    on_agenda = django_filters.BooleanFilter(
        label="On a committee's agenda", method="filter_on_agenda", widget=forms.CheckboxInput
    )
    review_due = django_filters.BooleanFilter(
        label="Ratified, sustainability review due", method="filter_review_due", widget=forms.CheckboxInput
    )
    embedded = django_filters.BooleanFilter(label="Embedded", method="filter_embedded", widget=forms.CheckboxInput)
    reopened = django_filters.BooleanFilter(
        label="Reopened after sign-off", method="filter_reopened", widget=forms.CheckboxInput
    )
    reopened_open = django_filters.BooleanFilter(
        label="Reopened and still open", method="filter_reopened_open", widget=forms.CheckboxInput
    )
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
    completed_since = django_filters.DateFilter(
        label="Completed on or after", method="filter_completed_since", help_text="For example, 1 3 2026"
    )
    slipped_since = django_filters.DateFilter(
        label="A later due date agreed on or after", method="filter_slipped_since", help_text="For example, 1 3 2026"
    )
    brought_forward_since = django_filters.DateFilter(
        label="An earlier due date agreed on or after",
        method="filter_brought_forward_since",
        help_text="For example, 1 3 2026",
    )
    reopened_since = django_filters.DateFilter(
        label="Reopened on or after", method="filter_reopened_since", help_text="For example, 1 3 2026"
    )
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

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True) if value else queryset

    def filter_cqc(self, queryset, name, value):
        return queryset.cqc() if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.stale() if value else queryset

    def filter_slipped(self, queryset, name, value):
        return queryset.slipped() if value else queryset

    def filter_slipped_twice(self, queryset, name, value):
        return queryset.filter(changes.slipped_twice_q()) if value else queryset

    def filter_brought_forward(self, queryset, name, value):
        return queryset.brought_forward() if value else queryset

    def filter_revision_pending(self, queryset, name, value):
        return queryset.filter(changes.revision_pending_q()) if value else queryset

    def filter_awaiting_ratification(self, queryset, name, value):
        return queryset.awaiting_ratification() if value else queryset

    def filter_on_agenda(self, queryset, name, value):
        return queryset.filter(changes.on_agenda_q()) if value else queryset

    def filter_review_due(self, queryset, name, value):
        return queryset.review_due() if value else queryset

    def filter_embedded(self, queryset, name, value):
        return queryset.embedded() if value else queryset

    def filter_reopened(self, queryset, name, value):
        return queryset.reopened() if value else queryset

    def filter_reopened_open(self, queryset, name, value):
        return queryset.reopened_open() if value else queryset

    def filter_completed_since(self, queryset, name, value):
        return queryset.filter(changes.completed_since_q(value)) if value else queryset

    def filter_slipped_since(self, queryset, name, value):
        return queryset.filter(changes.slipped_since_q(value)) if value else queryset

    def filter_brought_forward_since(self, queryset, name, value):
        return queryset.filter(changes.brought_forward_since_q(value)) if value else queryset

    def filter_reopened_since(self, queryset, name, value):
        return queryset.filter(changes.reopened_since_q(value)) if value else queryset
