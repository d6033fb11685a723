"""Past figures as open data (issue 25): /open-data/figures.json?as_at= and /open-data/updates/<slug>.json,
one shape, from the one figures function, so "what did the trust say at the time, and does it still add
up?" can be answered by anyone.
"""

import datetime

import pytest
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.tests.factories import ActionFactory
from reports.services.editorial import update_publish, update_withdraw
from reports.services.periods import update_draft_for_period
from reports.tests.dashboard_data import had_state
from reports.tests.updates_world import DRAFTED, OCTOBER, at, build_world

pytestmark = pytest.mark.django_db

SHAPE = {"as_at", "audience", "actions_total", "by_status", "overdue", "by_pillar", "by_type"}
STATUSES = {"not_started", "on_track", "at_risk", "off_track", "complete", "assured", "embedded"}


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def published(world, comms):
    return update_publish(update=update_draft_for_period(period=OCTOBER, now=DRAFTED), publisher=comms)


def test_todays_figures_count_only_public_actions_in_the_documented_shape(client, world):
    data = client.get("/open-data/figures.json").json()
    assert set(data) == SHAPE
    assert data["as_at"] == timezone.localdate().isoformat() and data["audience"] == "public"
    assert set(data["by_status"]) == STATUSES
    # Four public actions (MD-101, WN-101, SD-101, MD-102); IJ-900 is internal and never counted.
    assert data["actions_total"] == sum(data["by_status"].values()) == 4
    assert set(data["by_type"]) == {"warning_notice", "must_do", "should_do"}
    responsive = next(row for row in data["by_pillar"] if row["slug"] == "responsive-care")
    assert set(responsive) == {"slug", "name", "actions_total", "by_status", "overdue", "percent_mean"}
    assert responsive["actions_total"] == 2


def test_a_past_day_counts_what_was_public_then_and_as_it_stood_then(client, world):
    day = datetime.date(2026, 10, 10)
    before = client.get(f"/open-data/figures.json?as_at={day.isoformat()}").json()
    # IJ-900 was public for a while in October: counted on that day, never today.
    had_state(world.internal_action, on=day, is_public=True)
    during = client.get(f"/open-data/figures.json?as_at={day.isoformat()}").json()
    assert during["actions_total"] == before["actions_total"] + 1
    assert client.get("/open-data/figures.json").json()["actions_total"] == 4
    # Before the programme's actions were created, nothing at all.
    empty = client.get("/open-data/figures.json?as_at=2026-08-01").json()
    assert empty["actions_total"] == 0 and all(row["actions_total"] == 0 for row in empty["by_pillar"])


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("31/10/2026", "YYYY-MM-DD"),
        ("2026-13-01", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("2999-01-01", "earlier"),
    ],
)
def test_a_day_that_cannot_be_answered_is_refused_with_what_to_type(client, world, value, words):
    response = client.get(f"/open-data/figures.json?as_at={value}")
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_an_updates_frozen_figures_equal_the_figures_of_its_periods_last_day(client, published):
    data = client.get(f"/open-data/updates/{published.slug}.json").json()
    assert {"slug", "period", "status", "published_at", "figures"} <= set(data)
    assert (data["slug"], data["period"], data["status"]) == ("october-2026", "2026-10", "published")
    assert data["figures"]["as_at"] == "2026-10-31"
    assert data["figures"] == client.get("/open-data/figures.json?as_at=2026-10-31").json()


def test_a_published_updates_figures_never_change_after_publication(client, published, world):
    frozen = client.get(f"/open-data/updates/{published.slug}.json").json()["figures"]
    # November's work: MD-101 completed, and a new public action.
    action = world.public_action
    action.status, action.percent_complete, action.completed_at = Status.COMPLETE, 100, at(5, month=11)
    action.save()
    ActionFactory(reference="SD-150", action_type=ActionType.SHOULD_DO, pillar=world.pillar)
    assert client.get(f"/open-data/updates/{published.slug}.json").json()["figures"] == frozen
    # And the record agrees: nothing of October's past was rewritten.
    assert client.get("/open-data/figures.json?as_at=2026-10-31").json() == frozen


def test_a_withdrawn_update_gives_its_status_and_note_and_a_draft_is_not_there(client, published, comms):
    update_withdraw(update=published, editor=comms, note="A figure for warning notices was wrong.")
    data = client.get(f"/open-data/updates/{published.slug}.json").json()
    assert data["status"] == "withdrawn"
    assert data["withdrawal_note"] == "A figure for warning notices was wrong."
    assert set(data["figures"]) == SHAPE
    november = update_draft_for_period(period=datetime.date(2026, 11, 1))
    assert client.get(f"/open-data/updates/{november.slug}.json").status_code == 404
    assert client.get("/open-data/updates/no-such-update.json").status_code == 404
