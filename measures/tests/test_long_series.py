"""A very long series (issue 28, finding 2: a 20,000-point measure page was 24 MB): the measure pages,
public and staff, show one page of points, the latest first, with the SPC worked out over every point;
open data keeps the whole series.
"""

import datetime
import json

import pytest

from measures import selectors, spc
from measures.models import Frequency
from measures.tests.factories import MeasureFactory, add_values

pytestmark = pytest.mark.django_db

PER_PAGE = selectors.POINTS_PER_PAGE
COUNT = PER_PAGE * 2 + 10
# A shift in the last 10 points: a special cause that needs the earlier points' mean to be seen.
VALUES = [50.0 + (i % 5) for i in range(COUNT - 10)] + [80.0] * 10


@pytest.fixture
def long_measure():
    measure = MeasureFactory(slug="long", frequency=Frequency.WEEKLY, improvement="increase")
    add_values(measure, VALUES, start=datetime.date(2015, 1, 5))
    return measure


def _rows(html: str) -> int:
    return html.count('<th scope="row" class="nhsuk-table__header">')


def test_the_public_page_shows_the_latest_page_of_points_and_pages_back(client, long_measure):
    html = client.get("/performance/long/").content.decode()
    assert _rows(html) == PER_PAGE
    mc = selectors.measure_chart(long_measure)
    assert mc.shown[-1].period_words in html and mc.points[0].period_words not in html
    assert f"{PER_PAGE} of the {COUNT} values" in html and 'href="?page=2"' in html
    last = client.get("/performance/long/?page=3").content.decode()
    assert _rows(last) == COUNT - 2 * PER_PAGE and mc.points[0].period_words in last
    assert client.get("/performance/long/?page=99").status_code == 302  # to the last page's own URL


def test_the_signals_are_worked_out_over_every_point_not_the_page(long_measure):
    # A guard (it held before paging too): the page shown changes what is drawn, never the figures.
    whole = selectors.measure_chart(long_measure)
    every = spc.xmr(VALUES, improvement="increase")
    assert [p.point for p in whole.points] == every.points
    assert whole.variation_icon == "improvement_high"
    assert len(whole.points) == COUNT and len(whole.shown) == PER_PAGE


def test_the_staff_page_shows_one_page_and_only_its_values_history(client_for, board, long_measure):
    html = client_for(board).get("/measures/long/?page=2").content.decode()
    assert _rows(html) == PER_PAGE
    # The corrections table lists the versions of the values shown, not of all of them.
    assert html.count('<td class="nhsuk-table__cell">Import or seed</td>') == PER_PAGE


def test_open_data_keeps_every_point(client, long_measure):
    data = json.loads(client.get("/open-data/measures/long.json").content)
    assert len(data["points"]) == COUNT
