"""Leavers' open actions: the improvement leads' "needs a new owner" list, the dashboard's figure, and
the one form that gives them a new owner (through action_update: version, history, e-mail).
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from actions.choices import Status
from actions.models import Action
from actions.selectors.leavers import actions_needing_new_owner
from actions.services.leavers import actions_reassign_owner
from actions.tests.factories import ActionFactory, UserFactory
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(db):
    return UserFactory(username="leaver", first_name="Kim", last_name="Gone", roles=[Role.OWNER], is_active=False)


@pytest.fixture
def leavers_actions(leaver, owner):
    return {
        "open": ActionFactory(reference="MD-31", owner=leaver, status=Status.ON_TRACK),
        "also_open": ActionFactory(reference="MD-32", owner=leaver, status=Status.NOT_STARTED),
        "assured": ActionFactory(reference="MD-33", owner=leaver, status=Status.ASSURED),
        "someone_elses": ActionFactory(reference="MD-34", owner=owner, status=Status.ON_TRACK),
    }


def test_only_open_actions_of_switched_off_accounts_need_a_new_owner(leavers_actions):
    assert [a.reference for a in actions_needing_new_owner()] == ["MD-31", "MD-32"]


def test_the_lead_sees_the_list_and_reassigns_them_with_one_form(
    client_for, lead, other_owner, leavers_actions, django_capture_on_commit_callbacks
):
    client = client_for(lead)
    page = client.get("/actions/needs-owner/").content.decode()
    assert "MD-31" in page and "MD-32" in page and "(was Kim Gone)" in page
    assert "MD-33" not in page and "MD-34" not in page
    mail.outbox.clear()

    chosen = [leavers_actions["open"].pk, leavers_actions["also_open"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/actions/needs-owner/", {"actions": chosen, "new_owner": other_owner.pk})

    assert response.status_code == 302 and response["Location"] == "/actions/needs-owner/"
    for action in Action.objects.filter(pk__in=chosen):
        assert action.owner_id == other_owner.pk
        assert action.version == 2
        assert action.history.first().history_user == lead
    assert Action.objects.get(reference="MD-33").owner.username == "leaver"  # done work keeps its owner
    assert any(other_owner.email in message.to for message in mail.outbox)
    assert "No open action belongs to a leaver" in client.get("/actions/needs-owner/").content.decode()


def test_the_form_refuses_an_empty_choice_and_a_switched_off_new_owner(client_for, lead, leaver, leavers_actions):
    client = client_for(lead)
    response = client.post("/actions/needs-owner/", {"new_owner": leaver.pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select at least one action" in text
    assert "from the list shown" in text  # a switched-off account is not offered as the new owner
    assert Action.objects.get(reference="MD-31").owner_id == leaver.pk


def test_an_action_given_an_owner_meanwhile_is_refused_and_nothing_changes(lead, owner, other_owner, leavers_actions):
    taken = leavers_actions["also_open"]
    Action.objects.filter(pk=taken.pk).update(owner=owner)
    with pytest.raises(ValidationError, match="MD-32 has been given to Priya Shah"):
        actions_reassign_owner(actions=[leavers_actions["open"], taken], new_owner=other_owner, editor=lead)
    assert Action.objects.get(reference="MD-31").owner.username == "leaver"  # all or none


@pytest.mark.parametrize("persona", ["owner", "board", "comms", "outsider"])
def test_only_improvement_leads_may_see_or_use_the_list(client_for, request, persona, other_owner, leavers_actions):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/actions/needs-owner/").status_code == 403
    response = client.post(
        "/actions/needs-owner/", {"actions": [leavers_actions["open"].pk], "new_owner": other_owner.pk}
    )
    assert response.status_code == 403
    assert Action.objects.get(reference="MD-31").owner.username == "leaver"


def test_the_service_refuses_anyone_but_a_lead(owner, other_owner, leavers_actions):
    with pytest.raises(PermissionDenied):
        actions_reassign_owner(actions=[leavers_actions["open"]], new_owner=other_owner, editor=owner)


def test_the_dashboard_shows_how_many_actions_need_a_new_owner(client_for, lead, board, leavers_actions):
    lead_page = client_for(lead).get("/dashboard/").content.decode()
    assert "Open actions that need a new owner" in lead_page
    assert 'href="/actions/needs-owner/" id="needs-new-owner">2<' in lead_page
    board_page = client_for(board).get("/dashboard/").content.decode()
    assert 'id="needs-new-owner">2<' in board_page
    assert 'href="/actions/needs-owner/"' not in board_page  # the board sees the figure, not the form
