"""The governance pages (issue 13), walked as the people who use them: an owner asks for a new due date
and a lead agrees it; a lead puts an assured action to a committee and records the decision; the
sustainability review makes it embedded; a lead reopens it. Refusals show on the page.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.models import Committee, CommitteeDecision, Decision, EvidenceKind, Meeting, RevisionState
from actions.tests.factories import ActionFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_an_owner_asks_for_a_new_due_date_and_a_lead_agrees_it_on_the_action_page(action, owner, lead):
    new = action.due_date + datetime.timedelta(days=21)
    response = signed_in(owner).post(
        f"/actions/{action.reference}/due-date/", {**date_fields("new_due_date", new), "reason": "Supplier delay"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == action.original_due_date  # asked, not yet agreed
    revision = action.due_date_revisions.get()
    page = signed_in(lead).get(f"/actions/{action.reference}/").content.decode()
    assert f"/actions/{action.reference}/due-date/{revision.pk}/" in page and "Supplier delay" in page
    # The owner sees the request but cannot decide it.
    assert signed_in(owner).get(f"/actions/{action.reference}/due-date/{revision.pk}/").status_code == 403
    agreed = signed_in(lead).post(f"/actions/{action.reference}/due-date/{revision.pk}/", {"decision": "agree"})
    assert agreed.status_code == 302
    action.refresh_from_db()
    revision.refresh_from_db()
    assert action.due_date == new and revision.state == RevisionState.AGREED
    page = signed_in(owner).get(f"/actions/{action.reference}/").content.decode()
    assert "Slipped" in page and f"original {action.original_due_date:%-d %B %Y}" in page


def test_a_due_date_request_without_a_reason_is_refused_on_the_form(action, owner):
    new = action.due_date + datetime.timedelta(days=21)
    response = signed_in(owner).post(f"/actions/{action.reference}/due-date/", date_fields("new_due_date", new))
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert not action.due_date_revisions.exists()


def test_another_owner_cannot_ask_for_a_new_due_date(action, other_owner):
    response = signed_in(other_owner).post(f"/actions/{action.reference}/due-date/", {"reason": "x"})
    assert response.status_code == 403


def test_the_edit_page_asks_for_a_reason_when_the_due_date_changes(action, lead):
    from actions.tests.test_edit import form_data

    new = action.due_date + datetime.timedelta(days=14)
    data = form_data(action, due_date_day=new.day, due_date_month=new.month, due_date_year=new.year)
    refused = signed_in(lead).post(f"/actions/{action.reference}/edit/", data)
    assert refused.status_code == 200
    assert "Enter the reason for the new due date" in refused.content.decode()
    action.refresh_from_db()
    assert action.due_date == action.original_due_date


def test_a_committee_decision_is_recorded_from_the_meeting_page(owner, board, lead):
    assured = ActionFactory(reference="MD-060", owner=owner, executive_lead=board, status=Status.ASSURED)
    committee = Committee.objects.create(name="Executive Management Board")
    meeting = Meeting.objects.create(committee=committee, date=timezone.localdate())
    client = signed_in(lead)
    assert client.post(f"/actions/{assured.reference}/committee/", {"meeting": meeting.pk}).status_code == 302
    item = CommitteeDecision.objects.get()
    agenda = signed_in(owner).get(f"/committees/{committee.pk}/").content.decode()
    assert "MD-060" in agenda and "Awaiting the committee" in agenda
    # An owner may read the meeting, but not record its decision.
    assert signed_in(owner).post(f"/committees/decisions/{item.pk}/", {"decision": "ratified"}).status_code == 403
    response = client.post(
        f"/committees/decisions/{item.pk}/", {"decision": "ratified", "minute_reference": "EMB/26/3"}
    )
    assert response.status_code == 302 and response["Location"] == f"/committees/meetings/{meeting.pk}/"
    item.refresh_from_db()
    assert item.decision == Decision.RATIFIED
    trail = signed_in(owner).get(f"/actions/{assured.reference}/").content.decode()
    assert "Considered by" in trail and "Ratified, minute EMB/26/3" in trail


def test_a_lead_who_owns_the_action_is_shown_the_refusal_instead_of_the_decision_form(lead, board):
    assured = ActionFactory(reference="MD-061", owner=lead, executive_lead=board, status=Status.ASSURED)
    meeting = Meeting.objects.create(committee=Committee.objects.create(name="QGC"), date=timezone.localdate())
    item = CommitteeDecision.objects.create(action=assured, meeting=meeting, put_by=lead)
    page = signed_in(lead).get(f"/committees/decisions/{item.pk}/").content.decode()
    assert "You own this action" in page and 'name="minute_reference"' not in page


def test_the_sustainability_review_and_reopening_from_the_action_page(owner, board, lead):
    action = ActionFactory(
        reference="MD-062", owner=owner, executive_lead=board, status=Status.ASSURED, ratified_at=timezone.now()
    )
    action.sustainability_review_due = timezone.localdate()
    action.save()
    client = signed_in(lead)
    refused = client.get(f"/actions/{action.reference}/sustainability/").content.decode()
    assert "Attach evidence of sustained change" in refused
    EvidenceFactory(action=action, kind=EvidenceKind.SUSTAINABILITY)
    assert client.post(f"/actions/{action.reference}/sustainability/", {}).status_code == 302
    action.refresh_from_db()
    assert action.status == Status.EMBEDDED
    new_due = timezone.localdate() + datetime.timedelta(days=60)
    reopened = client.post(
        f"/actions/{action.reference}/reopen/",
        {
            "reason": "Audit slipped",
            "status": "at_risk",
            "percent_complete": "70",
            "new_due_date_day": new_due.day,
            "new_due_date_month": new_due.month,
            "new_due_date_year": new_due.year,
        },
    )
    assert reopened.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.percent_complete, action.due_date) == (Status.AT_RISK, 70, new_due)
    page = signed_in(owner).get(f"/actions/{action.reference}/").content.decode()
    assert "Audit slipped" in page and "Reopened" in page


def test_an_owner_uploads_evidence_of_sustained_change(owner, board):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = ActionFactory(reference="MD-063", owner=owner, executive_lead=board)
    upload = SimpleUploadedFile("audit.txt", b"Three months of audits.\n")
    response = signed_in(owner).post(
        f"/actions/{action.reference}/evidence/",
        {"file": upload, "description": "Audits since ratification", "kind": "sustainability"},
    )
    assert response.status_code == 302
    assert action.evidence.get().kind == EvidenceKind.SUSTAINABILITY
