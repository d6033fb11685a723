"""Issue 28, finding 2: a large measure import does not hold staff writers behind it (PostgreSQL).

The generation triggers move each cache's generation row at commit (DEFERRABLE INITIALLY DEFERRED
constraint triggers, secamb_journey.generations), so an import's long transaction takes that row's lock
only for the instant of its commit, and an owner logging progress meanwhile is not queued behind it.
With the triggers of before (the row updated in the writer's transaction, its lock held to the end) the
owner waited for the whole import: 445 s at 20,000 rows. Prints the figures; IMPORT_LOCK_ROWS sets the
row count (20,000 by default, the documented limit).
"""

import csv
import io
import os
import threading
import time

import pytest
from django.db import connection, connections

from actions.choices import Status
from actions.services.progress import action_log_progress
from actions.tests.factories import ActionFactory
from measures import importing
from measures.tests.factories import MeasureFactory

ROWS = int(os.environ.get("IMPORT_LOCK_ROWS", "20000"))
MONTHS = 200  # 2010-01 onwards: every period in the past

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the lock is PostgreSQL's"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # the roles are migrations' data
]


def _values_file(slugs: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "period", "value", "note"])
    for number in range(ROWS):
        month = number % MONTHS
        writer.writerow([slugs[number // MONTHS], f"{2010 + month // 12}-{month % 12 + 1:02d}", number % 97, ""])
    return out.getvalue().encode()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _has_written(pid: int) -> bool:
    """Whether that connection's transaction has written a row (it then has a transaction id)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0])


def test_an_owner_s_progress_save_waits_under_a_second_during_a_large_import(owner, lead):
    action = ActionFactory(reference="MD-010", owner=owner)
    slugs = [MeasureFactory(slug=f"lock-{n}").slug for n in range(-(-ROWS // MONTHS))]
    content = _values_file(slugs)
    timings, failures, pids = {}, [], []

    def run_import():
        try:
            pids.append(_backend_pid())
            started = time.monotonic()
            importing.import_file(content=content, user=lead)
            timings["import"] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 -- reported by the test below
            failures.append(error)
        finally:
            connection.close()

    def save() -> float:
        started = time.monotonic()
        action_log_progress(
            action=action, author=action.owner, narrative="On track.", status=Status.ON_TRACK, percent_complete=40
        )
        return time.monotonic() - started

    timings["alone"] = save()  # the save with no import running (and its templates compiled)
    importer = threading.Thread(target=run_import)
    importer.start()
    while importer.is_alive() and not (pids and _has_written(pids[0])):
        time.sleep(0.05)
    assert importer.is_alive(), f"the import ended before the owner's save could be timed: {failures or timings}"
    timings["save"] = save()
    import_running = importer.is_alive()
    importer.join()
    print(
        f"\n{ROWS} rows: import {timings.get('import', 0):.1f} s; owner's save during it {timings['save']:.3f} s "
        f"(alone {timings['alone']:.3f} s)"
    )
    assert not failures, failures
    assert import_running, "the owner's save ended only when the import did"
    assert timings["save"] < 1.0
