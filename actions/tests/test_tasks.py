"""Owners and executive leads are emailed when their action changes owner, status or due date: after
the transaction commits, and never at the cost of the save when the broker is down.
"""

import datetime
import logging

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from actions import tasks
from actions.models import Status
from actions.services import action_log_progress, action_update
from actions.tests.factories import UserFactory
from actions.tests.test_edit import _data
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db


def test_a_status_change_emails_the_executive_lead_but_not_the_person_who_made_it(
    owner, board, action, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        action_log_progress(
            action=action, author=owner, narrative="Started", status=Status.ON_TRACK, percent_complete=5
        )
        assert mail.outbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[board.email]]
    message = mail.outbox[0]
    assert message.subject == "MD-010: status changed"
    assert "Status: Not started → On track" in message.body
    assert "/actions/MD-010/" in message.body


def test_a_new_owner_and_the_old_one_are_both_told(lead, owner, board, action, django_capture_on_commit_callbacks):
    new_owner = UserFactory(username="sam", first_name="Sam", last_name="Jones", roles=[Role.OWNER])
    with django_capture_on_commit_callbacks(execute=True):
        action_update(action=action, editor=lead, data={**_data(action), "owner": new_owner}, expected_version=1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([new_owner.email, owner.email, board.email])
    assert "Owner: Priya Shah → Sam Jones" in mail.outbox[0].body


def test_a_due_date_change_is_told_and_a_title_change_is_not(lead, owner, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        action_update(action=action, editor=lead, data={**_data(action), "title": "Renamed"}, expected_version=1)
    assert callbacks == [] and mail.outbox == []
    later = action.due_date + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        data = {**_data(action), "due_date": later, "due_date_reason": "Supplier delay"}
        action_update(action=action, editor=lead, data=data, expected_version=2)
    assert {m.subject for m in mail.outbox} == {"MD-010: due date changed"}
    assert len(mail.outbox) == 2  # the owner and the executive lead


def test_nothing_is_sent_for_a_change_that_was_refused(owner, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Exception):  # noqa: B017 -- the refusal itself is tested in test_services
            action_log_progress(action=action, author=owner, narrative="Done", status="complete", percent_complete=100)
    assert callbacks == [] and mail.outbox == []


def test_a_broker_that_is_down_does_not_break_the_save_and_is_logged(
    owner, action, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(tasks.action_change_notify, "delay", broker_down)
    with caplog.at_level(logging.ERROR, logger="actions.services"):
        with django_capture_on_commit_callbacks(execute=True):
            action_log_progress(
                action=action, author=owner, narrative="Started", status=Status.AT_RISK, percent_complete=5
            )
    action.refresh_from_db()
    assert action.status == Status.AT_RISK and action.progress_updates.count() == 1
    assert "Could not queue the change email for action MD-010" in caplog.text
    assert mail.outbox == []


def test_the_task_takes_ids_and_skips_people_without_an_email(owner, board, action):
    board.email = ""
    board.save()
    sent = tasks.action_change_notify(
        action_id=action.pk, changes=[["Status", "On track", "At risk"]], actor_id=None, also_notify_ids=[]
    )
    assert sent == 1 and mail.outbox[0].to == [owner.email]
    assert "Someone changed action MD-010" in mail.outbox[0].body
    assert tasks.action_change_notify(action_id=999_999, changes=[], actor_id=None) == 0


def test_a_retry_after_a_failure_part_way_tells_each_person_once(owner, board, action, settings):
    from smtplib import SMTPException

    from reports.tests.flaky_mail import FailsOnce

    settings.EMAIL_BACKEND = "reports.tests.flaky_mail.FailsOnce"
    FailsOnce.reset(fail_at=2)  # the first person is told, then the connection drops
    kwargs = {"action_id": action.pk, "changes": [["Status", "On track", "At risk"]], "actor_id": None}
    with pytest.raises(SMTPException):
        tasks.action_change_notify.apply(kwargs=kwargs, task_id="change-1", throw=True, retries=5)
    assert len(mail.outbox) == 1
    # Celery's retry runs the task again under the same id: only the person not yet told is sent it.
    assert tasks.action_change_notify.apply(kwargs=kwargs, task_id="change-1", throw=True).get() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, board.email])
    # A later change (another task run) is told again, to both.
    assert tasks.action_change_notify.apply(kwargs=kwargs, task_id="change-2", throw=True).get() == 2
