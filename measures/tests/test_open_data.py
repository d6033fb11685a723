"""Open data for measures, exactly as the interface contract names it; internal measures are 404."""

import csv
import datetime
import io
import json

import pytest

from measures import spc
from measures.tests.factories import MeasureFactory, add_values

pytestmark = pytest.mark.django_db
VALUES = [8.4, 8.6, 0.1 + 0.2, 8.7, 1.2345678901234567]


@pytest.fixture
def cat1():
    measure = MeasureFactory(slug="cat1-mean", name="Category 1 mean", unit="minutes", target=7.0)
    add_values(measure, VALUES, start=datetime.date(2025, 1, 1))
    return measure


def test_the_json_has_exactly_the_contract_keys_and_the_engines_figures(client, cat1):
    data = client.get("/open-data/measures/cat1-mean.json").json()
    assert list(data) == [
        "slug",
        "name",
        "unit",
        "improvement",
        "target",
        "variation_icon",
        "assurance_icon",
        "points",
    ]
    assert data["slug"] == "cat1-mean" and data["improvement"] == "decrease" and data["target"] == 7.0
    chart = spc.xmr(VALUES, improvement="decrease", target=7.0)
    assert data["variation_icon"] == chart.variation_icon and data["assurance_icon"] == chart.assurance_icon
    assert [list(p) for p in data["points"]] == [["period", "value", "mean", "lower", "upper", "point_type"]] * 5
    assert [p["period"] for p in data["points"]] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert [p["value"] for p in data["points"]] == VALUES  # exact: JSON carries every digit
    assert data["points"][0]["mean"] == chart.points[0].mean
    assert data["points"][0]["lower"] == chart.points[0].lower and data["points"][0]["upper"] == chart.points[0].upper
    assert {p["point_type"] for p in data["points"]} <= set(spc.POINT_TYPES)


def test_the_csv_has_every_public_value_with_mean_limits_and_point_type(client, cat1):
    internal = MeasureFactory(slug="staff-turnover", is_public=False)
    add_values(internal, [12.0, 13.0])
    response = client.get("/open-data/measures.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "measure",
        "name",
        "unit",
        "improvement",
        "target",
        "period",
        "value",
        "mean",
        "lower",
        "upper",
        "point_type",
    ]
    assert [r["measure"] for r in rows] == ["cat1-mean"] * 5
    assert [float(r["value"]) for r in rows] == VALUES
    assert rows[2]["value"] == "0.30000000000000004"
    assert all(r["point_type"] in spc.POINT_TYPES and r["mean"] and r["lower"] and r["upper"] for r in rows)


def test_an_internal_measure_is_404_as_open_data(client):
    MeasureFactory(slug="staff-turnover", is_public=False)
    assert client.get("/open-data/measures/staff-turnover.json").status_code == 404
    assert client.get("/open-data/measures/no-such.json").status_code == 404


def test_a_measure_without_target_or_values_is_still_valid_json(client):
    MeasureFactory(slug="new-measure", target=None)
    data = json.loads(client.get("/open-data/measures/new-measure.json").content)
    assert data["target"] is None and data["points"] == [] and data["assurance_icon"] is None
