"""A large import through the real Celery worker that scripts/with-services.sh starts, on PostgreSQL: the
task sent by name imports the queued file, and the same message delivered again imports nothing twice.
"""

import datetime
import secrets
import time

import pytest

from reports.tests.test_tasks import LIVE_BROKER, WAIT_SECONDS, live, live_db  # noqa: F401 -- a fixture
from secamb_journey.celery import app

TASK = "measures.tasks.import_measures_file"
ROWS = 2500


def _send(run_id: int) -> None:
    sender = app.__class__("live-sender", broker=LIVE_BROKER)
    try:
        sender.send_task(TASK, args=[run_id])
    finally:
        sender.close()


def _wait_for(live_db, run_id: int) -> tuple:  # noqa: F811
    deadline, row = time.monotonic() + WAIT_SECONDS, None
    while time.monotonic() < deadline:
        with live_db.cursor() as cursor:
            cursor.execute(
                "SELECT r.state, (SELECT count(*) FROM measures_measurevalue v WHERE v.measure_id = m.id), "
                "(SELECT count(*) FROM measures_historicalmeasurevalue h WHERE h.measure_id = m.id) "
                "FROM measures_importrun r, measures_measure m WHERE r.id = %s AND m.slug = r.name",
                [run_id],
            )
            row = cursor.fetchone()
        if row and row[0] != "queued":
            return row
        time.sleep(0.5)
    return row


@live
@pytest.mark.celery_worker
def test_a_queued_import_runs_on_the_real_worker_once_however_often_it_is_sent(live_db):  # noqa: F811
    slug = f"ci-import-{secrets.token_hex(4)}"
    first = datetime.date(1950, 1, 2)  # a Monday
    lines = ["measure,period,value"] + [f"{slug},{first + datetime.timedelta(weeks=w)},{w}" for w in range(ROWS)]
    content = ("\n".join(lines) + "\n").encode()
    with live_db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined) VALUES ('!', true, %s, 'Import', 'Lead', '', false, true, now()) RETURNING id",
            [slug],
        )
        (user_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO measures_measure (slug, name, unit, description, source, frequency, improvement, "
            "is_public, exit_criterion, illustrative, screen_outliers, created_at, updated_at) "
            "VALUES (%s, %s, '', '', '', 'weekly', 'increase', false, false, false, true, now(), now())",
            [slug, slug],
        )
        # The run is named after the measure, so _wait_for can find both.
        cursor.execute(
            "INSERT INTO measures_importrun (uploaded_by_id, name, sha256, content, rows, state, result, problems, "
            "created_at) VALUES (%s, %s, %s, %s, %s, 'queued', '', '[]', now()) RETURNING id",
            [user_id, slug, secrets.token_hex(32), content, ROWS],
        )
        (run_id,) = cursor.fetchone()
    try:
        _send(run_id)
        done = _wait_for(live_db, run_id)
        assert done == ("done", ROWS, ROWS), f"{done} within {WAIT_SECONDS} s (see CELERY_LIVE_WORKER_LOG)"
        _send(run_id)  # delivered again (a retry, a duplicate): nothing is imported twice
        time.sleep(3)
        assert _wait_for(live_db, run_id) == ("done", ROWS, ROWS)
    finally:
        with live_db.cursor() as cursor:
            cursor.execute("DELETE FROM measures_importrun WHERE id = %s", [run_id])
            for table in ("measures_historicalmeasurevalue", "measures_measurevalue"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE measure_id IN (SELECT id FROM measures_measure WHERE slug = %s)",  # noqa: S608 -- our own tables
                    [slug],
                )
            cursor.execute("DELETE FROM measures_measure WHERE slug = %s", [slug])
            cursor.execute("DELETE FROM auth_user WHERE id = %s", [user_id])
