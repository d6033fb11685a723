"""Measure pages with each persona: what each sees, what each may do, and every refusal."""

import datetime

import pytest

from actions.tests.factories import ActionFactory
from measures.models import MeasureValue, Recalculation
from measures.tests.factories import MeasureFactory, add_values
from pillars.tests.factories import PillarFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

# Twelve steady months, a recalculation, then a run of seven lower: an improvement for a lower-is-better measure.
STEADY_THEN_BETTER = [8.4, 8.6, 8.3, 8.7, 8.5, 8.4, 8.6, 8.5, 8.3, 8.6, 8.4, 8.5, 7.5, 7.6, 7.4, 7.5] + [7.1] * 7


@pytest.fixture
def cat1(owner):
    pillar = PillarFactory(name="Responsive Care", slug="responsive-care")
    theme = ThemeFactory(short_name="Quality thread", slug="quality-thread")
    measure = MeasureFactory(slug="cat1-mean", name="Category 1 mean response time", target=7.0, unit="minutes")
    measure.pillars.add(pillar)
    measure.themes.add(theme)
    measure.actions.add(
        ActionFactory(
            action_type="warning_notice", reference="WN-004", title="Enough call handlers on every shift", owner=owner
        )
    )
    add_values(measure, STEADY_THEN_BETTER, start=datetime.date(2024, 1, 1), rebase_at=[12])
    return measure


@pytest.mark.parametrize("persona", ["owner", "lead", "board"])
def test_staff_see_the_summary_with_icons_in_words(request, client_for, cat1, persona):
    html = client_for(request.getfixturevalue(persona)).get("/measures/").content.decode()
    assert "Category 1 mean response time" in html
    assert "Improving: significantly lower" in html  # the variation icon's words
    assert "Will consistently miss the target without change" in html or "sometimes meet" in html
    assert "7.1 minutes" in html and "November 2025" in html  # the latest value and its period, in words


def test_the_summary_filters_by_pillar_and_theme(client_for, board, cat1):
    other = MeasureFactory(name="Staff engagement score")
    add_values(other, [6.2, 6.3])
    c = client_for(board)
    assert "Staff engagement score" in c.get("/measures/").content.decode()
    for query in ("?pillar=responsive-care", "?theme=quality-thread"):
        html = c.get(f"/measures/{query}").content.decode()
        assert "Category 1 mean response time" in html and "Staff engagement score" not in html


def test_the_summary_filters_are_nhsuk_selects_that_keep_the_choice_and_say_what_is_wrong(client_for, board, cat1):
    c = client_for(board)
    html = c.get("/measures/?theme=quality-thread").content.decode()
    assert '<label class="nhsuk-label" for="id_pillar">Pillar</label>' in html
    assert '<option value="quality-thread" selected>Quality thread</option>' in html
    assert ">All pillars</option>" in html and ">All themes</option>" in html
    html = c.get("/measures/?pillar=no-such-pillar").content.decode()
    assert "nhsuk-form-group--error" in html  # not silently unfiltered
    assert "Select a pillar from the list, or All pillars" in html
    assert "<title>Error: Measures" in html  # and the summary above the heading links to the filter
    assert html.index("nhsuk-error-summary") < html.index("<h1>") and 'href="#id_pillar"' in html


def test_a_measure_page_has_the_chart_its_reading_its_table_and_its_actions(client_for, board, cat1):
    html = client_for(board).get("/measures/cat1-mean/").content.decode()
    assert "<svg" in html and 'aria-hidden="true" focusable="false"' in html and "Recalculated" in html
    assert "In November 2025, Category 1 mean response time was 7.1 minutes" in html  # the reading in words
    assert "Special cause: improvement (outside the limits)" in html  # the table, in words
    assert "A new way of working" in html  # the recalculation's reason
    assert "WN-004: Enough call handlers on every shift" in html
    assert "Enter a value" not in html  # the board reads; it does not enter


def test_fewer_than_twelve_points_carry_a_plain_warning(client_for, board):
    measure = MeasureFactory(slug="new-one")
    add_values(measure, [1, 2, 3])
    html = client_for(board).get("/measures/new-one/").content.decode()
    assert "Provisional limits" in html and "fewer than 12 points" in html


def test_a_lead_enters_a_value_exactly_as_typed(client_for, lead, cat1):
    response = client_for(lead).post(
        "/measures/cat1-mean/values/new/", {"period": "2025-12", "value": "0.30000000000000004", "note": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/measures/cat1-mean/"
    stored = MeasureValue.objects.get(measure=cat1, period=datetime.date(2025, 12, 1))
    assert stored.value == 0.1 + 0.2 and stored.entered_by == lead


def test_a_lead_can_start_a_recalculation_with_a_reason(client_for, lead, cat1):
    c = client_for(lead)
    refused = c.post("/measures/cat1-mean/values/new/", {"period": "2025-12", "value": "7", "rebase": "on"})
    assert refused.status_code == 200 and "Enter why the mean and limits" in refused.content.decode()
    c.post(
        "/measures/cat1-mean/values/new/", {"period": "2025-12", "value": "7", "rebase": "on", "reason": "New model"}
    )
    assert Recalculation.objects.filter(measure=cat1, period=datetime.date(2025, 12, 1), reason="New model").exists()


def test_a_period_that_has_a_value_is_refused_with_a_message(client_for, lead, cat1):
    response = client_for(lead).post("/measures/cat1-mean/values/new/", {"period": "2024-01", "value": "9"})
    assert response.status_code == 200
    assert "already has a value for January 2024: correct it instead" in response.content.decode()
    assert MeasureValue.objects.get(measure=cat1, period=datetime.date(2024, 1, 1)).value == 8.4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "Jan 2026", "value": "7"}, "Enter the period as YYYY-MM"),
        ({"period": "2026-01", "value": "seven"}, "Enter the value as a number"),
        ({"period": "2026-01", "value": "nan"}, "Enter the value as a number"),
        ({"period": "", "value": ""}, "Enter the period"),
    ],
)
def test_a_bad_value_form_says_what_is_wrong_and_saves_nothing(client_for, lead, cat1, data, message):
    before = MeasureValue.objects.count()
    response = client_for(lead).post("/measures/cat1-mean/values/new/", data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "<title>Error: " in html
    assert MeasureValue.objects.count() == before


def test_a_correction_keeps_the_old_value_on_the_page(client_for, lead, cat1):
    c = client_for(lead)
    response = c.post("/measures/cat1-mean/values/2024-01/correct/", {"value": "8.45", "note": "Late returns"})
    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=cat1, period=datetime.date(2024, 1, 1)).value == 8.45
    html = c.get("/measures/cat1-mean/").content.decode()
    assert "8.4</td>" in html and "8.45</td>" in html and "Late returns" in html


def test_a_correction_without_a_reason_is_refused(client_for, lead, cat1):
    response = client_for(lead).post("/measures/cat1-mean/values/2024-01/correct/", {"value": "9", "note": ""})
    assert response.status_code == 200 and "Say why the value is being corrected" in response.content.decode()
    assert MeasureValue.objects.get(measure=cat1, period=datetime.date(2024, 1, 1)).value == 8.4


@pytest.mark.parametrize("persona", ["owner", "board", "comms", "outsider"])
def test_only_a_lead_may_enter_or_correct(request, client_for, cat1, persona):
    c = client_for(request.getfixturevalue(persona))
    assert c.post("/measures/cat1-mean/values/new/", {"period": "2025-12", "value": "1"}).status_code == 403
    assert c.post("/measures/cat1-mean/values/2024-01/correct/", {"value": "1", "note": "x"}).status_code == 403
    assert MeasureValue.objects.get(measure=cat1, period=datetime.date(2024, 1, 1)).value == 8.4
    assert not MeasureValue.objects.filter(period=datetime.date(2025, 12, 1)).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, cat1):
    for path in ["/measures/", "/measures/cat1-mean/", "/measures/import/", "/measures/cat1-mean/values/new/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path


def test_comms_and_people_without_a_role_are_refused(client_for, comms, outsider, cat1):
    for user in (comms, outsider):
        assert client_for(user).get("/measures/").status_code == 403
        assert client_for(user).get("/measures/cat1-mean/").status_code == 403


def test_unknown_measures_and_periods_answer_404(client_for, lead, cat1):
    c = client_for(lead)
    assert c.get("/measures/no-such-measure/").status_code == 404
    assert c.get("/measures/cat1-mean/values/2030-01/correct/").status_code == 404
    assert c.get("/measures/cat1-mean/values/not-a-period/correct/").status_code == 404


def test_staff_see_internal_measures_the_public_never_does(client_for, client, board):
    internal = MeasureFactory(slug="staff-turnover", name="Staff turnover", is_public=False)
    add_values(internal, [12.5, 12.7])
    assert "Staff turnover" in client_for(board).get("/measures/").content.decode()
    assert client_for(board).get("/measures/staff-turnover/").status_code == 200
    assert "Staff turnover" not in client.get("/performance/").content.decode()
    assert client.get("/performance/staff-turnover/").status_code == 404


def test_the_public_performance_pages_show_the_chart_table_and_reading(client, cat1):
    listing = client.get("/performance/").content.decode()
    assert "Category 1 mean response time" in listing and 'href="/performance/cat1-mean/"' in listing
    html = client.get("/performance/cat1-mean/").content.decode()
    assert "<svg" in html and "In November 2025, Category 1 mean response time was 7.1 minutes" in html
    assert "Special cause: improvement" in html
    assert "Correct" not in html and "Enter a value" not in html


def test_a_measure_without_a_target_says_no_target_in_words(client, client_for, board, cat1):
    untargeted = MeasureFactory(slug="hear-and-treat", name="Hear and treat rate", target=None, unit="%")
    add_values(untargeted, STEADY_THEN_BETTER, start=datetime.date(2024, 1, 1))
    for html in (client.get("/performance/").content.decode(), client_for(board).get("/measures/").content.decode()):
        row = html[html.index("Hear and treat rate") :].split("</tr>")[0]
        assert "No target" in row and "None" not in row
    page = client.get("/performance/hear-and-treat/").content.decode()
    assert ">No target</dd>" in page and ">None<" not in page


def test_an_illustrative_measure_says_so(client, cat1):
    cat1.illustrative = True
    cat1.save()
    assert "Illustrative figures" in client.get("/performance/cat1-mean/").content.decode()
    assert "Illustrative" in client.get("/performance/").content.decode()


def test_the_dashboard_and_pillar_page_show_their_measures(client_for, board, cat1):
    c = client_for(board)
    overview = c.get("/dashboard/").content.decode()
    assert "Category 1 mean response time" in overview and "Improving: significantly lower" in overview
    pillar = c.get("/dashboard/pillars/responsive-care/").content.decode()
    assert "This pillar&#x27;s measures" in pillar or "This pillar's measures" in pillar
    assert "Category 1 mean response time" in pillar
    other = PillarFactory(slug="people-and-culture")
    assert "Category 1 mean response time" not in c.get(f"/dashboard/pillars/{other.slug}/").content.decode()


def test_a_long_list_of_published_measures_is_paged_in_alphabetical_order(client, db, monkeypatch):
    from measures.views import public

    monkeypatch.setattr(public, "PERFORMANCE_PER_PAGE", 2)
    for letter in "EDCBA":
        add_values(MeasureFactory(slug=f"measure-{letter.lower()}", name=f"Measure {letter}"), [1.0, 2.0, 3.0])
    MeasureFactory(slug="internal-z", name="Measure internal", is_public=False)
    first = client.get("/performance/").content.decode()
    third = client.get("/performance/?page=3").content.decode()
    assert "Measure A" in first and "Measure B" in first and "Measure C" not in first
    assert "5 published measures" in first and 'href="?page=2"' in first
    assert "Measure E" in third and "Measure A" not in third and "(page 3 of 3)" in third
    assert "Measure internal" not in first + third


def test_with_no_measures_the_summary_says_so_in_place_of_a_table(client_for, board):
    html = client_for(board).get("/measures/").content.decode()
    assert "<p>No measures are linked here yet.</p>" in html and "app-measures-table" not in html
