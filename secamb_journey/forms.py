"""Form plumbing shared by every app: the NHS.UK form mixin and the NHS.UK date input.

Every form a person fills in mixes in `NHSFormMixin`, so the crispy "nhsuk" pack renders it with an
error summary, hints, inline errors and an NHS.UK button, and no HTML maxlength hides our messages.
"""

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

# A file with nothing in it, wherever one is refused (forms, the evidence service, the imports).
EMPTY_FILE = "The selected file is empty. Choose a file that has something in it"
# The example the NHS.UK date pattern asks error messages to give. Fixed, so messages stay stable.
DATE_EXAMPLE = "15 3 2026"


def size_in_words(size: int) -> str:
    """A file-size limit as people read it: "500 KB", "1 MB", "1.5 MB" (never "0 MB")."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
DATE_PARTS = ("day", "month", "year")


def lower_first(text) -> str:
    """'Due date' -> 'due date', for use mid-sentence; 'CQC regulation' and 'I confirm' keep their capitals."""
    text = str(text or "")
    first_word = text.split(" ", 1)[0]
    if first_word.isupper() and (len(first_word) > 1 or first_word == "I"):
        return text
    return text[:1].lower() + text[1:]


class NHSSubmit(Submit):
    """The form's main button: the pack renders it as an NHS.UK primary button."""

    field_classes = "nhsuk-button"


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes (the NHS.UK date input). The pack's field template adds the fieldset,
    legend, hint and error; this widget renders the three labelled boxes.

    Sub-fields are named `<name>_day`, `<name>_month`, `<name>_year` and have ids `<id>_day` and so on,
    so an error summary links to `#<id>_day`.
    """

    template_name = "nhsuk/widgets/date_input.html"
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        # A link may carry the date as one ISO value (?due_before=2026-03-31), as the dashboard's
        # links to the register do; the boxes win when both are present.
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        # There is no single box to label; the day box is where an error summary link should land.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        # Django marks an invalid field aria-invalid; NHS.UK also outlines each box in red.
        has_error = widget["attrs"].get("aria-invalid") == "true"
        id_ = widget["attrs"].get("id")
        items = []
        for part, subwidget in zip(DATE_PARTS, widget["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            classes = ["nhsuk-input", f"nhsuk-input--width-{self.widths[part]}", "nhsuk-date-input__input"]
            if has_error:
                classes.insert(1, "nhsuk-input--error")
            sub_attrs["class"] = " ".join(classes)
            sub_attrs.pop("aria-describedby", None)  # the fieldset carries the hint and error
            items.append({"part": part, "label": part.capitalize(), "widget": subwidget})
        widget["items"] = items
        widget["has_error"] = has_error
        return context


class NHSDateField(forms.Field):
    """A date typed as day, month and year, cleaned to a `datetime.date`.

    `due_date = NHSDateField(label="Due date")` in a form; in a ModelForm a model DateField becomes one
    automatically through `NHSFormMixin` (or name it in `Meta.field_classes`).
    """

    widget = NHSDateInput
    default_error_messages = {
        "required": "Enter the {label}",
        "invalid": f"Enter a real date, for example {DATE_EXAMPLE}",
        "missing": "{Label} must include a {parts}",
        "year_digits": "Year must include 4 numbers",
    }

    def __init__(self, *, help_text="", **kwargs):
        # NHS.UK asks every date input for an example of the format; a field may say more.
        super().__init__(help_text=help_text or f"For example, {DATE_EXAMPLE}", **kwargs)

    def _message(self, key: str, parts: str = "") -> str:
        # str.replace, not str.format: a label or a custom message may itself contain braces.
        label = str(self.label or "date")
        return (
            str(self.error_messages[key])
            .replace("{label}", lower_first(label))
            .replace("{Label}", label[:1].upper() + label[1:])
            .replace("{parts}", parts)
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(self._message("invalid"), code="invalid") from None
        parts = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=False))
        if not any(parts.values()):
            return None
        missing = [part for part in DATE_PARTS if not parts.get(part)]
        if missing:
            raise ValidationError(self._message("missing", parts=" and ".join(missing)), code="incomplete")
        day, month, year = parts["day"], parts["month"], parts["year"]
        month_number = MONTH_NAMES.get(month.lower().rstrip("."))
        if month_number is not None:
            month = str(month_number)
        if not (re.fullmatch(r"\d{1,2}", day) and re.fullmatch(r"\d{1,2}", month) and re.fullmatch(r"\d+", year)):
            raise ValidationError(self._message("invalid"), code="invalid")
        if len(year) != 4:
            raise ValidationError(self._message("year_digits"), code="year_digits")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self._message("invalid"), code="invalid") from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise ValidationError(self._message("required"), code="required")

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        initial = self.to_python(initial) if initial not in self.empty_values else None
        return initial != data


# Django's generic messages, which say nothing about which field is wrong: replaced with NHS.UK-style ones.
_DEFAULT_REQUIRED = str(forms.Field.default_error_messages["required"])
_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select, forms.CheckboxInput)


class NHSFormMixin:
    """Mix into a Form or ModelForm (before it): `class ActionForm(NHSFormMixin, forms.ModelForm)`.

    - `title`: the page and form heading; `submit_text`: the button's words.
    - `self.helper` is a crispy FormHelper for the "nhsuk" pack: POST, a form tag, CSRF, one NHS.UK button.
      Render with `{% load crispy_forms_tags %}{% crispy form %}`.
    - Plain DateFields become `NHSDateField` (day, month, year boxes); HTML maxlength is removed so a long
      entry gets our error message instead of being silently cut short.
    """

    title: str = ""
    submit_text: str = "Continue"
    # Fields shown only under the choice that needs them (the NHS.UK conditional reveal):
    # {choice field: {choice value: [field names]}}; a single checkbox's value is "on". A revealed field
    # is never labelled "(optional)": it is needed when its choice is made (the form's clean says so).
    reveals: dict[str, dict[str, list[str]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
                field = self.fields[name] = self._as_nhs_date_field(field, name)
            # What the page shows as the field's label (Django's own fallback when none is given).
            label = str(field.label) if field.label else pretty_name(name)
            self._strip_maxlength(field, label)
            self._name_the_field_in_messages(field, label)
        for choice_field, by_value in self.reveals.items():
            for name in (name for names in by_value.values() for name in names):
                self.fields[name].revealed_by = choice_field
                self.fields[name].conditionally_required = True
        self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.template_pack = "nhsuk"
        helper.form_method = "post"
        helper.form_tag = True
        helper.disable_csrf = False
        helper.add_input(NHSSubmit("submit", self.submit_text))
        # Read by the pack's templates: "(optional)" after the label of a field that may be left empty.
        helper.mark_optional = True
        return helper

    @staticmethod
    def _as_nhs_date_field(field: forms.DateField, name: str) -> NHSDateField:
        return NHSDateField(
            required=field.required,
            label=field.label or pretty_name(name),
            help_text=field.help_text,
            initial=field.initial,
            disabled=field.disabled,
            validators=list(field.validators),
        )

    @staticmethod
    def _strip_maxlength(field: forms.Field, label: str) -> None:
        for widget in getattr(field.widget, "widgets", [field.widget]):
            widget.attrs.pop("maxlength", None)
        message = f"{label.replace('%', '%%')} must be %(limit_value)d characters or fewer"
        field.validators = [
            MaxLengthValidator(v.limit_value, message=message) if type(v) is MaxLengthValidator else v
            for v in field.validators
        ]

    @staticmethod
    def _name_the_field_in_messages(field: forms.Field, label: str) -> None:
        """Django's generic messages become ones that name the field and say what to do. A question for a
        label ("Why is it refused?") cannot be turned into an instruction by rule: such a field says its
        own "required" message, and this falls back to a plain instruction."""
        defaults = {}
        for cls in reversed(type(field).__mro__):
            defaults.update(getattr(cls, "default_error_messages", {}))
        messages = dict(field.error_messages)
        named = lower_first(label)
        for key in ("invalid_choice", "invalid_pk_value", "invalid_list"):
            if key in messages and messages[key] == defaults.get(key):
                messages[key] = f"Choose {named} from the list shown"
        if isinstance(field, forms.FileField) and messages.get("empty") == defaults.get("empty"):
            messages["empty"] = EMPTY_FILE
        if not isinstance(field, NHSDateField) and str(messages.get("required")) == _DEFAULT_REQUIRED:
            verb = "Select" if isinstance(field.widget, (forms.FileInput, *_CHOICE_WIDGETS)) else "Enter"
            messages["required"] = "Answer this question" if label.endswith("?") else f"{verb} {named}"
        field.error_messages = messages
