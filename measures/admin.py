"""Admin for measures. A measure's fields save through the service; values and recalculation points are
entered on the measure pages or by import (which check and keep history), so here they are read only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Measure, MeasureValue, Recalculation
from measures.services import MEASURE_FIELDS, measure_data_problems, measure_save


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History to read, never to revert: a revert would skip the service (its checks and its audit)."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Change it through its page or an import, which keep the history.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyHistoryAdmin(NoRevertHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureAdminForm(forms.ModelForm):
    """The service's checks as field errors, so a refusal is a message on the form, not a 500 at the save."""

    class Meta:
        model = Measure
        fields = "__all__"  # noqa: DJ007 -- the admin's fieldsets choose what is shown

    def clean(self):
        data = super().clean()
        for name, problem in measure_data_problems({key: data.get(key) for key in MEASURE_FIELDS}).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, problem)
        return data


@admin.register(Measure)
class MeasureAdmin(NoRevertHistoryAdmin):
    form = MeasureAdminForm
    list_display = ["name", "slug", "unit", "improvement", "target", "is_public", "exit_criterion", "illustrative"]
    list_filter = ["is_public", "exit_criterion", "improvement", "frequency", "pillars"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["pillars", "themes", "goals", "actions"]

    def save_model(self, request, obj, form, change):
        data = {key: form.cleaned_data[key] for key in MEASURE_FIELDS if key in form.cleaned_data}
        saved, _ = measure_save(slug=obj.slug, data=data, user=request.user)
        obj.pk = saved.pk


@admin.register(MeasureValue)
class MeasureValueAdmin(ReadOnlyHistoryAdmin):
    list_display = ["measure", "period", "value", "entered_by", "entered_at"]
    list_filter = ["measure"]
    list_select_related = ["measure", "entered_by"]


@admin.register(Recalculation)
class RecalculationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["measure", "period", "reason", "created_by", "created_at"]
    list_select_related = ["measure", "created_by"]
