"""The measure importer checks every field against the model's limits and the text rules in the preview
(issue 28, finding 5): what the preview lets through, confirming stores; what confirming would refuse, the
preview refuses first, naming the row and the column. Never a 500, never a "Try again" that cannot work.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from measures import importing
from measures.models import Measure, MeasureValue
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

MEASURE_HEADING = "slug,name,unit,improvement,target,baseline_points,screen_outliers,public"


def measures_csv(*, name="Category 1 mean", unit="minutes", baseline="") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MEASURE_HEADING.split(","))
    writer.writerow(["cat1-mean", name, unit, "decrease", "7", baseline, "yes", "yes"])
    return out.getvalue()


def values_csv(*, note="", value="7.25") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "period", "value", "note"])
    writer.writerow(["cat1-mean", "2026-01", value, note])
    return out.getvalue()


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("in.csv", text.encode(), content_type="text/csv")


MEASURE_REFUSALS = [
    ("baseline points in superscript", {"baseline": "²"}, "Row 2, baseline_points: Enter a whole number from 2 to"),
    (
        "a baseline beyond the field",
        {"baseline": "99999999"},
        "Row 2, baseline_points: Enter a whole number from 2 to 32,767",
    ),
    ("a 300-character name", {"name": "N" * 300}, "Row 2, name: Use 200 characters or fewer (this has 300)"),
    ("a 300-character unit", {"unit": "u" * 300}, "Row 2, unit: Use 40 characters or fewer (this has 300)"),
    ("a NUL in the name", {"name": "Category\x001"}, "Row 2, name: Remove the control character"),
    ("a line break in the unit", {"unit": "min\nutes"}, "Row 2, unit: Remove the control character"),
]
VALUE_REFUSALS = [
    ("a 600-character note", {"note": "n" * 600}, "Row 2, note: Use 500 characters or fewer (this has 600)"),
    ("a NUL in the note", {"note": "Late\x00 return"}, "Row 2, note: Remove the control character"),
    ("a bell in the note", {"note": "Late\x07"}, "Row 2, note: Remove the control character"),
]


@pytest.mark.parametrize(("case", "fields", "message"), MEASURE_REFUSALS, ids=[c[0] for c in MEASURE_REFUSALS])
def test_the_preview_refuses_a_measure_field_beyond_the_models_limits(client_for, lead, case, fields, message):
    response = client_for(lead).post("/measures/import/", {"file": _upload(measures_csv(**fields))})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["preview"].problems]
    assert len(problems) == 1 and problems[0].startswith(message)
    assert 'name="confirm"' not in response.content.decode()
    assert not Measure.objects.exists()


@pytest.mark.parametrize(("case", "fields", "message"), MEASURE_REFUSALS, ids=[c[0] for c in MEASURE_REFUSALS])
def test_import_measures_refuses_the_same_naming_row_and_column(tmp_path, case, fields, message):
    path = tmp_path / "measures.csv"
    path.write_text(measures_csv(**fields), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported") as refused:
        call_command("import_measures", path, stdout=io.StringIO())
    assert message in str(refused.value)
    assert not Measure.objects.exists()


@pytest.mark.parametrize(("case", "fields", "message"), VALUE_REFUSALS, ids=[c[0] for c in VALUE_REFUSALS])
def test_the_preview_refuses_a_note_beyond_the_models_limits(client_for, lead, case, fields, message):
    MeasureFactory(slug="cat1-mean")
    response = client_for(lead).post("/measures/import/", {"file": _upload(values_csv(**fields))})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["preview"].problems]
    assert len(problems) == 1 and problems[0].startswith(message)
    assert 'name="confirm"' not in response.content.decode()
    assert not MeasureValue.objects.exists()


@pytest.mark.parametrize(("case", "fields", "message"), VALUE_REFUSALS, ids=[c[0] for c in VALUE_REFUSALS])
def test_import_measure_values_refuses_the_same_and_never_fails(tmp_path, case, fields, message):
    MeasureFactory(slug="cat1-mean")
    path = tmp_path / "values.csv"
    path.write_text(values_csv(**fields), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported") as refused:
        call_command("import_measure_values", path, stdout=io.StringIO())
    assert message in str(refused.value)
    assert not MeasureValue.objects.exists()


def test_a_field_over_the_csv_limit_is_refused_with_a_clear_message(client_for, lead, tmp_path):
    MeasureFactory(slug="cat1-mean")
    text = 'measure,period,value,note\ncat1-mean,2026-01,7,"' + "x" * 140_000 + '"\n'
    response = client_for(lead).post("/measures/import/", {"file": _upload(text)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 2: a field is longer than 131,072 characters" in html and 'name="confirm"' not in html
    path = tmp_path / "values.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Row 2: a field is longer than 131,072 characters"):
        call_command("import_measure_values", path, stdout=io.StringIO())
    assert not MeasureValue.objects.exists()


def test_fields_at_the_models_limits_pass_the_preview_and_confirm_stores_them(client_for, lead):
    MeasureFactory(slug="cat1-mean", name="Old name")
    client = client_for(lead)
    preview = client.post(
        "/measures/import/", {"file": _upload(measures_csv(name="N" * 200, unit="u" * 40, baseline="32767"))}
    )
    assert not preview.context["preview"].problems
    done = client.post("/measures/import/", {"confirm": preview.context["digest"]})
    assert done.status_code == 302 and done["Location"] == "/measures/"
    measure = Measure.objects.get(slug="cat1-mean")
    assert (len(measure.name), len(measure.unit), measure.baseline_points) == (200, 40, 32767)
    note = "Late return\nfrom one station\tcounted " + "x" * 450
    preview = client.post("/measures/import/", {"file": _upload(values_csv(note=note[:500]))})
    assert not preview.context["preview"].problems
    done = client.post("/measures/import/", {"confirm": preview.context["digest"]})
    assert done.status_code == 302
    assert MeasureValue.objects.get(measure=measure).note == note[:500]


examples = hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the working tree; failures print their example
    suppress_health_check=[HealthCheck.too_slow],
)
# Text as it arrives in spreadsheets: anything, control characters and lengths around the limits.
awkward = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
    st.builds(lambda a, n: a * n, st.sampled_from(["x", "é", "🚑"]), st.integers(min_value=35, max_value=520)),
)


def test_what_the_preview_lets_through_confirming_stores_and_the_model_accepts():
    """Nothing the preview passes fails at the confirmation: the preview and the save check the same."""
    MeasureFactory(slug="cat1-mean")

    @examples
    @given(name=awkward, unit=awkward, baseline=st.one_of(st.integers(-5, 40000).map(str), awkward), note=awkward)
    def check(name, unit, baseline, note):
        for content in (measures_csv(name=name, unit=unit, baseline=baseline), values_csv(note=note)):
            try:
                preview = importing.check_file(content=content.encode())
            except importing.ImportFileProblem:
                continue
            if preview.problems:
                with pytest.raises(importing.ImportRefused):
                    importing.import_file(content=content.encode())
                continue
            importing.import_file(content=content.encode())  # never raises: the preview said it would go
        measure = Measure.objects.get(slug="cat1-mean")
        measure.full_clean(exclude=["pillars", "themes", "goals", "actions"])
        for value in MeasureValue.objects.all():
            value.full_clean()
            assert "\x00" not in value.note
        assert "\x00" not in measure.name + measure.unit
        MeasureValue.objects.all().delete()

    check()
