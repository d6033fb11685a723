"""The leavers task through the real Celery worker that scripts/with-services.sh starts (CI), on
PostgreSQL: sent by the name the schedule uses, it switches off a long-unseen provider account.
"""

import secrets
import time

import pytest

from reports.tests.test_tasks import LIVE_BROKER, WAIT_SECONDS, live, live_db  # noqa: F401 -- a fixture
from secamb_journey.celery import app

TASK = "secamb_journey.accounts.tasks.deactivate_leavers"


@live
@pytest.mark.celery_worker
def test_the_leavers_task_sent_to_the_broker_deactivates_an_account_on_the_real_worker(live_db):  # noqa: F811
    username = f"ci-leaver-{secrets.token_hex(4)}"
    with live_db.cursor() as cursor:
        cursor.execute("SELECT enabled FROM django_celery_beat_periodictask WHERE task = %s", [TASK])
        assert cursor.fetchone() == (True,), "the leavers run is not on the live worker's schedule"
        cursor.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                   is_active, date_joined)
            VALUES ('!', false, %s, 'Long', 'Gone', '', false, true, now()) RETURNING id
            """,
            [username],
        )
        (user_id,) = cursor.fetchone()
        cursor.execute(
            """
            INSERT INTO accounts_provideridentity (user_id, issuer, subject, groups, last_sign_in_at,
                                                   deactivation_reason, created_at, updated_at)
            VALUES (%s, 'https://login.example.nhs.uk', %s, '[]', now() - interval '400 days', '', now(), now())
            """,
            [user_id, username],
        )
    sender = app.__class__("live-sender", broker=LIVE_BROKER)
    try:
        sender.send_task(TASK)
    finally:
        sender.close()

    try:
        deadline = time.monotonic() + WAIT_SECONDS
        state = None
        while time.monotonic() < deadline:
            with live_db.cursor() as cursor:
                cursor.execute(
                    "SELECT u.is_active, i.deactivation_reason FROM auth_user u "
                    "JOIN accounts_provideridentity i ON i.user_id = u.id WHERE u.id = %s",
                    [user_id],
                )
                state = cursor.fetchone()
            if state and not state[0]:
                break
            time.sleep(0.5)
        assert state == (False, "inactive"), f"not deactivated within {WAIT_SECONDS} s (see CELERY_LIVE_WORKER_LOG)"
    finally:
        with live_db.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_provideridentity WHERE user_id = %s", [user_id])
            cursor.execute("DELETE FROM auth_user WHERE id = %s", [user_id])
