"""Owners and executive leads are emailed when their action changes owner, status or due date: after
the transaction commits, and never at the cost of the save when the broker is down.

Each change leaves a notice in the outbox (ChangeNotice) in the change's own transaction; it is sent at once
after the commit (here, eagerly, as in the embedded default) and otherwise by the periodic run, once
per person however many runs try (issue 28, finding 11). The broker itself down: secamb_journey/tests/test_faults.py.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from actions import tasks
from actions.choices import Status
from actions.models import ChangeNotice
from actions.services.editing import action_update
from actions.services.progress import action_log_progress
from actions.tests.factories import ActionFactory, UserFactory
from actions.tests.mail_backends import AnotherRunStartsMidSend
from actions.tests.test_edit import _data
from reports.tests.flaky_mail import FailsOnce
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
    # Sent promptly, by the run queued after the commit: the periodic run has nothing left to do.
    notice = ChangeNotice.objects.get()
    assert notice.sent_at is not None and notice.attempts == 1 and notice.sent_to == [board.pk]
    assert tasks.change_notices_send_unsent(now=timezone.now() + datetime.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_a_new_owner_and_the_old_one_are_both_told(lead, owner, board, action, django_capture_on_commit_callbacks):
    new_owner = UserFactory(username="sam", first_name="Sam", last_name="Jones", roles=[Role.OWNER])
    with django_capture_on_commit_callbacks(execute=True):
        action_update(action=action, editor=lead, data={**_data(action), "owner": new_owner}, expected_version=1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([new_owner.email, owner.email, board.email])
    assert "Owner: Priya Shah → Sam Jones" in mail.outbox[0].body


def test_a_due_date_change_is_told_and_a_title_change_is_not(lead, owner, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        action_update(action=action, editor=lead, data={**_data(action), "title": "Renamed"}, expected_version=1)
    assert callbacks == [] and mail.outbox == [] and not ChangeNotice.objects.exists()
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
    assert callbacks == [] and mail.outbox == [] and not ChangeNotice.objects.exists()


def later(minutes: float = 1) -> datetime.datetime:
    """When the periodic run comes round: past the grace it gives the run queued after the commit."""
    return timezone.now() + datetime.timedelta(minutes=minutes)


def log_status_change(action, author, status=Status.AT_RISK):
    return action_log_progress(action=action, author=author, narrative="Checked", status=status, percent_complete=5)


def test_a_change_that_rolls_back_leaves_no_notice_and_sends_nothing(owner, action, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            log_status_change(action, owner)
            assert ChangeNotice.objects.count() == 1  # written with the change...
            raise RuntimeError("the request failed after the service returned")
    assert not ChangeNotice.objects.exists()  # ...and gone with it
    assert callbacks == []
    assert tasks.change_notices_send_unsent(now=later()) == 0 and mail.outbox == []


def test_a_notice_the_mail_server_refused_waits_and_the_periodic_run_sends_it_once(
    owner, board, action, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        log_status_change(action, owner)  # the save stands
    action.refresh_from_db()
    assert action.status == Status.AT_RISK
    notice = ChangeNotice.objects.get()
    assert (notice.sent_at, notice.attempts, notice.sent_to) == (None, 1, [])
    assert "SMTPConnectError" in notice.last_error and "Service not available" in notice.last_error

    # Still down at the next run: tried again, counted, kept.
    assert tasks.send_unsent_change_notices.delay().get() == 0
    assert tasks.change_notices_send_unsent(now=later()) == 0
    notice.refresh_from_db()
    assert notice.sent_at is None and notice.attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Too young for the periodic run (the run queued after a commit is given a few seconds)...
    assert tasks.change_notices_send_unsent(now=notice.created_at + datetime.timedelta(seconds=5)) == 0
    # ...then sent, once, whatever runs after.
    assert tasks.change_notices_send_unsent(now=later()) == 1
    assert tasks.change_notices_send_unsent(now=later(2)) == 0
    assert tasks.change_notice_send(notice_id=notice.pk) == 0
    assert [m.to for m in mail.outbox] == [[board.email]]
    assert mail.outbox[0].subject == "MD-010: status changed"
    notice.refresh_from_db()
    assert notice.sent_at and notice.attempts == 3 and notice.last_error == "" and notice.sent_to == [board.pk]


def test_a_notice_that_keeps_failing_stays_and_an_administrator_sees_why(
    owner, action, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        log_status_change(action, owner)
    for minutes in range(1, 6):
        tasks.change_notices_send_unsent(now=later(minutes))
    notice = ChangeNotice.objects.get()
    assert notice.sent_at is None and notice.attempts == 6 and notice.claimed_until is None

    page = admin_client.get("/admin/actions/changenotice/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "MD-010" in body and "SMTPConnectError" in body
    assert admin_client.get(f"/admin/actions/changenotice/{notice.pk}/change/").status_code == 200  # to read
    # Nothing is written around the outbox: no adding, changing or deleting a notice.
    assert admin_client.get("/admin/actions/changenotice/add/").status_code == 403
    assert admin_client.post(f"/admin/actions/changenotice/{notice.pk}/change/", {"attempts": 0}).status_code == 403
    assert admin_client.post(f"/admin/actions/changenotice/{notice.pk}/delete/", {"post": "yes"}).status_code == 403
    notice.refresh_from_db()
    assert notice.attempts == 6


def test_a_run_that_fails_part_way_is_finished_by_the_next_telling_each_person_once(
    lead, owner, board, action, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "reports.tests.flaky_mail.FailsOnce"
    FailsOnce.reset(fail_at=2)  # the first person is told, then the connection drops
    with django_capture_on_commit_callbacks(execute=True):
        log_status_change(action, lead)  # the owner and the executive lead are both told
    assert len(mail.outbox) == 1
    notice = ChangeNotice.objects.get()
    assert notice.sent_at is None and len(notice.sent_to) == 1
    assert tasks.change_notices_send_unsent(now=later()) == 1  # only the person not yet told
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, board.email])
    # A later change is a new notice, told again to both.
    with django_capture_on_commit_callbacks(execute=True):
        log_status_change(action, lead, status=Status.ON_TRACK)
    assert len(mail.outbox) == 4 and ChangeNotice.objects.filter(sent_at__isnull=True).count() == 0


def test_a_notice_held_by_another_run_is_left_to_it_until_that_run_lets_go(
    owner, board, action, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    with django_capture_on_commit_callbacks(execute=True):
        log_status_change(action, owner)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A worker claimed it and died mid-send: its claim holds until the lease runs out.
    ChangeNotice.objects.update(claimed_until=timezone.now() + datetime.timedelta(minutes=5))
    assert tasks.change_notices_send_unsent(now=later()) == 0
    assert tasks.change_notice_send(notice_id=ChangeNotice.objects.get().pk) == 0
    assert mail.outbox == []
    ChangeNotice.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert tasks.change_notices_send_unsent(now=later()) == 1
    assert [m.to for m in mail.outbox] == [[board.email]]


def test_two_runs_at_once_send_each_notice_once(owner, board, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    actions = [ActionFactory(reference=f"MD-{n:03d}", owner=owner, executive_lead=board) for n in range(20, 26)]
    with django_capture_on_commit_callbacks(execute=True):
        for action in actions:
            log_status_change(action, owner)
    assert ChangeNotice.objects.filter(sent_at__isnull=True).count() == 6

    # The second run starts while the first is sending its first message; both run to the end.
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.AnotherRunStartsMidSend"
    AnotherRunStartsMidSend.reset(at=later())
    first_run_told = tasks.change_notices_send_unsent(now=later())
    assert AnotherRunStartsMidSend.other_run_told == 5  # all but the one the first run holds
    assert first_run_told == 1
    assert sorted(m.subject for m in mail.outbox) == [f"MD-{n:03d}: status changed" for n in range(20, 26)]
    assert all(m.to == [board.email] for m in mail.outbox)
    assert not ChangeNotice.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_send_each_notice_once(owner, board, settings):
    """Real concurrency: two threads, two database connections, the same waiting notices."""
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    for n in range(30, 70):
        log_status_change(ActionFactory(reference=f"MD-{n:03d}", owner=owner, executive_lead=board), owner)
    assert ChangeNotice.objects.filter(sent_at__isnull=True).count() == 40
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    barrier = threading.Barrier(2)
    told: list[int] = []

    def run():
        try:
            barrier.wait(timeout=10)
            told.append(tasks.change_notices_send_unsent(now=later()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(told) == 40, told
    assert sorted(m.subject for m in mail.outbox) == [f"MD-{n:03d}: status changed" for n in range(30, 70)]
    assert not ChangeNotice.objects.filter(sent_at__isnull=True).exists()


def test_the_notice_skips_people_without_an_email_and_says_someone_when_no_one_is_named(owner, board, action):
    board.email = ""
    board.save()
    notice = ChangeNotice.objects.create(action=action, actor=None, changes=[["Status", "On track", "At risk"]])
    assert tasks.send_change_notice.delay(notice_id=notice.pk).get() == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Someone changed action MD-010" in mail.outbox[0].body
    assert "- Status: On track → At risk" in mail.outbox[0].body


def test_sent_notices_are_cleared_after_thirty_days_and_waiting_ones_never(owner, action, settings):
    sent = ChangeNotice.objects.create(action=action, changes=[], sent_at=timezone.now())
    settings.EMAIL_BACKEND = "actions.tests.mail_backends.MailServerDown"
    waiting = ChangeNotice.objects.create(action=action, changes=[["Status", "", "At risk"]])
    tasks.change_notices_send_unsent(now=later(60 * 24 * 29))
    assert ChangeNotice.objects.filter(pk__in=[sent.pk, waiting.pk]).count() == 2
    tasks.change_notices_send_unsent(now=later(60 * 24 * 31))
    assert list(ChangeNotice.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_the_outbox_is_sent_every_minute_by_the_schedule():
    task = PeriodicTask.objects.select_related("crontab").get(task="actions.tasks.send_unsent_change_notices")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("*", "*", "*")
    assert 0 < tasks.send_unsent_change_notices.soft_time_limit < tasks.send_unsent_change_notices.time_limit
    assert 0 < tasks.send_change_notice.soft_time_limit < tasks.send_change_notice.time_limit
