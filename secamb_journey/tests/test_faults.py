"""Faults real deployments have, each with what the person using the site sees:

- Redis down (cache and broker): pages still serve, staff still log progress, the e-mail that could
  not be queued waits in the outbox and the periodic run sends it, once, and /healthz answers 503
  naming the broker;
- a Celery worker killed part-way through drafting an update: nothing half-written, the next run
  completes it;
- the database refusing a write: a clear message on the same form, with what was typed kept, and
  nothing saved, so pressing the button again is all it takes;
- two people editing one action at once: one wins, the other is told what changed.
"""

import contextlib
import datetime
import logging
import threading
import time

import pytest
from celery import current_app
from django.core import mail
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, ChangeNotice, Evidence, ProgressUpdate
from actions.services.progress import action_log_progress
from actions.tasks import change_notices_send_unsent
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once
NARRATIVE = "Checked 40 vehicles at Paddock Wood; two missing oxygen masks replaced."


@pytest.fixture
def action(owner, board):
    return ActionFactory(reference="MD-010", owner=owner, executive_lead=board, is_public=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache and the Celery broker both point at a Redis that refuses connections."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setitem(current_app.conf, "broker_url", DEAD_REDIS)
    monkeypatch.setitem(
        current_app.conf,
        "broker_transport_options",
        {"socket_connect_timeout": 0.5, "max_retries": 1, "interval_start": 0, "interval_step": 0.2},
    )
    monkeypatch.setitem(current_app.conf, "broker_connection_retry", False)
    monkeypatch.setitem(current_app.conf, "task_publish_retry", False)
    # Forget any connection pool made earlier for another broker, so publishing really tries Redis.
    monkeypatch.setattr(current_app, "_pool", None)
    monkeypatch.setattr(current_app.amqp, "_producer_pool", None)
    yield
    with contextlib.suppress(Exception):
        current_app._pool and current_app._pool.force_close_all()


# --- Redis down -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/updates/", "/open-data/", "/open-data/actions.csv", "/accessibility/"])
def test_with_redis_down_public_pages_still_serve(redis_down, action, url):
    assert Client().get(url).status_code == 200


def test_with_redis_down_staff_pages_still_serve(redis_down, owner, action):
    client = signed_in(owner)
    assert client.get("/actions/mine/").status_code == 200
    assert client.get(f"/actions/{action.reference}/").status_code == 200


def test_with_redis_down_staff_still_log_progress_and_the_email_waits_for_the_periodic_run(
    redis_down, owner, board, action, caplog, django_capture_on_commit_callbacks
):
    """Issue 28, finding 11: each e-mail that could not be queued used to be logged as an error and lost."""
    caplog.set_level(logging.INFO)
    started = time.monotonic()

    def elapsed():
        return time.monotonic() - started

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(owner).post(
            f"/actions/{action.reference}/progress/",
            {"narrative": NARRATIVE, "status": Status.ON_TRACK, "percent_complete": "30"},
        )
    assert response.status_code == 302
    assert elapsed() < 3  # queueing gives up quickly: the owner is not kept waiting on a dead broker
    assert ProgressUpdate.objects.get().narrative == NARRATIVE
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK and action.percent_complete == 30
    # The e-mail is not lost: its notice was written with the change, and waits.
    notice = ChangeNotice.objects.get()
    assert notice.action == action and notice.sent_at is None and notice.attempts == 0
    assert any("waits for the periodic run" in r.getMessage() for r in caplog.records)
    assert mail.outbox == []

    # More changes while the broker is still down: each leaves its notice, none an error.
    with django_capture_on_commit_callbacks(execute=True):
        for percent in (40, 50, 60):
            action_log_progress(
                action=action, author=owner, narrative=NARRATIVE, status=Status.ON_TRACK, percent_complete=percent
            )
    assert ChangeNotice.objects.filter(sent_at__isnull=True).count() == 1  # percent alone is not news
    with django_capture_on_commit_callbacks(execute=True):
        action_log_progress(
            action=action, author=owner, narrative=NARRATIVE, status=Status.AT_RISK, percent_complete=60
        )
    assert ChangeNotice.objects.filter(sent_at__isnull=True).count() == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # The broker back, beat's run a minute later sends each notice once; runs after it send nothing.
    a_minute_later = timezone.now() + datetime.timedelta(minutes=1)
    assert change_notices_send_unsent(now=a_minute_later) == 2
    assert change_notices_send_unsent(now=a_minute_later) == 0
    assert [m.to for m in mail.outbox] == [[board.email], [board.email]]
    assert [m.subject for m in mail.outbox] == ["MD-010: status changed"] * 2
    assert "Status: Not started → On track" in mail.outbox[0].body
    assert "Status: On track → At risk" in mail.outbox[1].body
    assert not ChangeNotice.objects.filter(sent_at__isnull=True).exists()


def test_with_redis_down_the_health_check_answers_503_naming_the_broker(redis_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False and body["broker"]["transport"] == "redis"


def test_with_redis_down_the_cache_is_a_miss_not_an_error(redis_down):
    from secamb_journey import generations

    generations.cache_set("key", "value", 60)
    assert generations.cache_get("key") == "value"  # this process's own copy
    generations.cache_clear()
    assert generations.cache_get("key") is None


# --- The database refusing a write ---------------------------------------------------------------


@contextlib.contextmanager
def database_refusing_writes_to(table: str):
    """Every INSERT or UPDATE on `table` fails as a database that is down or read-only would."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and f'"{table}"' in sql:
            raise OperationalError("cannot execute INSERT in a read-only transaction")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_when_the_database_refuses_progress_the_owner_keeps_their_text_and_can_simply_retry(owner, action):
    client = signed_in(owner)
    form = {"narrative": NARRATIVE, "status": Status.ON_TRACK, "percent_complete": "30", "public_highlight": "Kit ok"}
    with database_refusing_writes_to("actions_progressupdate"):
        refused = client.post(f"/actions/{action.reference}/progress/", form)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "We could not save your progress update just now. Nothing was saved. Try again." in body
    assert "<title>Error: " in body
    assert NARRATIVE.replace("'", "&#x27;") in body and 'value="30"' in body and "Kit ok" in body
    assert ProgressUpdate.objects.count() == 0
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED and action.version == 1

    retried = client.post(f"/actions/{action.reference}/progress/", form)
    assert retried.status_code == 302
    assert ProgressUpdate.objects.get().narrative == NARRATIVE


def test_when_the_database_refuses_an_edit_the_lead_keeps_their_changes(lead, action):
    from actions.tests.test_edit import form_data

    client = signed_in(lead)
    data = form_data(action, title="Check medicines and oxygen on every vehicle")
    with database_refusing_writes_to("actions_action"):
        refused = client.post(f"/actions/{action.reference}/edit/", data)
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "We could not save your changes just now. Nothing was saved. Try again." in body
    assert "Check medicines and oxygen on every vehicle" in body
    action.refresh_from_db()
    assert action.title != "Check medicines and oxygen on every vehicle"
    assert client.post(f"/actions/{action.reference}/edit/", data).status_code == 302


def test_when_the_database_refuses_evidence_nothing_is_kept_and_the_owner_is_told(owner, action, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(owner)
    upload = SimpleUploadedFile("audit.csv", b"vehicle,checked\nKX12 ABC,yes\n", content_type="text/csv")
    with database_refusing_writes_to("actions_evidence"):
        refused = client.post(
            f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Vehicle audit, May"}
        )
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "We could not save the evidence just now. Nothing was saved. Try again." in body
    assert "Vehicle audit, May" in body
    assert Evidence.objects.count() == 0


def test_when_the_database_refuses_an_import_the_lead_can_confirm_again_without_uploading_again(lead, owner, board):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actions.tests.test_importing import GOOD, plan

    PillarFactory(name="Responsive Care", number=2, slug="responsive-care")
    ThemeFactory(short_name="Culture", slug="culture")
    ThemeFactory(short_name="Great place to work", slug="great-place-to-work")
    client = signed_in(lead)
    preview = client.post("/actions/import/", {"file": SimpleUploadedFile("plan.csv", plan(GOOD))})
    digest = preview.context["digest"]
    with database_refusing_writes_to("actions_action"):
        refused = client.post("/actions/import/", {"confirm": digest})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "We could not import the action plan just now. Nothing was saved. Try again." in body
    assert f'value="{digest}"' in body  # the confirm button is still there, for the same file
    assert not Action.objects.filter(reference="MD-20").exists()
    assert client.post("/actions/import/", {"confirm": digest}).status_code == 302
    assert Action.objects.filter(reference="MD-20").exists()


# --- Two people editing one action at once --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_leads_saving_the_same_action_at_the_same_moment_one_wins_and_the_other_is_told(lead, other_lead, board):
    """Real concurrency: two threads, two database connections, the same expected version. The row lock
    in the service makes the second wait for the first, then see the version moved on.
    """
    from django.db import connections

    from actions.services.editing import StaleEdit, action_update
    from actions.tests.test_edit import _data

    action = ActionFactory(reference="MD-099", owner=lead, executive_lead=board)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(editor, title):
        try:
            mine = Action.objects.get(pk=action.pk)
            barrier.wait(timeout=10)
            action_update(action=mine, editor=editor, data={**_data(mine), "title": title}, expected_version=1)
            outcomes[title] = "saved"
        except StaleEdit as stale:
            outcomes[title] = stale.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=(lead, "Title from the first lead")),
        threading.Thread(target=edit, args=(other_lead, "Title from the second lead")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()).count("saved") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "saved")
    assert "changed" in loser.lower()
    action.refresh_from_db()
    assert action.version == 2 and action.title in outcomes
    assert outcomes[action.title] == "saved"


# --- A worker killed part-way through drafting the monthly update ----------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_interrupted_after_writing_leaves_nothing_and_the_next_run_completes_it(owner, board, monkeypatch):
    """Simulates the worker dying mid-task: the draft row is written, then the task fails before its
    transaction commits. Nothing may be left (no half-drafted update, no history row); the message is
    acknowledged late, so the broker hands the task to the next worker, whose run drafts it whole.
    """
    from django.conf import settings
    from django.utils import timezone

    from reports.models import PublishedUpdate, UpdateStatus
    from reports.services import period_previous
    from reports.tasks import draft_monthly_update

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    ActionFactory(reference="MD-001", owner=owner, executive_lead=board, is_public=True)
    ActionFactory(reference="MD-002", owner=owner, executive_lead=board, is_public=True)
    month = period_previous(timezone.localdate())

    real_save = PublishedUpdate.save

    def save_then_die(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        assert PublishedUpdate.objects.filter(pk=self.pk).exists()  # the write had really started
        raise SystemExit("worker lost: killed by the operating system")

    monkeypatch.setattr(PublishedUpdate, "save", save_then_die)
    with pytest.raises(SystemExit):
        draft_monthly_update.delay(month.strftime("%Y-%m"))
    assert PublishedUpdate.objects.count() == 0
    assert PublishedUpdate.history.count() == 0

    monkeypatch.setattr(PublishedUpdate, "save", real_save)
    update_id = draft_monthly_update.delay(month.strftime("%Y-%m")).get()
    update = PublishedUpdate.objects.get()
    assert update.pk == update_id and update.status == UpdateStatus.DRAFT and update.period == month
    assert update.headline and update.narrative and update.figures
    assert update.figures == PublishedUpdate.objects.get().figures
    # And a third run (the redelivered message, say) changes nothing but the refresh time.
    draft_monthly_update.delay(month.strftime("%Y-%m")).get()
    assert PublishedUpdate.objects.count() == 1
