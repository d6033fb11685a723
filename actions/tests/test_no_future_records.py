"""Nothing is recorded before it happens (issue 25; issue 28, item 4), for actions: a due-date revision asks
for a date after today, however it is made (asked for, set directly, the edit page, the import); a
committee decision needs a meeting that has taken place and came on or after the action's assurance; the
sustainability review is at least the sustainability period after the meeting. Every refusal tested, and
each boundary accepted.
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.importing.plan import check_action_plan
from actions.models import Action, Committee, Meeting
from actions.services.editing import action_update
from actions.services.governance import (
    SUSTAINABILITY_REVIEW_MONTHS,
    action_put_to_meeting,
    action_set_sustainability_review,
    committee_decision_record,
    due_date_revise,
    due_date_revision_request,
    earliest_sustainability_review,
)
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- Due-date revisions: a date after today ---------------------------------------------------------


@pytest.mark.parametrize("offset", [0, -1, -30])
def test_an_owner_cannot_ask_for_a_due_date_of_today_or_before(action, owner, offset):
    with pytest.raises(ValidationError) as refused:
        due_date_revision_request(action=action, requested_by=owner, new_date=TODAY + offset * DAY, reason="Late")
    assert "Enter a date after today" in refused.value.message_dict["new_due_date"][0]
    assert not action.due_date_revisions.exists()


def test_tomorrow_is_the_first_due_date_a_revision_may_ask_for(action, owner):
    assert due_date_revision_request(action=action, requested_by=owner, new_date=TODAY + DAY, reason="Soon")


def test_a_lead_cannot_set_a_past_due_date_directly(action, lead):
    with pytest.raises(ValidationError, match="Enter a date after today"):
        due_date_revise(action=action, lead=lead, new_date=TODAY - DAY, reason="Backdated")
    action.refresh_from_db()
    assert action.due_date == action.original_due_date


def test_a_revision_made_at_a_past_moment_is_judged_on_that_day(action, lead):
    """A replay (the demo's, a back-dated import of records) asks 'after that day', not after today."""
    at = timezone.now() - datetime.timedelta(days=60)
    revision = due_date_revise(
        action=action, lead=lead, new_date=TODAY - datetime.timedelta(days=30), reason="Agreed then", at=at
    )
    assert revision.state == "agreed"


def test_the_edit_page_refuses_a_past_due_date(action, lead):
    data = {
        **{name: getattr(action, name) for name in ("title", "description", "pillar", "owner", "executive_lead")},
        "is_public": action.is_public,
        "themes": [],
        "due_date": TODAY - DAY,
        "due_date_reason": "Backdated",
    }
    with pytest.raises(ValidationError) as refused:
        action_update(action=action, editor=lead, data=data, expected_version=action.version)
    assert "Enter a date after today" in refused.value.message_dict["due_date"][0]
    action.refresh_from_db()
    assert action.due_date == action.original_due_date and not action.due_date_revisions.exists()


def test_the_due_date_page_says_what_to_do(action, owner):
    yesterday = TODAY - DAY
    response = signed_in(owner).post(
        f"/actions/{action.reference}/due-date/",
        {
            "new_due_date_day": yesterday.day,
            "new_due_date_month": yesterday.month,
            "new_due_date_year": yesterday.year,
            "reason": "Late",
        },
    )
    assert response.status_code == 200
    assert "Enter a date after today" in response.content.decode()


def test_the_import_refuses_a_past_due_date_in_its_preview(lead, owner, board):
    ActionFactory(reference="MD-071", title="Stored", owner=owner, executive_lead=board, pillar=PillarFactory(number=1))
    text = signed_in(lead).get("/actions/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0].update({"Due date": (TODAY - DAY).isoformat(), "Due date reason": "Backdated"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    preview = check_action_plan(name="plan.csv", content=out.getvalue().encode(), importer=lead)
    assert any("Enter a date after today" in problem.message for problem in preview.problems)


# --- Committee decisions: a meeting that has taken place, after the assurance ------------------------


@pytest.fixture
def committee():
    return Committee.objects.create(name="Quality Governance Committee")


def assured_on(day, *, owner, board, reference="MD-080"):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return ActionFactory(reference=reference, owner=owner, executive_lead=board, status=Status.ASSURED, assured_at=at)


def test_a_decision_at_a_meeting_still_to_come_is_refused(committee, owner, board, lead):
    action = assured_on(TODAY - 10 * DAY, owner=owner, board=board)
    future = Meeting.objects.create(committee=committee, date=TODAY + 14 * DAY)
    item = action_put_to_meeting(action=action, meeting=future, lead=lead)  # on its agenda: allowed
    with pytest.raises(ValidationError, match="has not taken place yet"):
        committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="QGC/26/1")
    with pytest.raises(ValidationError, match="has not taken place yet"):
        committee_decision_record(item=item, lead=lead, decision="returned", minute_reference="QGC/26/1", reason="x")
    action.refresh_from_db()
    assert action.ratified_at is None and action.sustainability_review_due is None


def test_a_decision_is_recorded_on_the_day_of_the_meeting(committee, owner, board, lead):
    action = assured_on(TODAY - 10 * DAY, owner=owner, board=board)
    meeting = Meeting.objects.create(committee=committee, date=TODAY)
    item = action_put_to_meeting(action=action, meeting=meeting, lead=lead)
    committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="QGC/26/2")
    action.refresh_from_db()
    assert action.sustainability_review_due == earliest_sustainability_review(TODAY)


def test_a_meeting_before_the_assurance_cannot_decide(committee, owner, board, lead):
    action = assured_on(TODAY - 10 * DAY, owner=owner, board=board)
    earlier = Meeting.objects.create(committee=committee, date=TODAY - 11 * DAY)
    with pytest.raises(ValidationError) as refused:
        action_put_to_meeting(action=action, meeting=earlier, lead=lead)
    assert "came before the action was assured" in refused.value.message_dict["meeting"][0]
    # The same day as the assurance will do.
    same_day = Meeting.objects.create(committee=committee, date=TODAY - 10 * DAY)
    item = action_put_to_meeting(action=action, meeting=same_day, lead=lead)
    committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="QGC/26/3")


def test_a_decision_put_before_the_assurance_moved_is_refused_when_recorded(committee, owner, board, lead):
    """The rule holds at the decision too, whatever put the item on the agenda."""
    action = assured_on(TODAY - 30 * DAY, owner=owner, board=board)
    meeting = Meeting.objects.create(committee=committee, date=TODAY - 20 * DAY)
    item = action_put_to_meeting(action=action, meeting=meeting, lead=lead)
    Action.objects.filter(pk=action.pk).update(assured_at=timezone.now() - 5 * DAY)  # re-assured since
    with pytest.raises(ValidationError, match="came before the action was assured"):
        committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="QGC/26/4")


def test_the_review_date_is_at_least_the_sustainability_period_after_the_meeting(committee, owner, board, lead):
    action = assured_on(TODAY - 40 * DAY, owner=owner, board=board)
    meeting = Meeting.objects.create(committee=committee, date=TODAY - 30 * DAY)
    item = action_put_to_meeting(action=action, meeting=meeting, lead=lead)
    earliest = earliest_sustainability_review(meeting.date)
    assert SUSTAINABILITY_REVIEW_MONTHS == 3 and 89 <= (earliest - meeting.date).days <= 92
    with pytest.raises(ValidationError) as refused:
        committee_decision_record(
            item=item, lead=lead, decision="ratified", minute_reference="QGC/26/5", review_due=earliest - DAY
        )
    assert "at least 3 months after the meeting" in refused.value.message_dict["review_due"][0]
    committee_decision_record(
        item=item, lead=lead, decision="ratified", minute_reference="QGC/26/5", review_due=earliest
    )
    action.refresh_from_db()
    assert action.sustainability_review_due == earliest
    # Moving it later is allowed; earlier than the period is refused there too.
    with pytest.raises(ValidationError) as refused:
        action_set_sustainability_review(action=action, lead=lead, review_due=earliest - DAY)
    assert "review_due" in refused.value.message_dict
    action_set_sustainability_review(action=action, lead=lead, review_due=earliest + 30 * DAY)
    action.refresh_from_db()
    assert action.sustainability_review_due == earliest + 30 * DAY


def test_the_decision_page_shows_the_refusal(committee, owner, board, lead):
    action = assured_on(TODAY - 10 * DAY, owner=owner, board=board)
    future = Meeting.objects.create(committee=committee, date=TODAY + 7 * DAY)
    item = action_put_to_meeting(action=action, meeting=future, lead=lead)
    response = signed_in(lead).post(
        f"/committees/decisions/{item.pk}/", {"decision": "ratified", "minute_reference": "QGC/26/6"}
    )
    assert response.status_code == 200 and "has not taken place yet" in response.content.decode()
