"""Admin for measures. A measure's fields save through the service; values and recalculation points are
entered on the measure pages or by import (which check and keep history), so here they are read only.
"""

from django import forms
from django.contrib import admin

from measures.models import Measure, MeasureValue, Recalculation
from measures.services import MEASURE_FIELDS, measure_data_problems, measure_save
from secamb_journey.admin_readonly import NoRevertHistoryAdmin, ViewOnlyHistoryAdmin


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
class MeasureValueAdmin(ViewOnlyHistoryAdmin):
    list_display = ["measure", "period", "value", "entered_by", "entered_at"]
    list_filter = ["measure"]
    list_select_related = ["measure", "entered_by"]


@admin.register(Recalculation)
class RecalculationAdmin(ViewOnlyHistoryAdmin):
    list_display = ["measure", "period", "reason", "created_by", "created_at"]
    list_select_related = ["measure", "created_by"]
