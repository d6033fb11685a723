"""Governance (issue 13): due-date revisions, committee decisions, embedding and reopening. Each rule
with the three personas (the owner, a colleague who is another owner, an outsider) and the lead, and
every refusal.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions.choices import Status
from actions.models import (
    Action,
    ActionReopening,
    Committee,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    EvidenceKind,
    Meeting,
    RevisionState,
)
from actions.services.assurance import action_assure
from actions.services.editing import action_update
from actions.services.governance import (
    action_put_to_meeting,
    action_review_sustainability,
    committee_decision_record,
    due_date_revise,
    due_date_revision_decide,
    due_date_revision_request,
)
from actions.services.reopening import action_reopen
from actions.signoff import action_governance_problem
from actions.tests.factories import ActionFactory, EvidenceFactory, UserFactory
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=30)


@pytest.fixture
def lead_owner(db):
    """An improvement lead who owns an action: a lead, but never for their own action's sign-offs."""
    return UserFactory(username="leadowner", first_name="Lee", last_name="Owens", roles=[Role.LEAD])


@pytest.fixture
def committee_meeting(db):
    committee = Committee.objects.create(name="Quality Governance Committee")
    return Meeting.objects.create(committee=committee, date=timezone.localdate() - datetime.timedelta(days=100))


@pytest.fixture
def assured_action(owner, board, other_lead):
    # Assured before the committee's meeting (100 days ago): a meeting decides on work already assured.
    return ActionFactory(
        reference="MD-050",
        owner=owner,
        executive_lead=board,
        status=Status.ASSURED,
        assured_at=timezone.now() - datetime.timedelta(days=120),
    )


# --- The one eligibility rule ---------------------------------------------------------------------


def test_the_signoff_rule_refuses_the_owner_a_colleague_an_outsider_and_a_lead_who_owns_it(
    action, owner, other_owner, outsider, board, lead, lead_owner
):
    assert action_governance_problem(action, lead) is None
    for person in (owner, other_owner, outsider, board):
        assert action_governance_problem(action, person) == "Only an improvement lead can do this."
    own = ActionFactory(owner=lead_owner)
    assert "You own this action" in action_governance_problem(own, lead_owner)


# --- Due dates ------------------------------------------------------------------------------------


def test_a_new_action_keeps_its_due_date_as_the_original(action):
    assert action.original_due_date == action.due_date and not action.is_slipped


def test_the_owner_asks_and_another_lead_agrees_and_the_original_is_kept(
    action, owner, lead, board, django_capture_on_commit_callbacks
):
    original = action.due_date
    asked = due_date_revision_request(action=action, requested_by=owner, new_date=original + LATER, reason="Delay")
    action.refresh_from_db()
    assert action.due_date == original  # nothing moves until a lead agrees
    with django_capture_on_commit_callbacks(execute=True):
        due_date_revision_decide(revision=asked, lead=lead, agree=True)
    action.refresh_from_db()
    asked.refresh_from_db()
    assert (action.original_due_date, action.due_date) == (original, original + LATER)
    assert action.is_slipped and action.slipped_days == 30
    assert list(Action.objects.slipped()) == [action]
    assert (asked.state, asked.decided_by, asked.decided_on) == (RevisionState.AGREED, lead, timezone.localdate())
    # The owner (who asked) and the executive lead are told.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, board.email])
    assert "revision agreed" in mail.outbox[0].subject


def test_a_refused_revision_keeps_the_date_and_its_refusal_needs_a_reason(action, owner, lead):
    original = action.due_date
    asked = due_date_revision_request(action=action, requested_by=owner, new_date=original + LATER, reason="Delay")
    with pytest.raises(ValidationError) as refused:
        due_date_revision_decide(revision=asked, lead=lead, agree=False, refusal_reason=" ")
    assert "refusal_reason" in refused.value.message_dict
    due_date_revision_decide(revision=asked, lead=lead, agree=False, refusal_reason="The CQC deadline stands")
    action.refresh_from_db()
    asked.refresh_from_db()
    assert action.due_date == original and asked.state == RevisionState.REFUSED
    with pytest.raises(ValidationError, match="already been refused"):
        due_date_revision_decide(revision=asked, lead=lead, agree=True)


def test_only_an_eligible_lead_decides_on_a_revision(action, owner, other_owner, outsider, lead_owner):
    asked = due_date_revision_request(action=action, requested_by=owner, new_date=action.due_date + LATER, reason="x")
    for person in (owner, other_owner, outsider):
        with pytest.raises(PermissionDenied):
            due_date_revision_decide(revision=asked, lead=person, agree=True)
    own = ActionFactory(owner=lead_owner)
    own_asked = due_date_revision_request(
        action=own, requested_by=lead_owner, new_date=own.due_date + LATER, reason="x"
    )
    with pytest.raises(ValidationError, match="You own this action"):
        due_date_revision_decide(revision=own_asked, lead=lead_owner, agree=True)
    assert not DueDateRevision.objects.filter(state=RevisionState.AGREED).exists()


def test_a_colleague_and_an_outsider_cannot_ask_for_a_new_due_date(action, other_owner, outsider):
    for person in (other_owner, outsider):
        with pytest.raises(PermissionDenied):
            due_date_revision_request(action=action, requested_by=person, new_date=action.due_date + LATER, reason="x")


def test_a_revision_needs_a_reason_a_different_date_and_one_at_a_time(action, owner):
    with pytest.raises(ValidationError) as refused:
        due_date_revision_request(action=action, requested_by=owner, new_date=action.due_date, reason="")
    assert set(refused.value.message_dict) == {"new_due_date", "reason"}
    due_date_revision_request(action=action, requested_by=owner, new_date=action.due_date + LATER, reason="x")
    with pytest.raises(ValidationError, match="already been asked for"):
        due_date_revision_request(action=action, requested_by=owner, new_date=action.due_date + LATER, reason="y")


def details(action, **changes):
    """What the edit page sends for `action`, with `changes` on top."""
    fields = ("title", "description", "pillar", "owner", "executive_lead", "due_date", "is_public")
    return {**{name: getattr(action, name) for name in fields}, "themes": list(action.themes.all()), **changes}


def test_the_edit_form_changes_a_due_date_only_as_a_revision_with_a_reason(action, lead):
    data = details(action, due_date=action.due_date + LATER)
    with pytest.raises(ValidationError) as refused:
        action_update(action=action, editor=lead, data=data, expected_version=action.version)
    assert "due_date_reason" in refused.value.message_dict
    action_update(action=action, editor=lead, data={**data, "due_date_reason": "Supplier"}, expected_version=1)
    revision = action.due_date_revisions.get()
    assert (revision.reason, revision.requested_by, revision.decided_by) == ("Supplier", lead, lead)
    action.refresh_from_db()
    assert action.is_slipped


def test_a_due_date_moved_on_the_edit_form_keeps_the_revision_pages_limit_on_its_reason(action, lead):
    # The edit form, the admin and the import reach the same service: a reason the revision page refuses
    # for its length is refused here too, not stored.
    data = details(action, due_date=action.due_date + LATER, due_date_reason="x" * 2001)
    with pytest.raises(ValidationError) as refused:
        action_update(action=action, editor=lead, data=data, expected_version=action.version)
    assert refused.value.message_dict["due_date_reason"] == ["Reason must be 2,000 characters or fewer."]
    assert not action.due_date_revisions.exists()


def test_a_lead_who_owns_the_action_cannot_move_its_due_date_on_the_edit_form(lead_owner):
    own = ActionFactory(owner=lead_owner)
    data = details(own, due_date=own.due_date + LATER, due_date_reason="Mine")
    with pytest.raises(ValidationError) as refused:
        action_update(action=own, editor=lead_owner, data=data, expected_version=own.version)
    assert "another lead" in refused.value.message_dict["due_date"][0]
    own.refresh_from_db()
    assert own.due_date == own.original_due_date


def test_overdue_counts_against_the_agreed_date(owner, lead):
    late = ActionFactory(owner=owner, due_date=timezone.localdate() - datetime.timedelta(days=3))
    assert late.is_overdue and Action.objects.overdue().filter(pk=late.pk).exists()
    due_date_revise(action=late, lead=lead, new_date=timezone.localdate() + LATER, reason="Re-agreed")
    late.refresh_from_db()
    assert not late.is_overdue and late.is_slipped


# --- Committees -----------------------------------------------------------------------------------


def test_an_assured_action_is_put_to_a_meeting_and_ratified_with_a_review_date(
    assured_action, lead, committee_meeting, board, django_capture_on_commit_callbacks
):
    item = action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    assert item.decision == Decision.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="QGC/26/1")
    assured_action.refresh_from_db()
    assert assured_action.ratified_at is not None
    # By default three months after the meeting.
    assert 89 <= (assured_action.sustainability_review_due - committee_meeting.date).days <= 92
    assert any("committee decision" in m.subject for m in mail.outbox)
    assert any("Ratified by Quality Governance Committee" in m.body for m in mail.outbox)


def test_a_returned_decision_needs_a_reason_and_leaves_the_action_to_be_put_again(
    assured_action, lead, committee_meeting
):
    item = action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    with pytest.raises(ValidationError) as refused:
        committee_decision_record(item=item, lead=lead, decision="returned", minute_reference="")
    assert set(refused.value.message_dict) == {"reason", "minute_reference"}
    committee_decision_record(item=item, lead=lead, decision="returned", minute_reference="M1", reason="More evidence")
    assured_action.refresh_from_db()
    assert assured_action.status == Status.ASSURED and assured_action.ratified_at is None
    later = Meeting.objects.create(committee=committee_meeting.committee, date=timezone.localdate())
    assert action_put_to_meeting(action=assured_action, meeting=later, lead=lead).decision == Decision.PENDING


def test_a_refusal_or_a_return_keeps_the_limit_on_a_reason(action, owner, lead, assured_action, committee_meeting):
    # The forms stop a longer reason; the services refuse it for any other caller (the demo, a script).
    too_long = "x" * 2001
    asked = due_date_revision_request(action=action, requested_by=owner, new_date=action.due_date + LATER, reason="D")
    with pytest.raises(ValidationError) as refused:
        due_date_revision_decide(revision=asked, lead=lead, agree=False, refusal_reason=too_long)
    assert refused.value.message_dict == {"refusal_reason": ["Reason must be 2,000 characters or fewer."]}
    item = action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    with pytest.raises(ValidationError) as refused:
        committee_decision_record(item=item, lead=lead, decision="returned", minute_reference="M1", reason=too_long)
    assert refused.value.message_dict == {"reason": ["Reason must be 2,000 characters or fewer."]}


def test_only_an_eligible_lead_records_a_decision(
    assured_action, owner, other_owner, outsider, lead, committee_meeting, lead_owner
):
    item = action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    for person in (owner, other_owner, outsider):
        with pytest.raises(PermissionDenied):
            committee_decision_record(item=item, lead=person, decision="ratified", minute_reference="M1")
    own = ActionFactory(owner=lead_owner, status=Status.ASSURED, assured_at=assured_action.assured_at)
    own_item = action_put_to_meeting(action=own, meeting=committee_meeting, lead=lead)
    with pytest.raises(ValidationError, match="You own this action"):
        committee_decision_record(item=own_item, lead=lead_owner, decision="ratified", minute_reference="M1")
    assert not CommitteeDecision.objects.exclude(decision=Decision.PENDING).exists()


def test_only_an_assured_unratified_action_goes_to_a_committee_once(
    action, assured_action, lead, owner, committee_meeting
):
    with pytest.raises(ValidationError, match="Only an assured action"):
        action_put_to_meeting(action=action, meeting=committee_meeting, lead=lead)
    with pytest.raises(PermissionDenied):
        action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=owner)
    action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    with pytest.raises(ValidationError, match="already on a committee's agenda"):
        action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)


# --- Embedded -------------------------------------------------------------------------------------


@pytest.fixture
def ratified_action(assured_action, lead, committee_meeting):
    item = action_put_to_meeting(action=assured_action, meeting=committee_meeting, lead=lead)
    review_due = timezone.localdate() - datetime.timedelta(days=1)
    committee_decision_record(item=item, lead=lead, decision="ratified", minute_reference="M1", review_due=review_due)
    assured_action.refresh_from_db()
    return assured_action


def test_sustainability_evidence_reviewed_by_an_eligible_lead_makes_the_action_embedded(ratified_action, lead, owner):
    with pytest.raises(ValidationError, match="Attach evidence of sustained change"):
        action_review_sustainability(action=ratified_action, lead=lead)
    EvidenceFactory(action=ratified_action)  # evidence of completion does not count
    with pytest.raises(ValidationError, match="Attach evidence of sustained change"):
        action_review_sustainability(action=ratified_action, lead=lead)
    EvidenceFactory(action=ratified_action, kind=EvidenceKind.SUSTAINABILITY)
    action_review_sustainability(action=ratified_action, lead=lead)
    ratified_action.refresh_from_db()
    assert ratified_action.status == Status.EMBEDDED and ratified_action.embedded_by == lead
    assert ratified_action.status_enum.brag == "Blue"


def test_the_sustainability_review_waits_for_its_date(ratified_action, lead):
    EvidenceFactory(action=ratified_action, kind=EvidenceKind.SUSTAINABILITY)
    Action.objects.filter(pk=ratified_action.pk).update(
        sustainability_review_due=timezone.localdate() + datetime.timedelta(days=10)
    )
    ratified_action.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be done before then"):
        action_review_sustainability(action=ratified_action, lead=lead)


def test_the_owner_a_colleague_an_outsider_and_an_owning_lead_cannot_review_sustainability(
    ratified_action, owner, other_owner, outsider
):
    EvidenceFactory(action=ratified_action, kind=EvidenceKind.SUSTAINABILITY)
    for person in (owner, other_owner, outsider):
        with pytest.raises(PermissionDenied):
            action_review_sustainability(action=ratified_action, lead=person)
    ratified_action.refresh_from_db()
    assert ratified_action.status == Status.ASSURED


def test_an_unratified_action_cannot_be_embedded(assured_action, lead):
    EvidenceFactory(action=assured_action, kind=EvidenceKind.SUSTAINABILITY)
    with pytest.raises(ValidationError, match="ratified by a committee"):
        action_review_sustainability(action=assured_action, lead=lead)


# --- Reopening ------------------------------------------------------------------------------------


def test_a_lead_reopens_an_embedded_action_with_a_reason_and_its_history_stays(
    ratified_action, lead, board, django_capture_on_commit_callbacks
):
    EvidenceFactory(action=ratified_action, kind=EvidenceKind.SUSTAINABILITY)
    action_review_sustainability(action=ratified_action, lead=lead)
    with django_capture_on_commit_callbacks(execute=True):
        action_reopen(
            action=ratified_action,
            lead=lead,
            reason="Survey results fell",
            status=Status.OFF_TRACK,
            percent_complete=70,
            new_due_date=timezone.localdate() + LATER,
        )
    ratified_action.refresh_from_db()
    assert ratified_action.status == Status.OFF_TRACK and ratified_action.reopened_at is not None
    reopening = ActionReopening.objects.get()
    assert (reopening.previous_status, reopening.status, reopening.reason) == (
        Status.EMBEDDED,
        Status.OFF_TRACK,
        "Survey results fell",
    )
    # The decision and the review stay on the record: the decision row, and both entries in the log.
    assert ratified_action.committee_decisions.filter(decision=Decision.RATIFIED).exists()
    assert list(ratified_action.progress_updates.values_list("status", flat=True)[:2]) == ["off_track", "embedded"]
    assert any("reopened" in m.subject and "Survey results fell" in m.body for m in mail.outbox)


# What a reopening needs besides its reason and status: the percent still to do and a new due date.
NEW_START = {"percent_complete": 60, "new_due_date": timezone.localdate() + LATER}


def test_reopening_needs_a_lead_a_reason_an_open_status_and_a_signed_off_action(
    assured_action, action, owner, other_owner, outsider, lead
):
    for person in (owner, other_owner, outsider):
        with pytest.raises(PermissionDenied):
            action_reopen(action=assured_action, lead=person, reason="x", status=Status.AT_RISK, **NEW_START)
    with pytest.raises(ValidationError) as refused:
        action_reopen(action=assured_action, lead=lead, reason=" ", status=Status.COMPLETE, **NEW_START)
    assert set(refused.value.message_dict) == {"reason", "status"}
    with pytest.raises(ValidationError, match="Only an assured or embedded action"):
        action_reopen(action=action, lead=lead, reason="x", status=Status.AT_RISK, **NEW_START)


def test_a_reopened_action_must_be_completed_and_assured_again(assured_action, lead, other_lead, owner):
    action_reopen(action=assured_action, lead=lead, reason="Slipped", status=Status.AT_RISK, **NEW_START)
    assured_action.refresh_from_db()
    with pytest.raises(ValidationError, match="Only a complete action"):
        action_assure(action=assured_action, lead=other_lead)
    assert assured_action.assured_by is None
