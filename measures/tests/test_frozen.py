"""A published update freezes the public measures' figures and icons for its period."""

import datetime
import json

import pytest

from measures.selectors import public_measures_frozen
from measures.tests.factories import MeasureFactory, add_values
from reports.services import update_draft_for_period, update_publish

pytestmark = pytest.mark.django_db


def test_only_public_measures_as_of_the_period_are_frozen_as_plain_json():
    public = MeasureFactory(slug="cat1-mean", name="Category 1 mean", target=7.0)
    add_values(public, [8.0, 8.2, 7.9, 8.1, 6.0], start=datetime.date(2026, 1, 1))
    internal = MeasureFactory(slug="internal", is_public=False)
    add_values(internal, [1.0, 2.0], start=datetime.date(2026, 1, 1))
    frozen = public_measures_frozen(period_end=datetime.date(2026, 3, 31))
    assert json.loads(json.dumps(frozen)) == frozen  # JSON-serialisable as it is
    assert [m["slug"] for m in frozen] == ["cat1-mean"]
    (row,) = frozen
    assert row["period"] == "2026-03" and row["value"] == 7.9  # April and May are after the period
    assert row["variation_icon"] == "common_cause" and row["assurance_icon"] in ("consistent_fail", "inconsistent")
    assert row["variation_words"] and row["reading"].startswith("In March 2026, Category 1 mean was 7.9")


def test_a_drafted_update_carries_the_frozen_measures_and_its_page_shows_them(client, comms):
    measure = MeasureFactory(slug="cat1-mean", name="Category 1 mean", target=7.0)
    add_values(measure, [8.0, 8.2, 7.9], start=datetime.date(2026, 8, 1))
    update = update_draft_for_period(period=datetime.date(2026, 9, 1))
    assert [m["slug"] for m in update.figures["measures"]] == ["cat1-mean"]
    frozen = update.figures["measures"][0]
    assert (frozen["period"], frozen["value"]) == ("2026-09", 8.2)  # October is after the update's month
    # A later correction does not change what the update froze.
    measure.values.filter(period=datetime.date(2026, 9, 1)).update(value=4.75)
    update_publish(update=update, publisher=comms)
    html = client.get(f"/updates/{update.slug}/").content.decode()
    assert "Our measures" in html and "Category 1 mean" in html and "No significant change" in html
    assert "8.2 minutes" in html and "4.75" not in html
