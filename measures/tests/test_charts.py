"""The SPC chart's layout (measures.charts): each width band's drawing keeps its x labels apart at its own
font size, always labels the latest period, and writes periods as people say them.
"""

import datetime

import pytest

from measures.charts import PACK_VARIANT, VARIANTS, spc_svg, text_width
from measures.models import Frequency
from measures.selectors import charts_for
from measures.tests.factories import MeasureFactory, add_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("frequency", [Frequency.MONTHLY, Frequency.QUARTERLY])
@pytest.mark.parametrize("count", [1, 5, 30, 120])
def test_no_two_x_labels_touch_in_any_drawing(frequency, count):
    measure = MeasureFactory(frequency=frequency)
    add_values(measure, [10.0 + (i % 7) for i in range(count)], start=datetime.date(2016, 1, 1))
    (mc,) = charts_for([measure])
    for variant in (*VARIANTS, PACK_VARIANT):
        svg = spc_svg(mc, variant)
        assert svg.x_ticks[-1][0] == svg.points[-1].x  # the latest period is always labelled
        for (x1, a), (x2, b) in zip(svg.x_ticks, svg.x_ticks[1:], strict=False):
            room = (text_width(a, svg.font) + text_width(b, svg.font)) / 2
            assert x2 - x1 >= room, (variant.name, a, b)
        assert 0 <= svg.x_ticks[0][0] - text_width(svg.x_ticks[0][1], svg.font) / 2
        assert svg.x_ticks[-1][0] + text_width(svg.x_ticks[-1][1], svg.font) / 2 <= svg.width


def test_the_axis_and_the_points_say_periods_in_words():
    measure = MeasureFactory(frequency=Frequency.QUARTERLY, name="Staff engagement")
    add_values(measure, [6.1, 6.2, 6.3], start=datetime.date(2026, 1, 1))
    (mc,) = charts_for([measure])
    svg = spc_svg(mc, VARIANTS[0])
    assert [label for _, label in svg.x_ticks][-1] == "Jul to Sep 2026"
    assert svg.points[-1].title.startswith("July to September 2026: 6.3")
