"""import_measures and import_measure_values (DESIGN.md, interface contract), and the /measures/import/ page:
a bad row refuses the whole file, naming the row and the problem; values are never rounded.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from measures.models import Measure, MeasureValue, Recalculation
from measures.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

MEASURES_CSV = """slug,name,unit,improvement,target,baseline_points,screen_outliers,public
cat1-mean,Category 1 mean response time,minutes,decrease,7,,yes,yes
ftsu-concerns,Freedom to Speak Up concerns,concerns,neutral,,12,no,no
"""


def _file(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_measures_creates_then_updates(tmp_path):
    call_command("import_measures", _file(tmp_path, MEASURES_CSV), stdout=open("/dev/null", "w"))
    cat1 = Measure.objects.get(slug="cat1-mean")
    assert (cat1.name, cat1.unit, cat1.improvement, cat1.target, cat1.is_public) == (
        "Category 1 mean response time",
        "minutes",
        "decrease",
        7.0,
        True,
    )
    ftsu = Measure.objects.get(slug="ftsu-concerns")
    assert (ftsu.target, ftsu.baseline_points, ftsu.screen_outliers, ftsu.is_public) == (None, 12, False, False)
    changed = MEASURES_CSV.replace("decrease,7,,yes,yes", "decrease,7.5,,yes,no")
    call_command("import_measures", _file(tmp_path, changed), stdout=open("/dev/null", "w"))
    cat1.refresh_from_db()
    assert (cat1.target, cat1.is_public) == (7.5, False) and Measure.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("bad slug!,Name,,increase,,,yes,yes", "Row 3, slug: Enter a slug"),
        ("x,,,increase,,,yes,yes", "Row 3, name: Enter the measure's name"),
        ("x,X,,up,,,yes,yes", "Row 3, improvement: Enter increase, decrease or neutral"),
        ("x,X,,increase,seven,,yes,yes", "Row 3, target: Enter a number"),
        ("x,X,,increase,,1,yes,yes", "Row 3, baseline_points: Enter a whole number from 2 to 32,767"),
        ("x,X,,increase,,,maybe,yes", "Row 3, screen_outliers: Enter yes or no"),
        ("x,X,,increase,,,yes,true", "Row 3, public: Enter yes or no"),
    ],
)
def test_a_bad_measure_row_refuses_the_whole_file(tmp_path, row, message):
    text = MEASURES_CSV.splitlines()[0] + "\ncat1-mean,Category 1,minutes,decrease,7,,yes,yes\n" + row + "\n"
    with pytest.raises(CommandError) as refused:
        call_command("import_measures", _file(tmp_path, text))
    assert message in str(refused.value) and "nothing was imported" in str(refused.value)
    assert not Measure.objects.exists()


def test_a_file_with_the_wrong_headings_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Row 1: the heading row must be slug,name"):
        call_command("import_measures", _file(tmp_path, "measure,period,value\nx,2026-01,1\n"))
    with pytest.raises(CommandError, match="missing column public"):
        call_command(
            "import_measures", _file(tmp_path, "slug,name,unit,improvement,target,baseline_points,screen_outliers\n")
        )


def test_import_measure_values_keeps_every_value_exactly_as_sent(tmp_path):
    measure = MeasureFactory(slug="cat1-mean")
    text = (
        "measure,period,value,rebase,note\n"
        "cat1-mean,2026-01,0.30000000000000004,,\n"
        "cat1-mean,2026-02,1.2345678901234567,,\n"
        "cat1-mean,2026-03,7.000000000000001,yes,New dispatch model\n"
        "cat1-mean,2026-04,1e-7,no,\n"
    )
    call_command("import_measure_values", _file(tmp_path, text), stdout=open("/dev/null", "w"))
    stored = dict(MeasureValue.objects.filter(measure=measure).values_list("period", "value"))
    assert stored == {
        datetime.date(2026, 1, 1): 0.1 + 0.2,
        datetime.date(2026, 2, 1): 1.2345678901234567,
        datetime.date(2026, 3, 1): 7.000000000000001,
        datetime.date(2026, 4, 1): 1e-7,
    }
    assert stored[datetime.date(2026, 3, 1)] != 7.0  # not rounded
    assert list(Recalculation.objects.values_list("period", "reason")) == [
        (datetime.date(2026, 3, 1), "New dispatch model")
    ]


def test_importing_values_again_corrects_what_changed_and_keeps_the_history(tmp_path):
    measure = MeasureFactory(slug="cat1-mean")
    call_command(
        "import_measure_values",
        _file(tmp_path, "measure,period,value\ncat1-mean,2026-01,8\n"),
        stdout=open("/dev/null", "w"),
    )
    call_command(
        "import_measure_values",
        _file(tmp_path, "measure,period,value\ncat1-mean,2026-01,8.5\n"),
        stdout=open("/dev/null", "w"),
    )
    value = MeasureValue.objects.get(measure=measure)
    assert value.value == 8.5
    assert list(value.history.order_by("history_date").values_list("value", flat=True)) == [8.0, 8.5]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("no-such,2026-02,1", "Row 3, measure: No measure has the slug 'no-such'"),
        ("cat1-mean,Feb 2026,1", "Row 3, period: Enter the period as YYYY-MM"),
        ("cat1-mean,2026-13,1", "Row 3, period: Enter the period as YYYY-MM"),
        ("cat1-mean,2026-02,", "Row 3, value: Enter the value as a number"),
        ("cat1-mean,2026-02,inf", "Row 3, value: Enter the value as a number"),
        ("cat1-mean,2026-01,2", "Row 3, period: 2026-01 for cat1-mean appears on an earlier row"),
    ],
)
def test_a_bad_value_row_refuses_the_whole_file_and_stores_nothing(tmp_path, row, message):
    MeasureFactory(slug="cat1-mean")
    text = "measure,period,value\ncat1-mean,2026-01,1\n" + row + "\n"
    with pytest.raises(CommandError) as refused:
        call_command("import_measure_values", _file(tmp_path, text))
    assert message in str(refused.value)
    assert not MeasureValue.objects.exists()


def test_a_bad_rebase_flag_is_refused(tmp_path):
    MeasureFactory(slug="cat1-mean")
    with pytest.raises(CommandError, match="Row 2, rebase: Enter yes or no"):
        call_command("import_measure_values", _file(tmp_path, "measure,period,value,rebase\ncat1-mean,2026-01,1,y\n"))


def test_quarterly_and_weekly_periods_have_their_own_formats(tmp_path):
    MeasureFactory(slug="engagement", frequency="quarterly")
    MeasureFactory(slug="calls", frequency="weekly")
    text = "measure,period,value\nengagement,2026-Q2,6.4\ncalls,2026-01-05,1200\n"
    call_command("import_measure_values", _file(tmp_path, text), stdout=open("/dev/null", "w"))
    assert set(MeasureValue.objects.values_list("period", flat=True)) == {
        datetime.date(2026, 4, 1),
        datetime.date(2026, 1, 5),
    }
    with pytest.raises(CommandError, match="Row 2, period: Enter the period as the week's Monday"):
        call_command("import_measure_values", _file(tmp_path, "measure,period,value\ncalls,2026-01-06,1\n"))


def test_a_missing_file_is_refused_plainly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_measure_values", tmp_path / "nope.csv")


# --- The import page: preview row by row, then all or nothing ------------------------------------


def _upload(text):
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_the_page_previews_then_imports_all_rows(client_for, lead):
    measure = MeasureFactory(slug="cat1-mean")
    c = client_for(lead)
    preview = c.post("/measures/import/", {"file": _upload("measure,period,value\ncat1-mean,2026-01,7.25\n")})
    html = preview.content.decode()
    assert "cat1-mean 2026-01 = 7.25" in html and "New value" in html
    assert not MeasureValue.objects.exists()  # nothing saved at the preview
    digest = preview.context["digest"]
    done = c.post("/measures/import/", {"confirm": digest})
    assert done.status_code == 302 and done["Location"] == "/measures/"
    assert MeasureValue.objects.get(measure=measure).value == 7.25


def test_the_page_lists_every_problem_and_offers_no_import(client_for, lead):
    MeasureFactory(slug="cat1-mean")
    response = client_for(lead).post(
        "/measures/import/", {"file": _upload("measure,period,value\ncat1-mean,2026-01,x\nnope,2026-02,1\n")}
    )
    html = response.content.decode()
    assert "<title>Error: " in html and "nothing has been imported" in html
    assert "Enter the value as a number" in html and "No measure has the slug" in html
    assert 'name="confirm"' not in html
    assert not MeasureValue.objects.exists()


def test_a_confirmation_for_another_file_is_refused(client_for, lead):
    MeasureFactory(slug="cat1-mean")
    c = client_for(lead)
    c.post("/measures/import/", {"file": _upload("measure,period,value\ncat1-mean,2026-01,7\n")})
    response = c.post("/measures/import/", {"confirm": "0" * 64}, follow=True)
    assert "That preview has expired" in response.content.decode()
    assert not MeasureValue.objects.exists()


def test_the_previewed_file_waits_on_the_server_for_its_owner_never_in_the_session(client_for, lead, other_lead):
    from actions.models import PendingUpload, UploadKind

    measure = MeasureFactory(slug="cat1-mean")
    c = client_for(lead)
    text = "measure,period,value\ncat1-mean,2026-01,7.25\n"
    digest = c.post("/measures/import/", {"file": _upload(text)}).context["digest"]
    assert "cat1-mean,2026-01" not in repr(dict(c.session))
    kept = PendingUpload.objects.get(sha256=digest)
    assert kept.kind == UploadKind.MEASURES and bytes(kept.content) == text.encode()
    # Another person cannot confirm it, and the action plan import does not take it for a plan.
    other = client_for(other_lead)
    assert (
        "That preview has expired" in other.post("/measures/import/", {"confirm": digest}, follow=True).content.decode()
    )
    assert "That preview has expired" in c.post("/actions/import/", {"confirm": digest}, follow=True).content.decode()
    assert not MeasureValue.objects.exists()
    assert c.post("/measures/import/", {"confirm": digest}).status_code == 302
    assert MeasureValue.objects.get(measure=measure).value == 7.25
    assert not PendingUpload.objects.exists()  # gone once imported


def test_the_page_imports_measures_too(client_for, lead):
    c = client_for(lead)
    preview = c.post("/measures/import/", {"file": _upload(MEASURES_CSV)})
    assert "New measure" in preview.content.decode()
    c.post("/measures/import/", {"confirm": preview.context["digest"]})
    assert set(Measure.objects.values_list("slug", flat=True)) == {"cat1-mean", "ftsu-concerns"}


@pytest.mark.parametrize("persona", ["owner", "board", "comms"])
def test_only_a_lead_may_import(request, client_for, persona):
    MeasureFactory(slug="cat1-mean")
    response = client_for(request.getfixturevalue(persona)).post(
        "/measures/import/", {"file": _upload("measure,period,value\ncat1-mean,2026-01,7\n")}
    )
    assert response.status_code == 403 and not MeasureValue.objects.exists()
