"""A lead can return a completion (issue 25): "Not assured: returned to the owner", with a reason. The
action goes back to the owner's list with the reason on top, the owner is told by e-mail, the return is in
the progress log, the history and the lead's work queue; four eyes applies as to the sign-off.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.models import EntryKind, ProgressUpdate
from actions.selectors.returns import open_return
from actions.services.assurance import action_assure, action_return_completion
from actions.services.progress import action_log_progress
from actions.tests.factories import ActionFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

REASON = "The audit covers one station of twelve: show the audits of the other eleven."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def completed(owner, board):
    """SD-070: the owner logged it at risk (60%), then complete with evidence; awaiting assurance."""
    action = ActionFactory(reference="SD-070", action_type="should_do", owner=owner, executive_lead=board)
    earlier = timezone.now() - datetime.timedelta(days=10)
    action_log_progress(
        action=action, author=owner, narrative="Half the stations audited", status=Status.AT_RISK,
        percent_complete=60, at=earlier, notify=False,
    )  # fmt: skip
    EvidenceFactory(action=action, uploaded_by=owner)
    action_log_progress(
        action=action, author=owner, narrative="All done", status=Status.COMPLETE,
        at=earlier + datetime.timedelta(days=5), notify=False,
    )  # fmt: skip
    action.refresh_from_db()
    assert action.status == Status.COMPLETE and action.completed_at is not None
    return action


def test_a_lead_returns_a_completion_to_the_status_it_had_before_with_the_reason_logged(
    completed, lead, owner, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action_return_completion(action=completed, lead=lead, reason=REASON)
    completed.refresh_from_db()
    # The status and percent it had before it was marked complete; no completion date any more.
    assert (completed.status, completed.percent_complete, completed.completed_at) == (Status.AT_RISK, 60, None)
    entry = completed.progress_updates.order_by("-created_at", "-id").first()
    assert entry.author == lead and entry.narrative == f"Not assured: returned to the owner: {REASON}"
    assert (entry.status, entry.percent_complete) == (Status.AT_RISK, 60)
    # The history records it, in the lead's name.
    record = completed.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == lead and record.status == Status.AT_RISK
    # The owner and the executive lead are told, with the reason.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, board.email])
    assert all(REASON in message.body and "Not assured" in message.body for message in mail.outbox)
    assert open_return(action=completed)["reason"] == REASON


def test_a_completion_logged_as_the_first_entry_goes_back_to_not_started(owner, board, lead):
    action = ActionFactory(reference="SD-071", action_type="should_do", owner=owner, executive_lead=board)
    EvidenceFactory(action=action, uploaded_by=owner)
    action_log_progress(action=action, author=owner, narrative="Done", status=Status.COMPLETE, notify=False)
    action_return_completion(action=action, lead=lead, reason=REASON, notify=False)
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.NOT_STARTED, 0)


def test_the_percent_after_a_return_is_below_100(owner, board, lead):
    action = ActionFactory(reference="SD-072", action_type="should_do", owner=owner, executive_lead=board)
    earlier = timezone.now() - datetime.timedelta(days=3)
    action_log_progress(
        action=action, author=owner, narrative="All but signed", status=Status.ON_TRACK, percent_complete=100,
        at=earlier, notify=False,
    )  # fmt: skip
    EvidenceFactory(action=action, uploaded_by=owner)
    action_log_progress(action=action, author=owner, narrative="Done", status=Status.COMPLETE, notify=False)
    action_return_completion(action=action, lead=lead, reason=REASON, notify=False)
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.ON_TRACK, 99)


def test_only_a_lead_returns_a_completion(completed, owner, other_owner, outsider, board):
    for person in (owner, other_owner, outsider, board):
        with pytest.raises(PermissionDenied):
            action_return_completion(action=completed, lead=person, reason=REASON)
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETE


def test_four_eyes_the_lead_who_completed_it_cannot_return_it(owner, board, lead, other_lead):
    action = ActionFactory(reference="SD-073", action_type="should_do", owner=owner, executive_lead=board)
    EvidenceFactory(action=action, uploaded_by=owner)
    action_log_progress(action=action, author=lead, narrative="Done for them", status=Status.COMPLETE, notify=False)
    with pytest.raises(ValidationError, match="You logged this action as complete"):
        action_return_completion(action=action, lead=lead, reason=REASON)
    action_return_completion(action=action, lead=other_lead, reason=REASON, notify=False)  # another lead may


def test_four_eyes_a_lead_who_owns_it_cannot_return_it(lead, board):
    action = ActionFactory(reference="SD-074", action_type="should_do", owner=lead, executive_lead=board)
    EvidenceFactory(action=action, uploaded_by=lead)
    action_log_progress(action=action, author=lead, narrative="Done", status=Status.COMPLETE, notify=False)
    with pytest.raises(ValidationError, match="You own this action"):
        action_return_completion(action=action, lead=lead, reason=REASON)


def test_only_a_complete_action_is_returned(action, lead, other_lead, completed):
    with pytest.raises(ValidationError, match="Only a complete action"):
        action_return_completion(action=action, lead=lead, reason=REASON)
    action_assure(action=completed, lead=lead, notify=False)
    with pytest.raises(ValidationError, match="Only a complete action"):
        action_return_completion(action=completed, lead=other_lead, reason=REASON)


def test_a_return_needs_a_reason(completed, lead):
    with pytest.raises(ValidationError) as refused:
        action_return_completion(action=completed, lead=lead, reason="  ")
    assert "reason" in refused.value.message_dict
    assert not ProgressUpdate.objects.filter(narrative__startswith="Not assured").exists()


def test_the_return_closes_when_the_owner_completes_again(completed, lead, owner, other_lead):
    action_return_completion(action=completed, lead=lead, reason=REASON, notify=False)
    completed.refresh_from_db()
    # Still the owner's to answer after they log progress on it.
    action_log_progress(
        action=completed, author=owner, narrative="Auditing the rest", status=Status.ON_TRACK,
        percent_complete=80, notify=False,
    )  # fmt: skip
    assert open_return(action=completed)["reason"] == REASON
    EvidenceFactory(action=completed, uploaded_by=owner)
    action_log_progress(action=completed, author=owner, narrative="All twelve", status=Status.COMPLETE, notify=False)
    assert open_return(action=completed) == {}


def test_an_owner_who_types_the_return_words_has_not_returned_anything(action, owner):
    action_log_progress(
        action=action, author=owner, narrative="Not assured: returned to the owner: a joke", status=Status.ON_TRACK,
        percent_complete=10, notify=False,
    )  # fmt: skip
    assert open_return(action=action) == {}
    assert ProgressUpdate.objects.get(action=action).kind == EntryKind.PROGRESS


def test_a_return_is_recorded_as_one(completed, lead):
    action_return_completion(action=completed, lead=lead, reason=REASON, notify=False)
    assert ProgressUpdate.objects.filter(action=completed).latest().kind == EntryKind.RETURN


# --- The pages ------------------------------------------------------------------------------------


def test_the_assure_page_offers_the_return_beside_the_sign_off(completed, lead):
    page = signed_in(lead).get(f"/actions/{completed.reference}/assure/").content.decode()
    assert "Sign off as assured" in page
    assert "Not assured: return to the owner" in page
    assert f'action="/actions/{completed.reference}/return/"' in page


def test_a_lead_returns_from_the_page_and_the_owner_reads_the_reason_on_top_and_in_my_actions(completed, lead, owner):
    response = signed_in(lead).post(f"/actions/{completed.reference}/return/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/actions/{completed.reference}/"
    owner_client = signed_in(owner)
    page = owner_client.get(f"/actions/{completed.reference}/").content.decode()
    assert "Not assured: returned to the owner" in page and REASON in page
    # On top: before the progress log.
    assert page.index(REASON) < page.index('id="progress"')
    mine = owner_client.get("/actions/mine/").content.decode()
    assert "Returned to you: not assured" in mine and REASON in mine and completed.reference in mine


def test_the_lead_s_queue_lists_returned_completions(completed, lead, other_lead):
    action_return_completion(action=completed, lead=lead, reason=REASON, notify=False)
    page = signed_in(other_lead).get("/actions/queue/").content.decode()
    assert "Returned to their owners, not assured (1)" in page
    assert completed.reference in page.split('id="returned"')[1]


def test_the_page_refuses_a_non_lead_with_403(completed, owner, other_owner):
    for person in (owner, other_owner):
        response = signed_in(person).post(f"/actions/{completed.reference}/return/", {"reason": REASON})
        assert response.status_code == 403
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETE


def test_the_page_refuses_the_completer_with_the_four_eyes_message(owner, board, lead):
    action = ActionFactory(reference="SD-075", action_type="should_do", owner=owner, executive_lead=board)
    EvidenceFactory(action=action, uploaded_by=owner)
    action_log_progress(action=action, author=lead, narrative="Done", status=Status.COMPLETE, notify=False)
    response = signed_in(lead).post(f"/actions/{action.reference}/return/", {"reason": REASON})
    assert response.status_code == 200
    assert "You logged this action as complete" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.COMPLETE


def test_the_page_asks_for_a_reason(completed, lead):
    response = signed_in(lead).post(f"/actions/{completed.reference}/return/", {"reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Why is the completion not assured?" in page
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETE


def test_a_factory_made_completion_returns_too(complete_action, lead):
    """The shared fixture (a complete entry and nothing before it) goes back to not started."""
    action_return_completion(action=complete_action, lead=lead, reason=REASON, notify=False)
    complete_action.refresh_from_db()
    assert complete_action.status == Status.NOT_STARTED and complete_action.percent_complete == 0
