"""A published update is frozen: an action made internal afterwards stays on it. The lead who makes it
internal is told which published updates still name it, and how to take it off them (issue 28, finding 12).
"""

import datetime
import html

import pytest

from actions.models import Action
from actions.tests.factories import ActionFactory
from actions.tests.test_edit import form_data
from reports.models import PublishedUpdate
from reports.selectors.updates import published_updates_naming
from reports.services import update_draft_for_period, update_publish, update_withdraw
from reports.services.periods import update_correction_start
from reports.tests.updates_world import DRAFTED, OCTOBER, build_world

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 1)


@pytest.fixture
def published(comms):
    """October 2026 published: MD-101's highlight, WN-101 completed and SD-101 assured are on it."""
    build_world()
    return update_publish(update=update_draft_for_period(period=OCTOBER, now=DRAFTED), publisher=comms)


def make_internal(client, reference: str):
    action = Action.objects.get(reference=reference)
    return client.post(f"/actions/{reference}/edit/", form_data(action, is_public=""), follow=True)


def banner_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("reference", ["MD-101", "WN-101", "SD-101"])  # a highlight, completed, assured
def test_making_a_published_action_internal_names_the_updates_it_stays_on_and_the_way_to_correct_them(
    client_for, lead, published, reference
):
    response = make_internal(client_for(lead), reference)
    assert response.status_code == 200
    assert Action.objects.get(reference=reference).is_public is False
    page = banner_text(response)
    assert f"Changes to {reference} saved." in page
    assert (
        f"{reference} is now internal, but published updates are frozen, so it stays on this published update" in page
    )
    # A link to the update's editorial page, where it is withdrawn and corrected (a link, not escaped text).
    assert '<a href="/reports/updates/october-2026/">October 2026 (october-2026)</a>' in response.content.decode()
    assert "withdraw it and publish a correction" in page


def test_every_published_update_naming_it_is_listed_newest_first(client_for, lead, comms, published):
    september = update_publish(update=update_draft_for_period(period=SEPTEMBER, now=DRAFTED), publisher=comms)
    assert [u.slug for u in published_updates_naming("MD-101")] == ["october-2026", "september-2026"]
    assert september.figures["highlights"]  # MD-101's September highlight
    page = banner_text(make_internal(client_for(lead), "MD-101"))
    assert "these 2 published updates" in page
    assert page.index("October 2026 (october-2026)") < page.index("September 2026 (september-2026)")


def test_drafts_and_withdrawn_updates_are_not_named(client_for, lead, comms, published):
    update_withdraw(update=published, editor=comms, note="A figure was wrong.")
    update_draft_for_period(period=SEPTEMBER, now=DRAFTED)  # a draft naming MD-101 too
    assert PublishedUpdate.objects.count() == 2
    page = banner_text(make_internal(client_for(lead), "MD-101"))
    assert "Changes to MD-101 saved." in page
    assert "is now internal" not in page


def test_an_action_on_no_published_update_or_one_that_stays_public_gets_no_warning(
    client_for, lead, owner, board, published
):
    client = client_for(lead)
    action = Action.objects.get(reference="MD-101")
    page = banner_text(client.post("/actions/MD-101/edit/", form_data(action, title="A new title"), follow=True))
    assert "Changes to MD-101 saved." in page and "is now internal" not in page
    # Public, but on no update (no highlight, nothing done), then made internal: nothing to correct.
    ActionFactory(reference="MD-190", owner=owner, executive_lead=board)
    page = banner_text(make_internal(client, "MD-190"))
    assert "Changes to MD-190 saved." in page and "is now internal" not in page


def test_the_route_it_names_takes_the_action_off_the_update(client_for, lead, comms, published):
    make_internal(client_for(lead), "MD-101")
    assert [u.slug for u in published_updates_naming("MD-101")] == ["october-2026"]
    update_withdraw(update=published, editor=comms, note="MD-101 is no longer public.")
    correction = update_correction_start(withdrawn=published, editor=comms)
    update_publish(update=correction, publisher=comms)
    assert published_updates_naming("MD-101") == []
    assert [u.slug for u in published_updates_naming("WN-101")] == [correction.slug]  # the rest stays
