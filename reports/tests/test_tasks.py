"""The Celery tasks, their schedule in the database, the generate_update command, and a real worker in CI."""

import datetime
import json
import os
import secrets
import time
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from actions.choices import Status
from actions.tests.factories import ActionFactory, UserFactory
from reports.models import NoticeSent, ProgressSnapshot, PublishedUpdate, ReminderRun, UpdateStatus
from reports.tasks import draft_monthly_update, send_weekly_reminders, take_daily_snapshot
from reports.tests.flaky_mail import FailsOnce
from reports.tests.updates_world import build_world
from secamb_journey.accounts import tasks as _accounts_tasks  # noqa: F401 -- registers it, as a worker's autodiscovery does
from secamb_journey.celery import app
from secamb_journey.roles import Role

TASKS = [
    "reports.tasks.take_daily_snapshot",
    "reports.tasks.draft_monthly_update",
    "reports.tasks.send_weekly_reminders",
    # Leavers (issue 16): secamb_journey/accounts/migrations/0002_leavers_schedule.py.
    "secamb_journey.accounts.tasks.deactivate_leavers",
    # Board packs (issue 14): reports/migrations/0009_board_pack_schedule_and_permission.py.
    "reports.tasks.generate_board_packs",
    # The outbox of change e-mails (issue 28, finding 11): actions/migrations/0015_change_notice_schedule.py.
    "actions.tasks.send_unsent_change_notices",
]


# --- The schedule --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_schedule_is_in_the_database_after_migrating_and_names_real_tasks():
    schedule = {task.task: task for task in PeriodicTask.objects.select_related("crontab")}
    assert sorted(schedule) == sorted(TASKS)
    for name in TASKS:
        assert name in app.tasks, f"{name} is scheduled but no such task is registered"
        assert schedule[name].enabled
    monthly = schedule["reports.tasks.draft_monthly_update"].crontab
    assert (monthly.minute, monthly.hour, monthly.day_of_month, str(monthly.timezone)) == (
        "0",
        "6",
        "1",
        "Europe/London",
    )
    weekly = schedule["reports.tasks.send_weekly_reminders"].crontab
    assert (weekly.day_of_week, weekly.hour) == ("1", "7")
    daily = schedule["reports.tasks.take_daily_snapshot"].crontab
    assert (daily.day_of_month, daily.day_of_week, str(daily.timezone)) == ("*", "*", "Europe/London")


def test_every_task_has_soft_and_hard_time_limits():
    for name in TASKS:
        task = app.tasks[name]
        assert 0 < task.soft_time_limit < task.time_limit, name


def test_the_schedule_is_editable_in_the_admin(admin_client):
    assert admin_client.get("/admin/django_celery_beat/periodictask/").status_code == 200


# --- The tasks -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_monthly_task_drafts_one_update_however_often_it_runs():
    build_world()
    first = draft_monthly_update.delay("2026-10").get()
    second = draft_monthly_update.delay("2026-10").get()
    assert first == second
    update = PublishedUpdate.objects.get()
    assert (update.period, update.status) == (datetime.date(2026, 10, 1), UpdateStatus.DRAFT)


@pytest.mark.django_db
def test_the_monthly_task_drafts_last_month_by_default():
    with mock.patch("reports.tasks.timezone.localdate", return_value=datetime.date(2026, 11, 1)):
        draft_monthly_update.delay().get()
    assert PublishedUpdate.objects.get().period == datetime.date(2026, 10, 1)


@pytest.mark.django_db
def test_the_daily_task_takes_a_snapshot_once_per_day():
    build_world()
    take_daily_snapshot.delay("2026-10-31").get()
    rows = ProgressSnapshot.objects.filter(taken_on=datetime.date(2026, 10, 31)).count()
    take_daily_snapshot.delay("2026-10-31").get()
    assert rows > 0 and ProgressSnapshot.objects.filter(taken_on=datetime.date(2026, 10, 31)).count() == rows


# --- Weekly reminders ----------------------------------------------------------------------------

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def reminder_world(owner, other_owner, lead):
    executive = UserFactory(username="exec", first_name="Morag", last_name="Exec", roles=[Role.BOARD])
    overdue = ActionFactory(
        reference="MD-001",
        title="Overdue one",
        owner=owner,
        executive_lead=executive,
        due_date=MONDAY - datetime.timedelta(days=3),
    )
    due_soon = ActionFactory(
        reference="MD-002",
        title="Due soon",
        owner=owner,
        executive_lead=executive,
        due_date=MONDAY + datetime.timedelta(days=5),
    )
    off_track = ActionFactory(
        reference="MD-003",
        title="Off track but far off",
        owner=other_owner,
        executive_lead=executive,
        status=Status.OFF_TRACK,
        due_date=MONDAY + datetime.timedelta(days=200),
    )
    ActionFactory(
        reference="MD-004",
        title="Done",
        owner=other_owner,
        executive_lead=lead,
        status=Status.ASSURED,
        assured_by=lead,
        assured_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        due_date=MONDAY - datetime.timedelta(days=30),
    )
    return {"executive": executive, "overdue": overdue, "due_soon": due_soon, "off_track": off_track}


@pytest.mark.django_db
def test_owners_hear_about_their_overdue_and_due_soon_actions_and_leads_get_a_digest(reminder_world, owner):
    result = send_weekly_reminders.delay(MONDAY.isoformat()).get()
    assert result == {"week_starting": "2026-11-23", "owners": 1, "leads": 1}
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["exec@example.nhs.uk", "owner@example.nhs.uk"]
    to_owner = by_recipient["owner@example.nhs.uk"].body
    assert (
        "Overdue:\n- MD-001 Overdue one" in to_owner
        and "but overdue by 3 days" in to_owner
        and "Due soon:\n- MD-002 Due soon" in to_owner
    )
    assert "MD-003" not in to_owner and "MD-004" not in to_owner
    digest = by_recipient["exec@example.nhs.uk"].body
    assert "MD-001 Overdue one" in digest and "Overdue by 3 days." in digest
    assert "MD-003 Off track but far off" in digest and "Off track." in digest
    assert "MD-002" not in digest  # due soon but on time, recent and not off track
    assert "http://testserver/actions/MD-001/" in digest


@pytest.mark.django_db
def test_reminders_are_sent_once_a_week_however_often_the_task_runs(reminder_world):
    send_weekly_reminders.delay(MONDAY.isoformat()).get()
    sent = len(mail.outbox)
    send_weekly_reminders.delay((MONDAY + datetime.timedelta(days=2)).isoformat()).get()  # same week
    assert len(mail.outbox) == sent and ReminderRun.objects.count() == 1


@pytest.mark.django_db
def test_a_mail_server_failure_leaves_the_week_unclaimed_for_the_retry(reminder_world, settings):
    settings.EMAIL_BACKEND = "reports.tests.flaky_mail.FailsOnce"
    FailsOnce.reset(fail_at=1)
    with pytest.raises(SMTPException):
        send_weekly_reminders.apply(args=[MONDAY.isoformat()], throw=True, retries=3)
    assert not ReminderRun.objects.exists() and not NoticeSent.objects.exists()
    send_weekly_reminders.delay(MONDAY.isoformat()).get()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_retry_after_a_failure_part_way_sends_each_person_their_reminder_once(reminder_world, settings):
    settings.EMAIL_BACKEND = "reports.tests.flaky_mail.FailsOnce"
    FailsOnce.reset(fail_at=2)  # the owner's reminder goes, then the connection drops
    with pytest.raises(SMTPException):
        send_weekly_reminders.apply(args=[MONDAY.isoformat()], throw=True, retries=3)
    assert [message.to for message in mail.outbox] == [["owner@example.nhs.uk"]]
    send_weekly_reminders.apply(args=[MONDAY.isoformat()], throw=True)  # the retry
    assert sorted(message.to[0] for message in mail.outbox) == ["exec@example.nhs.uk", "owner@example.nhs.uk"]
    assert ReminderRun.objects.count() == 1
    assert NoticeSent.objects.count() == 2


# --- The command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_generate_update_publish_makes_an_update_the_public_can_read(client, capsys):
    build_world()
    call_command("generate_update", "--period", "2026-10", "--publish")
    update = PublishedUpdate.objects.get()
    assert (update.status, update.published_by) == (UpdateStatus.PUBLISHED, None)
    assert "Published at /updates/october-2026/" in capsys.readouterr().out
    assert client.get("/updates/october-2026/").status_code == 200
    assert update.headline in client.get("/updates/").content.decode()
    assert update.headline in client.get("/updates/feed/").content.decode()
    assert "MD-101" in client.get("/open-data/actions.json").content.decode()


@pytest.mark.django_db
def test_generate_update_twice_is_one_update_and_records_a_named_publisher(comms):
    call_command("generate_update", "--period", "2026-10")
    call_command("generate_update", "--period", "2026-10", "--publish", "--publisher", "comms")
    call_command("generate_update", "--period", "2026-10", "--publish")
    update = PublishedUpdate.objects.get()
    assert (update.status, update.published_by) == (UpdateStatus.PUBLISHED, comms)


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["2026-13", "October"])
def test_generate_update_refuses_a_bad_period(period):
    with pytest.raises(CommandError, match="for example 2026-10"):
        call_command("generate_update", "--period", period)
    assert not PublishedUpdate.objects.exists()


@pytest.mark.django_db
def test_generate_update_refuses_a_publisher_without_the_permission(lead):
    with pytest.raises(CommandError, match="Only a communications editor"):
        call_command("generate_update", "--period", "2026-10", "--publish", "--publisher", "lead")
    assert PublishedUpdate.objects.get().status == UpdateStatus.DRAFT


# --- Through a real worker (CI: scripts/with-services.sh) ----------------------------------------

LIVE_BROKER = os.environ.get("CELERY_LIVE_BROKER_URL")
LIVE_DATABASE = os.environ.get("CELERY_LIVE_DATABASE_URL")
live = pytest.mark.skipif(
    not (LIVE_BROKER and LIVE_DATABASE), reason="no live worker: run under scripts/with-services.sh"
)
WAIT_SECONDS = 60


@pytest.fixture
def live_db():
    import psycopg2

    connection = psycopg2.connect(LIVE_DATABASE)
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture
def unused_period(live_db):
    """A past month no other test has drafted in the live database (the worker refuses future months)."""
    period = datetime.date(1900 + secrets.randbelow(100), 1 + secrets.randbelow(12), 1)
    with live_db.cursor() as cursor:
        cursor.execute("DELETE FROM reports_publishedupdate WHERE period = %s", [period])
    return period


def wait_for_update(live_db, period) -> tuple | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with live_db.cursor() as cursor:
            cursor.execute(
                "SELECT status, slug, figures->>'period' FROM reports_publishedupdate WHERE period = %s", [period]
            )
            row = cursor.fetchone()
        if row:
            return row
        time.sleep(0.5)
    return None


@live
@pytest.mark.celery_worker
def test_the_monthly_draft_task_sent_to_the_broker_runs_on_the_real_worker(live_db, unused_period):
    # The task the schedule names, sent by name to the broker the live worker consumes, as beat sends it.
    with live_db.cursor() as cursor:
        cursor.execute("SELECT enabled FROM django_celery_beat_periodictask WHERE task = %s", [TASKS[1]])
        assert cursor.fetchone() == (True,), "the monthly draft is not on the live worker's schedule"
    sender = app.__class__("live-sender", broker=LIVE_BROKER)
    try:
        sender.send_task(TASKS[1], kwargs={"period": f"{unused_period:%Y-%m}"})
    finally:
        sender.close()

    row = wait_for_update(live_db, unused_period)

    assert row is not None, f"no draft for {unused_period:%Y-%m} within {WAIT_SECONDS} s (see CELERY_LIVE_WORKER_LOG)"
    assert row == ("draft", f"{unused_period:%B-%Y}".lower(), unused_period.isoformat())


@live
@pytest.mark.celery_worker
def test_beat_runs_a_scheduled_draft_through_the_real_worker(live_db, unused_period):
    # A one-off entry in the database schedule, due now: beat must notice it, send it, and the worker run it.
    name = f"CI one-off draft {unused_period:%Y-%m} {secrets.token_hex(4)}"
    with live_db.cursor() as cursor:
        cursor.execute("INSERT INTO django_celery_beat_clockedschedule (clocked_time) VALUES (now()) RETURNING id")
        (clocked_id,) = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO django_celery_beat_periodictask
                (name, task, args, kwargs, headers, clocked_id, one_off, enabled, total_run_count, date_changed,
                 description)
            VALUES (%s, %s, '[]', %s, '{}', %s, true, true, 0, now(), 'CI: a scheduled run through beat')
            """,
            [name, TASKS[1], json.dumps({"period": f"{unused_period:%Y-%m}"}), clocked_id],
        )
        # What django-celery-beat's signals do when the admin saves a task: tell beat to reload.
        cursor.execute(
            "INSERT INTO django_celery_beat_periodictasks (ident, last_update) VALUES (1, now()) "
            "ON CONFLICT (ident) DO UPDATE SET last_update = now()"
        )
    try:
        row = wait_for_update(live_db, unused_period)
    finally:
        with live_db.cursor() as cursor:
            cursor.execute("DELETE FROM django_celery_beat_periodictask WHERE name = %s", [name])
    assert row is not None, f"beat did not run the scheduled draft within {WAIT_SECONDS} s (see CELERY_LIVE_WORKER_LOG)"
    assert row[0] == "draft"
