"""Forms for measure values: enter one, correct one, import a file, and the summary's filters.

Numbers are read with float() on the text as typed, so what is stored is the nearest double to what was
typed: never rounded to a number of places.
"""

import math

from django import forms

from measures.models import PERIOD_FORMATS, parse_period
from measures.services import measure_number_problem
from pillars.models import Pillar
from secamb_journey.forms import EMPTY_FILE, NHSFormMixin
from themes.models import Theme


def parse_value(text: str) -> float:
    """A finite number as typed (thousands separators allowed); ValueError otherwise."""
    cleaned = (text or "").strip().replace(",", "")
    number = float(cleaned)
    if not math.isfinite(number) or cleaned.lower() in ("nan", "inf", "-inf", "infinity", "-infinity"):
        raise ValueError("not a finite number")
    return number


class ValueField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = parse_value(text)
        except ValueError:
            raise forms.ValidationError("Enter the value as a number, for example 7.25") from None
        if problem := measure_number_problem(number):
            raise forms.ValidationError(problem)
        return number


class MeasureValueForm(NHSFormMixin, forms.Form):
    title = "Enter a value"
    submit_text = "Save the value"
    reveals = {"rebase": {"on": ["reason"]}}

    period = forms.CharField(label="Period", error_messages={"required": "Enter the period"})
    value = ValueField(label="Value", error_messages={"required": "Enter the value"})
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    rebase = forms.BooleanField(
        label="Recalculate the mean and limits from this period",
        required=False,
        help_text="Only when the process itself has changed (a new way of working, a new standard).",
    )
    reason = forms.CharField(label="Reason for recalculating", required=False, max_length=500)

    def __init__(self, *args, measure, **kwargs):
        self.measure = measure
        super().__init__(*args, **kwargs)
        self.fields["period"].help_text = f"Enter it as {PERIOD_FORMATS[measure.frequency]}"
        if measure.unit:
            self.fields["value"].help_text = f"In {measure.unit}, exactly as reported."

    def clean_period(self):
        try:
            return parse_period(self.measure.frequency, self.cleaned_data["period"])
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean(self):
        data = super().clean()
        if data.get("rebase") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the mean and limits are recalculated from this period")
        return data


class CorrectValueForm(NHSFormMixin, forms.Form):
    title = "Correct a value"
    submit_text = "Save the correction"

    value = ValueField(label="Corrected value", error_messages={"required": "Enter the corrected value"})
    note = forms.CharField(
        label="Why it is being corrected",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the value is being corrected"},
    )


class MeasureImportForm(NHSFormMixin, forms.Form):
    title = "Import measures or values"
    submit_text = "Check the file"

    file = forms.FileField(
        label="CSV file",
        help_text="Measures (columns slug, name, unit, improvement, target, baseline_points, screen_outliers, public) "
        "or values (columns measure, period, value, and optionally rebase and note).",
        error_messages={"required": "Select the CSV file", "empty": EMPTY_FILE},
    )


class SummaryFilterForm(forms.Form):
    # A pillar or theme in the address that is not one (an old link, a typed address) says so on the filter.
    pillar = forms.ModelChoiceField(
        Pillar.objects.order_by("number"),
        required=False,
        to_field_name="slug",
        empty_label="All pillars",
        error_messages={"invalid_choice": "Select a pillar from the list, or All pillars"},
    )
    theme = forms.ModelChoiceField(
        Theme.objects.order_by("number"),
        required=False,
        to_field_name="slug",
        empty_label="All themes",
        label="Theme",
        error_messages={"invalid_choice": "Select a theme from the list, or All themes"},
    )
