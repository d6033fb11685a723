"""Reopening is a new start (issue 25): the lead gives the reason, a new agreed due date (an agreed revision
with the reopening's reason, so "slipped" keeps its one meaning) and the percent still to do (never 100).
The reason is on the action's public page and in the next published update's "reopened" list; the public
page never reads "complete" above a reopened status.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, ActionReopening, DueDateRevision, RevisionState
from actions.services.reopening import action_reopen
from actions.tests.factories import ActionFactory, ProgressUpdateFactory
from reports.plan import frozen_reopened

pytestmark = pytest.mark.django_db

REASON = "The staff survey showed reports of bullying rising again in two operating units."


@pytest.fixture
def assured(owner, board):
    """SD-090, public, assured at 100%, with the highlight written when it was completed; due a week ago."""
    action = ActionFactory(
        reference="SD-090",
        action_type="should_do",
        owner=owner,
        executive_lead=board,
        status=Status.ASSURED,
        percent_complete=100,
        is_public=True,
        due_date=timezone.localdate() - datetime.timedelta(days=7),
        completed_at=timezone.now() - datetime.timedelta(days=30),
    )
    ProgressUpdateFactory(
        action=action,
        status=Status.COMPLETE,
        percent_complete=100,
        public_highlight="This work is now complete and is with our assurance team for checking.",
        created_at=timezone.now() - datetime.timedelta(days=30),
    )
    return action


def reopen(action, lead, **changes):
    arguments = {
        "action": action,
        "lead": lead,
        "reason": REASON,
        "status": Status.AT_RISK,
        "percent_complete": 70,
        "new_due_date": timezone.localdate() + datetime.timedelta(days=90),
        "notify": False,
        **changes,
    }
    return action_reopen(**arguments)


def test_reopening_sets_the_percent_and_a_new_agreed_due_date_recorded_as_a_revision(assured, lead):
    old_due = assured.due_date
    new_due = timezone.localdate() + datetime.timedelta(days=90)
    reopen(assured, lead)
    assured.refresh_from_db()
    assert (assured.status, assured.percent_complete, assured.due_date) == (Status.AT_RISK, 70, new_due)
    assert not assured.is_overdue and assured.completed_at is None and assured.assured_at is None
    revision = DueDateRevision.objects.get(action=assured)
    assert (revision.state, revision.previous_due_date, revision.new_due_date) == (
        RevisionState.AGREED,
        old_due,
        new_due,
    )
    assert (revision.requested_by, revision.decided_by) == (lead, lead)
    assert REASON in revision.reason
    # "Slipped" keeps its one meaning: the agreed due date is later than the original.
    assert assured.is_slipped == (new_due > assured.original_due_date)
    assert list(Action.objects.slipped().filter(pk=assured.pk)) == ([assured] if assured.is_slipped else [])


def test_reopening_refuses_100_percent(assured, lead):
    with pytest.raises(ValidationError) as refused:
        reopen(assured, lead, percent_complete=100)
    assert "below 100" in refused.value.message_dict["percent_complete"][0]
    assured.refresh_from_db()
    assert assured.status == Status.ASSURED


def test_reopening_needs_the_percent(assured, lead):
    with pytest.raises(ValidationError) as refused:
        reopen(assured, lead, percent_complete=None)
    assert set(refused.value.message_dict) == {"percent_complete"}


@pytest.mark.parametrize("days", [None, 0, -1])
def test_reopening_needs_a_new_due_date_after_today(assured, lead, days):
    new_due = None if days is None else timezone.localdate() + datetime.timedelta(days=days)
    with pytest.raises(ValidationError) as refused:
        reopen(assured, lead, new_due_date=new_due)
    assert set(refused.value.message_dict) == {"new_due_date"}
    assert not ActionReopening.objects.exists() and not DueDateRevision.objects.exists()


def test_the_public_page_gives_the_reason_and_never_reads_complete_above_the_reopened_status(client, assured, lead):
    # (The live public plan is cached for a few minutes between readers, by design: read only after.)
    reopen(assured, lead)
    page = client.get(f"/plan/{assured.reference}/").content.decode()
    assert REASON in page and "Reopened on" in page
    assert "100% complete" not in page and "70% done so far" in page
    # The reopening (with its reason) reads above the highlight written when it was completed, which is
    # marked as said before the reopening.
    assert page.index(REASON) < page.index("This work is now complete")
    assert "(before the action was reopened)" in page
    assert "Completed</dt>" not in page and "Assured</dt>" not in page


def test_the_reason_is_in_the_next_update_s_reopened_list_when_public(assured, lead, owner, board):
    at = timezone.now()
    reopen(assured, lead, at=at)
    internal = ActionFactory(
        reference="SD-091", action_type="should_do", owner=owner, executive_lead=board, status=Status.ASSURED
    )
    internal.is_public = False
    internal.save()
    reopen(internal, lead, reason="Internal reason", at=at)
    start, end = at - datetime.timedelta(days=1), at + datetime.timedelta(days=1)
    rows = frozen_reopened(start=start, end=end)
    assert [(row["reference"], row["text"]) for row in rows] == [("SD-090", REASON)]
    assert frozen_reopened(start=end, end=end + datetime.timedelta(days=30)) == []


def test_the_reopen_form_asks_for_the_new_due_date_and_refuses_100(assured, lead):
    client = Client()
    client.force_login(lead)
    page = client.get(f"/actions/{assured.reference}/reopen/").content.decode()
    assert "New due date" in page and "Percent complete now" in page
    new_due = timezone.localdate() + datetime.timedelta(days=60)
    data = {
        "reason": REASON,
        "status": "at_risk",
        "percent_complete": "100",
        "new_due_date_day": new_due.day,
        "new_due_date_month": new_due.month,
        "new_due_date_year": new_due.year,
    }
    refused = client.post(f"/actions/{assured.reference}/reopen/", data)
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    past = timezone.localdate() - datetime.timedelta(days=1)
    refused = client.post(
        f"/actions/{assured.reference}/reopen/",
        {**data, "percent_complete": "50", "new_due_date_day": past.day, "new_due_date_month": past.month,
         "new_due_date_year": past.year},
    )  # fmt: skip
    assert refused.status_code == 200 and "Enter a date after today" in refused.content.decode()
    assured.refresh_from_db()
    assert assured.status == Status.ASSURED
    assert client.post(f"/actions/{assured.reference}/reopen/", {**data, "percent_complete": "50"}).status_code == 302
    assured.refresh_from_db()
    assert (assured.status, assured.percent_complete, assured.due_date) == (Status.AT_RISK, 50, new_due)
