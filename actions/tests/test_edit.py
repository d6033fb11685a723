"""Creating and editing actions: leads only, reference rules, and no lost update when two people edit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from actions.choices import Status
from actions.models import Action
from actions.services.editing import StaleEdit, action_create, action_update
from actions.services.progress import action_log_progress
from actions.tests.factories import ActionFactory, UserFactory
from pillars.tests.factories import PillarFactory
from secamb_journey.roles import Role
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def form_data(action, **changes):
    """What the edit page would post back unchanged, with `changes` on top."""
    data = {
        "title": action.title,
        "description": action.description,
        "cqc_regulation": action.cqc_regulation,
        "pillar": action.pillar_id,
        "themes": [t.pk for t in action.themes.all()],
        "owner": action.owner_id,
        "executive_lead": action.executive_lead_id,
        "due_date_day": action.due_date.day,
        "due_date_month": action.due_date.month,
        "due_date_year": action.due_date.year,
        "is_public": "on" if action.is_public else "",
        "version": action.version,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_lead_creates_an_action_that_starts_not_started(lead, owner, board):
    pillar = PillarFactory()
    theme = ThemeFactory()
    response = signed_in(lead).post(
        "/actions/new/",
        {
            "reference": "sd-12",
            "action_type": "should_do",
            "title": "Improve handover at hospitals",
            "pillar": pillar.pk,
            "themes": [theme.pk],
            "owner": owner.pk,
            "executive_lead": board.pk,
            "due_date_day": "31",
            "due_date_month": "3",
            "due_date_year": "2027",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(reference="SD-12")
    assert (action.status, action.percent_complete, action.version) == (Status.NOT_STARTED, 0, 1)
    assert list(action.themes.all()) == [theme]
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.history.first().history_user == lead


@pytest.mark.parametrize(
    ("reference", "action_type", "message"),
    [
        ("MD-1", "must_do", "two capital letters (WN, MD, SD or IJ), a hyphen and 2 to 4 digits"),
        ("XX-01", "must_do", "two capital letters"),
        ("MD-01234", "must_do", "2 to 4 digits"),
        ("SD-01", "must_do", "A CQC must-do has a reference starting MD-"),
    ],
)
def test_a_reference_that_does_not_fit_its_type_is_refused(lead, owner, board, reference, action_type, message):
    response = signed_in(lead).post(
        "/actions/new/",
        {
            "reference": reference,
            "action_type": action_type,
            "title": "A title",
            "pillar": PillarFactory().pk,
            "owner": owner.pk,
            "executive_lead": board.pk,
            "due_date_day": "1",
            "due_date_month": "1",
            "due_date_year": "2027",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists()


def test_a_reference_already_used_is_refused(lead, action):
    with pytest.raises(ValidationError) as refused:
        action_create(creator=lead, data={**_data(action), "reference": action.reference, "action_type": "must_do"})
    assert f"An action with reference {action.reference} already exists." in refused.value.message_dict["reference"]


def test_a_reference_already_used_is_refused_on_the_page_naming_it(lead, owner, board, action):
    response = signed_in(lead).post(
        "/actions/new/",
        {
            "reference": action.reference,
            "action_type": action.action_type,
            "title": "A title",
            "pillar": action.pillar_id,
            "owner": owner.pk,
            "executive_lead": board.pk,
            "due_date_day": "1",
            "due_date_month": "1",
            "due_date_year": "2027",
        },
    )
    assert response.status_code == 200
    assert f"An action with reference {action.reference} already exists." in response.content.decode()
    assert Action.objects.count() == 1


def _data(action):
    return {
        "title": action.title,
        "description": action.description,
        "cqc_regulation": action.cqc_regulation,
        "pillar": action.pillar,
        "themes": list(action.themes.all()),
        "owner": action.owner,
        "executive_lead": action.executive_lead,
        "due_date": action.due_date,
        "is_public": action.is_public,
    }


def test_only_a_lead_may_create_or_change_an_action(owner, board, action):
    for person in (owner, board):
        with pytest.raises(PermissionDenied):
            action_update(action=action, editor=person, data=_data(action), expected_version=action.version)
        with pytest.raises(PermissionDenied):
            action_create(creator=person, data={**_data(action), "reference": "MD-77", "action_type": "must_do"})


def test_the_edit_form_cannot_change_status_percent_or_reference(lead, action):
    response = signed_in(lead).post(
        f"/actions/{action.reference}/edit/",
        form_data(action, title="New title", status="complete", percent_complete="100", reference="MD-999"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "New title"
    assert (action.status, action.percent_complete, action.reference) == (Status.NOT_STARTED, 0, "MD-010")
    assert action.version == 2


def test_the_second_of_two_editors_is_refused_with_what_changed_and_who_changed_it(lead, other_lead, action):
    # Both open the edit page at version 1.
    first, second = signed_in(lead), signed_in(other_lead)
    first.get(f"/actions/{action.reference}/edit/")
    second.get(f"/actions/{action.reference}/edit/")
    read_by_both = form_data(action)
    new_due = action.due_date + datetime.timedelta(days=14)

    saved = first.post(
        f"/actions/{action.reference}/edit/",
        {
            **read_by_both,
            "due_date_day": new_due.day,
            "due_date_month": new_due.month,
            "due_date_year": new_due.year,
            # A new due date is a revision, with its reason (issue 13).
            "due_date_reason": "Supplier delay",
            "title": "Jo's title",
        },
    )
    assert saved.status_code == 302

    refused = second.post(f"/actions/{action.reference}/edit/", {**read_by_both, "title": "Ruth's title"})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Jo Clarke changed this action after you opened it" in body
    assert "title from “Check medicines on every vehicle” to “Jo&#x27;s title”" in body
    assert f"due date from “{action.due_date:%-d %B %Y}” to “{new_due:%-d %B %Y}”" in body
    assert "Your changes have not been saved" in body
    assert "<title>Error: " in body
    # The form now carries the current version and values, so the next save is judged against them.
    assert 'name="version" value="2"' in body
    action.refresh_from_db()
    assert action.title == "Jo's title" and action.due_date == new_due and action.version == 2


def test_an_edit_read_before_progress_was_logged_is_refused_naming_the_progress(lead, owner, action):
    read_at = action.version
    action_log_progress(action=action, author=owner, narrative="Going well", status="on_track", percent_complete=30)
    with pytest.raises(StaleEdit) as refused:
        action_update(action=action, editor=lead, data={**_data(action), "title": "X"}, expected_version=read_at)
    assert "Priya Shah changed this action after you opened it" in refused.value.message
    assert "status from “Not started” to “On track”" in refused.value.message
    action.refresh_from_db()
    assert action.title == "Check medicines on every vehicle"


def test_a_theme_change_in_between_is_named_too(lead, other_lead, action):
    theme = ThemeFactory(short_name="Culture")
    action_update(action=action, editor=lead, data={**_data(action), "themes": [theme]}, expected_version=1)
    with pytest.raises(StaleEdit) as refused:
        action_update(action=action, editor=other_lead, data=_data(action), expected_version=1)
    assert "themes from “(blank)” to “Culture”" in refused.value.message


def test_a_missing_or_forged_version_is_refused(lead, action):
    for version in (None, 0, 99):
        with pytest.raises(StaleEdit):
            action_update(action=action, editor=lead, data={**_data(action), "title": "X"}, expected_version=version)
    action.refresh_from_db()
    assert action.title != "X" and action.version == 1


def test_saving_without_changes_does_not_bump_the_version(lead, action):
    action_update(action=action, editor=lead, data=_data(action), expected_version=1)
    action.refresh_from_db()
    assert action.version == 1


def test_the_history_shows_who_changed_what_from_what_to_what(client_for, lead, owner, action):
    new_owner = UserFactory(username="newowner", first_name="Sam", last_name="Jones", roles=[Role.OWNER])
    action_update(action=action, editor=lead, data={**_data(action), "owner": new_owner}, expected_version=1)
    body = client_for(lead).get(f"/actions/{action.reference}/").content.decode()
    history = body[body.index('id="history"') :]
    assert "Jo Clarke" in history
    assert "<strong>Owner</strong>: Priya Shah" in history and "Sam Jones" in history


def test_the_edit_page_shows_the_current_values(lead):
    action = ActionFactory(title="Reduce call-back times", due_date=datetime.date(2027, 5, 4))
    body = signed_in(lead).get(f"/actions/{action.reference}/edit/").content.decode()
    assert 'value="Reduce call-back times"' in body
    assert 'name="due_date_day" value="4"' in body
    assert 'name="version" value="1"' in body


def test_a_theme_id_no_database_integer_can_hold_is_refused_not_an_error(lead, client):
    # Hypothesis found it: 2**63 as a ticked theme made SQLite raise OverflowError, a 500.
    client.force_login(lead)
    response = client.post("/actions/new/", {"title": "Anything", "themes": [str(2**63)]})
    assert response.status_code == 200
    assert "from the list shown" in response.content.decode()
    assert not Action.objects.exists()
