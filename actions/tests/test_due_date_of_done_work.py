"""A done action's due date no longer changes, however it is asked for: the revision pages, the edit page,
the admin and the import all ask one rule, actions.signoff.due_date_change_problem (issue 28, finding 9).
"""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from actions.choices import Status
from actions.importing.plan import ImportRefused, check_action_plan, import_action_plan
from actions.models import DueDateRevision
from actions.selectors.governance import governance_context
from actions.services.governance import due_date_revise, due_date_revision_request
from actions.signoff import due_date_change_problem
from actions.tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db

DONE = "This action's work is done, so its due date no longer changes."
LATER = datetime.timedelta(days=60)


@pytest.fixture(params=[Status.COMPLETE, Status.ASSURED, Status.EMBEDDED])
def done(request, owner, board, other_lead):
    """An action of the owner persona's whose work is done (complete, assured by another lead, or embedded)."""
    return ActionFactory(
        reference="MD-090", owner=owner, executive_lead=board, status=request.param, assured_by=other_lead
    )


def unchanged(action) -> bool:
    due = action.due_date
    action.refresh_from_db()
    return action.due_date == due == action.original_due_date and not DueDateRevision.objects.exists()


def test_the_rule_refuses_done_work_and_lets_open_work_move(owner, done):
    assert due_date_change_problem(done) == DONE
    for status in (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        assert due_date_change_problem(ActionFactory(owner=owner, status=status)) is None


def test_the_revision_pages_refuse_it(done, owner, lead):
    with pytest.raises(ValidationError, match=DONE):
        due_date_revision_request(action=done, requested_by=owner, new_date=done.due_date + LATER, reason="Late")
    with pytest.raises(ValidationError, match=DONE):
        due_date_revise(action=done, lead=lead, new_date=done.due_date + LATER, reason="Late")
    assert unchanged(done)
    assert governance_context(action=done, user=owner)["can_revise_due_date"] is False


def test_the_revision_page_says_it_to_whoever_posts_the_form_anyway(done, owner, client_for):
    new = done.due_date + LATER
    response = client_for(owner).post(
        f"/actions/{done.reference}/due-date/",
        {"new_due_date_day": new.day, "new_due_date_month": new.month, "new_due_date_year": new.year, "reason": "x"},
    )
    assert response.status_code == 200
    assert DONE.replace("'", "&#x27;") in response.content.decode()
    assert unchanged(done)


def test_the_edit_page_refuses_it_and_says_why(done, lead, client_for):
    new = done.due_date + LATER
    data = {
        "title": done.title,
        "description": done.description,
        "pillar": done.pillar_id,
        "owner": done.owner_id,
        "executive_lead": done.executive_lead_id,
        "due_date_day": new.day,
        "due_date_month": new.month,
        "due_date_year": new.year,
        "due_date_reason": "The supplier is late",
        "is_public": "on",
        "version": done.version,
    }
    response = client_for(lead).post(f"/actions/{done.reference}/edit/", data)
    assert response.status_code == 200
    assert DONE.replace("'", "&#x27;") in response.content.decode()
    assert unchanged(done)
    # The rest of the page still saves: the rule is about the due date alone.
    data.update(due_date_day=done.due_date.day, due_date_month=done.due_date.month, due_date_year=done.due_date.year)
    data["title"] = "A clearer title"
    assert client_for(lead).post(f"/actions/{done.reference}/edit/", data).status_code == 302
    done.refresh_from_db()
    assert done.title == "A clearer title"


def test_the_admin_refuses_it(done, client_for):
    administrator = UserFactory(username="admin", is_staff=True, is_superuser=True)
    data = {
        "title": done.title,
        "description": done.description,
        "cqc_regulation": done.cqc_regulation,
        "pillar": done.pillar_id,
        "owner": done.owner_id,
        "executive_lead": done.executive_lead_id,
        "due_date": (done.due_date + LATER).isoformat(),
        "due_date_reason": "The supplier is late",
        "is_public": "on",
        "version": done.version,
        "progress_updates-TOTAL_FORMS": 0,
        "progress_updates-INITIAL_FORMS": 0,
        "_save": "Save",
    }
    response = client_for(administrator).post(f"/admin/actions/action/{done.pk}/change/", data, follow=True)
    assert DONE.replace("'", "&#x27;") in response.content.decode()
    assert unchanged(done)


def _exported_with_a_new_due_date(lead, client_for, action) -> bytes:
    text = client_for(lead).get("/actions/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    (row,) = [row for row in rows if row["Reference"] == action.reference]
    row.update({"Due date": (action.due_date + LATER).isoformat(), "Due date reason": "The supplier is late"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode()


def test_the_import_preview_and_confirm_refuse_it(done, lead, client_for):
    content = _exported_with_a_new_due_date(lead, client_for, done)
    preview = check_action_plan(name="plan.csv", content=content, importer=lead)
    assert [(p.row, p.column, p.message) for p in preview.problems] == [(2, "Due date", DONE)]
    assert not preview.can_import
    with pytest.raises(ImportRefused) as refused:
        import_action_plan(name="plan.csv", content=content, creator=lead)
    assert [p.message for p in refused.value.preview.problems] == [DONE]
    assert unchanged(done)


def test_the_import_of_an_open_action_still_moves_its_due_date_as_a_revision(owner, board, lead, client_for):
    open_action = ActionFactory(
        reference="MD-091", owner=owner, executive_lead=board, status=Status.ON_TRACK, percent_complete=40
    )
    content = _exported_with_a_new_due_date(lead, client_for, open_action)
    assert check_action_plan(name="plan.csv", content=content, importer=lead).problems == []
    import_action_plan(name="plan.csv", content=content, creator=lead)
    open_action.refresh_from_db()
    assert open_action.due_date == open_action.original_due_date + LATER
    assert open_action.due_date_revisions.get().reason == "The supplier is late"
