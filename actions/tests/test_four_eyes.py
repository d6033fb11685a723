"""Four eyes cannot be walked around: whoever signs an action off must not have owned it, logged it as
complete or attached its evidence since it was last reopened (issue 18).
"""

import pytest
from django.core.exceptions import ValidationError

from actions.choices import Status
from actions.services.assurance import action_assure
from actions.services.editing import action_update
from actions.services.progress import action_log_progress
from actions.signoff import action_assurance_refusal, action_signoff_problem
from actions.tests.factories import ActionFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def _log(action, author, status, percent):
    action_log_progress(action=action, author=author, narrative="Work done.", status=status, percent_complete=percent)


def _hand_over(action, editor, new_owner):
    action.refresh_from_db()
    data = {"owner": new_owner, "title": action.title, "pillar": action.pillar, "executive_lead": action.executive_lead}
    data["due_date"] = action.due_date
    action_update(action=action, editor=editor, data=data, expected_version=action.version, notify=False)
    action.refresh_from_db()


def test_a_lead_who_completed_their_own_action_and_handed_it_on_cannot_assure_it(lead, other_owner):
    action = ActionFactory(owner=lead)
    EvidenceFactory(action=action, uploaded_by=other_owner)
    _log(action, lead, Status.COMPLETE, 100)
    _hand_over(action, lead, other_owner)  # the walk-around: now someone else owns it
    action.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        action_assure(action=action, lead=lead)
    assert "owned this action" in refused.value.messages[0]
    action.refresh_from_db()
    assert action.status == Status.COMPLETE and action.assured_by is None


def test_a_lead_who_logged_the_completion_cannot_assure_it(owner, lead):
    action = ActionFactory(owner=owner)
    EvidenceFactory(action=action)
    _log(action, lead, Status.COMPLETE, 100)
    with pytest.raises(ValidationError) as refused:
        action_assure(action=action, lead=lead)
    assert "logged this action as complete" in refused.value.messages[0]


def test_a_lead_who_attached_the_evidence_cannot_assure_it(owner, lead):
    action = ActionFactory(owner=owner)
    EvidenceFactory(action=action, uploaded_by=lead)
    _log(action, owner, Status.COMPLETE, 100)
    with pytest.raises(ValidationError) as refused:
        action_assure(action=action, lead=lead)
    assert "attached evidence" in refused.value.messages[0]


def test_an_independent_lead_still_assures(owner, lead, other_lead):
    action = ActionFactory(owner=owner)
    EvidenceFactory(action=action, uploaded_by=other_lead)
    _log(action, owner, Status.COMPLETE, 100)
    assert action_signoff_problem(action=action, user=lead) is None
    action_assure(action=action, lead=lead)
    action.refresh_from_db()
    assert action.status == Status.ASSURED and action.assured_by == lead


def test_what_happened_before_the_action_was_reopened_does_not_count(owner, lead, other_lead):
    action = ActionFactory(owner=lead)
    EvidenceFactory(action=action, uploaded_by=lead)
    _log(action, lead, Status.COMPLETE, 100)
    _log(action, other_lead, Status.ON_TRACK, 80)  # reopened: more work needed
    _hand_over(action, other_lead, owner)
    EvidenceFactory(action=action, uploaded_by=owner)
    _log(action, owner, Status.COMPLETE, 100)
    action.refresh_from_db()
    # The lead owned it when it was reopened, so they owned it in this cycle too.
    assert "owned this action" in action_signoff_problem(action=action, user=lead)
    # Reopened again while the owner (not the lead) owns it: the lead's old part no longer counts.
    _log(action, other_lead, Status.AT_RISK, 90)
    _log(action, owner, Status.COMPLETE, 100)
    action.refresh_from_db()
    assert action_signoff_problem(action=action, user=lead) is None


def test_the_sign_off_button_is_hidden_and_the_post_refused_for_a_lead_who_walked_around(client_for, lead, other_owner):
    action = ActionFactory(owner=lead)
    EvidenceFactory(action=action, uploaded_by=lead)
    _log(action, lead, Status.COMPLETE, 100)
    _hand_over(action, lead, other_owner)
    them = client_for(lead)

    detail = them.get(f"/actions/{action.reference}/").content.decode()
    assert "Sign off as assured" not in detail
    page = them.get(f"/actions/{action.reference}/assure/").content.decode()
    assert "owned this action" in page
    response = them.post(f"/actions/{action.reference}/assure/", {})
    assert response.status_code == 200 and "owned this action" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.COMPLETE and action.assured_by is None


def test_the_owner_check_is_the_four_eyes_rule_alone_not_restated_on_the_model(lead, other_lead):
    """Action.assurance_refusal asks only the role and the status; independence (the owner among it)
    is action_signoff_problem's, so the two can never disagree about who may sign off."""
    action = ActionFactory(owner=lead, status=Status.COMPLETE)
    assert action.assurance_refusal(lead) is None
    assert action_signoff_problem(action=action, user=lead) == (
        "You own this action, so another improvement lead must sign it off."
    )
    assert action_assurance_refusal(action=action, user=lead) == action_signoff_problem(action=action, user=lead)
    assert action_assurance_refusal(action=action, user=other_lead) is None
