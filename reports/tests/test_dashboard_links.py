"""The one place the dashboard spells the register's filter names; the SVG charts; direction of travel."""

import datetime

import pytest

from actions.choices import Status
from actions.selectors.counts import StatusCounts
from reports.charts import percent_line_chart
from reports.links import RegisterLinks, register_url
from reports.models import ProgressSnapshot
from reports.snapshots import DirectionOfTravel

TODAY = datetime.date(2026, 5, 20)


class Named:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def test_register_url_uses_the_agreed_parameter_names():
    url = register_url(
        pillar=Named(slug="responsive-care"),
        theme=Named(slug="culture"),
        action_type="must_do",
        status=["complete", "assured"],
        owner=Named(username="owner"),
        executive_lead=Named(username="board"),
        overdue=True,
        stale=True,
        due_after=datetime.date(2026, 5, 1),
        due_before=datetime.date(2026, 5, 31),
        q="safeguarding training",
    )
    assert url == (
        "/actions/?pillar=responsive-care&theme=culture&type=must_do&status=complete&status=assured"
        "&owner=owner&executive_lead=board&overdue=yes&stale=yes&due_after=2026-05-01&due_before=2026-05-31"
        "&q=safeguarding+training"
    )


def test_register_url_leaves_out_filters_not_given_and_refuses_unknown_ones():
    assert register_url() == "/actions/"
    assert register_url(pillar=None, overdue=False, status=[]) == "/actions/"
    with pytest.raises(KeyError):
        register_url(goal="delivering-modern-healthcare")


def test_due_soon_link_matches_the_due_soon_rule(settings):
    settings.DUE_SOON_DAYS = 14
    links = RegisterLinks(today=TODAY, pillar=Named(slug="quality-improvement"))
    assert links.due_soon == (
        "/actions/?pillar=quality-improvement&status=not_started&status=on_track&status=at_risk&status=off_track"
        "&due_after=2026-05-20&due_before=2026-06-03"
    )
    assert links.for_status[Status.AT_RISK] == "/actions/?pillar=quality-improvement&status=at_risk"


MONTHS = [datetime.date(2025, m, 1) for m in range(6, 13)] + [datetime.date(2026, m, 1) for m in range(1, 6)]


def test_chart_places_points_on_a_0_to_100_scale_and_describes_the_line():
    chart = percent_line_chart(title="t", subject="The share done", months=MONTHS, values=[None] * 9 + [20, 30, 45])
    assert [p.value for p in chart.points] == [20, 30, 45]
    assert chart.points[-1].x == chart.plot_right
    assert chart.y_ticks[0] == (chart.plot_bottom, "0%") and chart.y_ticks[-1] == (chart.plot_top, "100%")
    assert chart.description == (
        "The share done rose from 20% in March 2026 to 45% in May 2026, ranging between 20% and 45%. "
        "No figures for 9 of the 12 months."
    )


def test_chart_without_figures_says_so():
    chart = percent_line_chart(title="t", subject="The share done", months=MONTHS, values=[None] * 12)
    assert not chart.has_figures and chart.segments == []
    assert chart.description == "The share done: no figures recorded from June 2025 to May 2026."


def counts(done: int, total: int, overdue: int) -> StatusCounts:
    result = StatusCounts()
    result.add(Status.ASSURED, done, 0)
    result.add(Status.ON_TRACK, total - done, overdue)
    return result


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [
        ((1, 4, 2), (2, 4, 2), "better"),  # 25% -> 50%
        ((2, 4, 0), (1, 4, 0), "worse"),  # 50% -> 25%
        ((1, 4, 2), (1, 4, 1), "better"),  # same share done, fewer overdue
        ((1, 4, 1), (1, 4, 3), "worse"),  # same share done, more overdue
        ((1, 4, 1), (1, 4, 1), "same"),
    ],
)
def test_direction_of_travel_is_judged_on_share_done_then_on_overdue(then, now, expected):
    done, total, overdue = then
    snapshot = ProgressSnapshot(total=total, assured=done, on_track=total - done, overdue=overdue)
    assert DirectionOfTravel(then=snapshot, now=counts(*now)).direction == expected


def test_direction_of_travel_is_unknown_without_a_snapshot():
    direction = DirectionOfTravel(then=None, now=counts(1, 4, 0))
    assert direction.direction is None and not direction.known
