"""Extreme but finite values (issue 28, finding 3): one rule bounds a value on the way in (the value form,
the import page, import_measure_values, the services), and a value stored before the rule cannot take
down a page, a pack or an update that lists other measures: that measure alone says its figures cannot
be drawn.
"""

import csv
import datetime
import io
import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from measures.models import MeasureValue
from measures.services import measure_save, measure_value_enter
from measures.tests.factories import MeasureFactory, add_values
from reports.models import BoardPack, PublishedUpdate

pytestmark = pytest.mark.django_db

examples = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis folder in the working tree; failures print their example
    suppress_health_check=[HealthCheck.too_slow],
)

RANGE_MESSAGE = "Enter a number between -1,000,000,000,000 and 1,000,000,000,000"
CANNOT = "These figures cannot be drawn"

# Every float: subnormals, huge magnitudes, nan and infinities, and the edges of the range.
any_float = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.floats(min_value=-1e13, max_value=1e13),
    st.floats(min_value=-1e-8, max_value=1e-8, allow_subnormal=True),
    st.sampled_from([1e12, -1e12, 1e-9, -1e-9, 0.0, -0.0, 1e308, 7e307, 5e-324, 1e-300, math.nextafter(1e12, 2e12)]),
)


def accepted(x: float) -> bool:
    """The range, written out here independently of the code under test."""
    return math.isfinite(x) and abs(x) <= 1e12 and (x == 0 or abs(x) >= 1e-9)


def same(stored: float, x: float) -> bool:
    """Stored exactly: bit for bit (a database may keep -0.0 as 0.0, the same number)."""
    return stored == x and (x == 0 or stored.hex() == x.hex())


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


# --- On the way in: one rule for the form, the import page and the command -------------------------


def test_the_value_form_takes_a_value_in_range_exactly_and_refuses_any_other_with_the_range(client_for, lead):
    measure = MeasureFactory(slug="cat1-mean")
    client = client_for(lead)

    @examples
    @given(x=any_float)
    @example(x=1e308)
    @example(x=5e-324)
    def check(x):
        MeasureValue.objects.all().delete()
        response = client.post("/measures/cat1-mean/values/new/", {"period": "2026-01", "value": repr(x)})
        if accepted(x):
            assert response.status_code == 302
            assert same(MeasureValue.objects.get(measure=measure).value, x)
        else:
            assert response.status_code == 200
            html = response.content.decode()
            assert RANGE_MESSAGE in html or "Enter the value as a number" in html  # nan, inf: not numbers at all
            assert not MeasureValue.objects.exists()

    check()


def test_the_import_page_previews_a_value_in_range_and_refuses_any_other_naming_row_and_column(client_for, lead):
    MeasureFactory(slug="cat1-mean")
    client = client_for(lead)

    @examples
    @given(x=any_float)
    @example(x=7e307)
    def check(x):
        response = client.post(
            "/measures/import/", {"file": _upload(f"measure,period,value\ncat1-mean,2026-01,{x!r}\n")}
        )
        assert response.status_code == 200
        html = response.content.decode()
        if accepted(x):
            assert 'name="confirm"' in html
        else:
            assert 'name="confirm"' not in html
            [problem] = [str(p) for p in response.context["preview"].problems]
            assert problem.startswith((f"Row 2, value: {RANGE_MESSAGE}", "Row 2, value: Enter the value as a number"))
            assert problem.split(": ", 1)[1] in html
        assert not MeasureValue.objects.exists()  # the preview never saves

    check()


def test_import_measure_values_stores_a_value_in_range_and_refuses_any_other(tmp_path):
    measure = MeasureFactory(slug="cat1-mean")
    path = tmp_path / "values.csv"

    @examples
    @given(x=any_float)
    @example(x=1e308)
    def check(x):
        MeasureValue.objects.all().delete()
        path.write_text(f"measure,period,value\ncat1-mean,2026-01,{x!r}\n", encoding="utf-8")
        if accepted(x):
            call_command("import_measure_values", path, stdout=io.StringIO())
            assert same(MeasureValue.objects.get(measure=measure).value, x)
        else:
            with pytest.raises(CommandError, match="Row 2, value: ") as refused:
                call_command("import_measure_values", path, stdout=io.StringIO())
            assert "nothing was imported" in str(refused.value)
            assert not MeasureValue.objects.exists()

    check()


@pytest.mark.parametrize("bad", [1e308, -7e307, 5e-324, 1.5e12, float("inf"), float("nan")])
def test_the_services_refuse_a_value_or_a_target_out_of_range(lead, bad):
    measure = MeasureFactory()
    with pytest.raises(ValidationError, match=RANGE_MESSAGE):
        measure_value_enter(measure=measure, period=datetime.date(2026, 1, 1), value=bad, user=lead)
    with pytest.raises(ValidationError, match="The target: enter a number between"):
        measure_save(slug=measure.slug, data={"name": "X", "improvement": "increase", "target": bad})
    assert not MeasureValue.objects.exists()


# --- Stored before the rule: one bad measure beside a good one --------------------------------------

# Each broke a page, the pack or the update in the review: overflow in the mean (fsum) and the chart's
# ticks, Infinity in JSON, and StopIteration on a subnormal.
BAD_SERIES = {
    "1e308 twice": [1e308, 1e308],
    "7e307 beside ordinary values": [8.0, 7e307, 8.2],
    "a subnormal between zeros": [0.0, 5e-324, 0.0],
    "an infinity": [8.0, float("inf")],
}


@pytest.fixture(params=list(BAD_SERIES), ids=list(BAD_SERIES))
def good_and_bad(request):
    good = MeasureFactory(slug="cat1-mean", name="Category 1 mean", exit_criterion=True, target=7.0)
    add_values(good, [8.4, 8.6, 8.3, 8.7, 8.1], start=datetime.date(2026, 1, 1))
    bad = MeasureFactory(slug="broken", name="Broken measure", exit_criterion=True)
    period = datetime.date(2026, 1, 1)
    for value in BAD_SERIES[request.param]:
        # Straight into the table, as a value stored before the rule existed would be.
        MeasureValue.objects.create(measure=bad, period=period, value=value, entered_at=timezone.now())
        period = datetime.date(2026, period.month + 1, 1)
    return good, bad


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_the_public_list_and_the_bad_measures_page_stand_and_say_so(client, good_and_bad):
    listing = client.get("/performance/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Category 1 mean" in html and "8.1 minutes" in html  # the good measure, intact
    assert "Broken measure" in html and CANNOT in html
    page = client.get("/performance/broken/")
    assert page.status_code == 200
    assert CANNOT in page.content.decode() and '<svg class="app-chart__svg"' not in page.content.decode()
    good_page = client.get("/performance/cat1-mean/").content.decode()
    assert '<svg class="app-chart__svg"' in good_page and CANNOT not in good_page


def test_open_data_stays_valid_and_keeps_the_good_measure(client, good_and_bad):
    response = client.get("/open-data/measures.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[0] for r in rows[1:]] == ["cat1-mean"] * 5  # the bad measure's points are left out
    assert not any(cell in ("inf", "-inf", "nan") for row in rows for cell in row)
    bad = client.get("/open-data/measures/broken.json")
    assert bad.status_code == 200
    data = strict_json(bad.content.decode())
    assert (data["points"], data["variation_icon"], data["assurance_icon"]) == ([], None, None)
    good = strict_json(client.get("/open-data/measures/cat1-mean.json").content.decode())
    assert len(good["points"]) == 5 and good["target"] == 7.0


def test_staff_pages_stand_and_list_the_bad_values_to_correct(client_for, lead, board, good_and_bad):
    summary = client_for(lead).get("/measures/")
    assert summary.status_code == 200
    assert "Category 1 mean" in summary.content.decode() and CANNOT in summary.content.decode()
    detail = client_for(lead).get("/measures/broken/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert CANNOT in html and 'href="/measures/broken/values/2026-01/correct/"' in html
    assert "Outside the range" in html
    dashboard = client_for(board).get("/dashboard/")
    assert dashboard.status_code == 200
    assert "All 2 measures, with their charts" in dashboard.content.decode()
    assert "Category 1 mean" in client_for(board).get("/measures/").content.decode()


def test_a_bad_value_can_be_corrected_and_the_chart_comes_back(client_for, lead, good_and_bad):
    _, bad = good_and_bad
    client = client_for(lead)
    for value in MeasureValue.objects.filter(measure=bad):
        period = bad.period_text(value.period)
        response = client.post(f"/measures/broken/values/{period}/correct/", {"value": "8", "note": "Typo"})
        assert response.status_code == 302
    assert '<svg class="app-chart__svg"' in client.get("/measures/broken/").content.decode()


def test_the_board_pack_is_made_with_the_good_measures_figures_and_chart(board, good_and_bad):
    call_command("generate_board_pack", date="2026-12-01", stdout=io.StringIO())
    pack = BoardPack.objects.get()
    rows = {r["name"]: r for r in pack.figures["measures"]["rows"]}
    assert rows["Category 1 mean"]["latest"] == "8.1 minutes"
    assert rows["Broken measure"]["latest"].startswith(CANNOT)
    assert rows["Broken measure"]["variation_words"] == CANNOT
    strict_json(json.dumps(pack.figures))
    assert pack.html.count('<svg class="app-chart__svg"') == 1  # the good exit criterion's chart
    assert "SPC chart of Category 1 mean" in pack.html and CANNOT in pack.html


def test_the_monthly_update_freezes_the_good_measure_and_says_the_bad_cannot_be_drawn(client, good_and_bad):
    call_command("generate_update", "--period", "2026-10", "--publish", stdout=io.StringIO())
    update = PublishedUpdate.objects.get()
    frozen = {m["slug"]: m for m in update.figures["measures"]}
    assert frozen["cat1-mean"]["value"] == 8.1 and frozen["cat1-mean"]["variation_icon"]
    assert frozen["broken"]["value"] is None and frozen["broken"]["problem"].startswith(CANNOT)
    strict_json(json.dumps(update.figures))
    page = client.get(f"/updates/{update.slug}/")
    assert page.status_code == 200
    assert "Category 1 mean" in page.content.decode() and CANNOT in page.content.decode()


def test_a_target_stored_out_of_range_is_contained_too(client, good_and_bad):
    good, _ = good_and_bad
    type(good).objects.filter(pk=good.pk).update(target=-1e308)
    page = client.get("/performance/cat1-mean/")
    assert page.status_code == 200 and "the target is outside the range" in page.content.decode()
    data = strict_json(client.get("/open-data/measures/cat1-mean.json").content.decode())
    assert data["target"] is None and data["points"] == []
