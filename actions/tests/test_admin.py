"""The admin writes actions through the services, and cannot change or revert what the services own."""

import datetime

import pytest
from django.core import mail

from actions.choices import Status
from actions.models import Action, Evidence
from actions.tests.factories import UserFactory


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_as(client_for, administrator):
    return client_for(administrator)


def _edit_form(action, **changes):
    data = {
        "title": action.title,
        "description": action.description,
        "cqc_regulation": action.cqc_regulation,
        "pillar": action.pillar_id,
        "owner": action.owner_id,
        "executive_lead": action.executive_lead_id,
        "due_date": action.due_date.isoformat(),
        "is_public": "on" if action.is_public else "",
        "version": action.version,
        "progress_updates-TOTAL_FORMS": 0,
        "progress_updates-INITIAL_FORMS": 0,
        "_save": "Save",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_an_admin_edit_bumps_the_version_and_tells_the_owner_and_executive_lead(
    admin_as, action, owner, board, django_capture_on_commit_callbacks
):
    new_due = action.due_date + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_as.post(
            f"/admin/actions/action/{action.pk}/change/",
            _edit_form(action, due_date=new_due.isoformat(), due_date_reason="Supplier delay"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.due_date == new_due
    assert action.version == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, board.email])
    assert action.history.first().history_user.username == "admin"


def test_an_admin_edit_read_before_a_leads_edit_is_refused_and_changes_nothing(admin_as, action, lead):
    from actions.services.editing import action_update

    form = _edit_form(action, title="Admin's title")
    same = {name: getattr(action, name) for name in ("pillar", "owner", "executive_lead", "due_date")}
    action_update(action=action, editor=lead, data={**same, "title": "Lead's title"}, expected_version=1)
    response = admin_as.post(f"/admin/actions/action/{action.pk}/change/", form, follow=True)
    action.refresh_from_db()
    assert action.title == "Lead's title"
    assert "changed this action after you opened it" in response.content.decode()


def test_the_admin_cannot_set_status_percent_or_sign_off(admin_as, action):
    admin_as.post(
        f"/admin/actions/action/{action.pk}/change/",
        _edit_form(action, status=Status.ASSURED, percent_complete=100, assured_by=action.owner_id),
    )
    action.refresh_from_db()
    assert (action.status, action.percent_complete, action.assured_by_id) == (Status.NOT_STARTED, 0, None)


def test_the_admin_cannot_delete_an_action(admin_as, action):
    response = admin_as.post(f"/admin/actions/action/{action.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_evidence_cannot_be_deleted_or_changed_in_the_admin(admin_as, complete_action):
    evidence = complete_action.evidence.get()
    assert admin_as.post(f"/admin/actions/evidence/{evidence.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_as.post(f"/admin/actions/evidence/{evidence.pk}/change/", {"description": "Something else"})
    evidence.refresh_from_db()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert evidence.description == "Completion report"


def test_history_revert_cannot_take_an_assured_action_back_to_complete(admin_as, complete_action, lead):
    from actions.services.assurance import action_assure

    before = complete_action.history.first()
    action_assure(action=complete_action, lead=lead)
    url = f"/admin/actions/action/{complete_action.pk}/history/{before.history_id}/"
    page = admin_as.get(url)
    assert page.status_code == 200 and "Revert" not in page.content.decode()
    response = admin_as.post(url, _edit_form(complete_action, version=before.version))
    assert response.status_code == 403
    complete_action.refresh_from_db()
    assert complete_action.status == Status.ASSURED and complete_action.assured_by == lead
