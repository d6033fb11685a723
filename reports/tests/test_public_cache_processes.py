"""Publishing or withdrawing in one process changes what every other process serves within a second.

Measured from outside, as a reader would: gunicorn with three sync workers in their own processes, the
change made by a management command in yet another process (as an operator, or the Celery worker, would),
in each cache configuration the app supports: no Redis (the embedded default), Redis, and Redis stopped.
Every worker has the pages cached before the change, so a cache that one process cannot invalidate in
another is caught, and the counts of wrong reads are in the failure message.
"""

import os
import signal
import time
from pathlib import Path

from reports.tests.processes import Site
from secamb_journey.generations import MEMO_SECONDS

READS = 30

WITHDRAW = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from reports.models import PublishedUpdate
from reports.services import update_withdraw
from secamb_journey.roles import Role
editor, _ = get_user_model().objects.get_or_create(username="xproc-comms")
editor.groups.add(Group.objects.get(name=Role.COMMS.label))
update = PublishedUpdate.objects.get(period="2026-07-01")
update_withdraw(update=update, editor=editor, note="Withdrawn by the cross-process test.")
"""


def _warm(site: Site) -> None:
    """Read every page often enough that each worker has it cached."""
    for _ in range(READS):
        for path in ("/updates/", "/updates/july-2026/", "/updates/feed/"):
            status, _body = site.get(path)
            assert status == 200, path


def _still_in_feed(feed: str) -> bool:
    """July's update is still an entry of its own (its id is its address), or its withdrawal is not told."""
    return "/updates/july-2026/</id>" in feed or "Withdrawn: our progress update for July 2026" not in feed


def _publish_and_withdraw_from_other_processes(site: Site, *, before_change=None) -> dict:
    site.manage("generate_update", "--period", "2026-07", "--publish")
    site.start()
    # A request addressed to another host first (issue 18): it must not decide what others are served.
    for path in ("/updates/feed/", "/open-data/actions.json"):
        assert site.get(path, host="127.0.0.1:6666")[0] == 200
    poisoned = sum(
        "127.0.0.1:6666" in site.get(path)[1] for path in ("/updates/feed/", "/open-data/actions.json") * READS
    )
    _warm(site)
    if before_change:
        before_change()
        _warm(site)

    out = site.manage("generate_update", "--period", "2026-08", "--publish")
    assert "Published at /updates/august-2026/" in out
    time.sleep(MEMO_SECONDS)  # each worker reads the generation at most once a second
    unlisted = sum("August 2026" not in site.get("/updates/")[1] for _ in range(READS))
    unfed = sum("August 2026" not in site.get("/updates/feed/")[1] for _ in range(READS))

    site.manage(code=WITHDRAW)
    time.sleep(MEMO_SECONDS)
    still_served = sum(site.get("/updates/july-2026/")[0] == 200 for _ in range(READS))
    still_in_feed = sum(_still_in_feed(site.get("/updates/feed/")[1]) for _ in range(READS))
    return {
        "addresses at another request's host": poisoned,
        "published but not listed": unlisted,
        "published but not in the feed": unfed,
        "withdrawn but still served": still_served,
        "withdrawn but still in the feed": still_in_feed,
    }


def _assert_no_wrong_reads(wrong: dict) -> None:
    assert wrong == dict.fromkeys(wrong, 0), f"wrong reads out of {READS} each: {wrong}"


def test_without_redis_other_workers_see_a_publication_and_a_withdrawal_at_once(sites, tmp_path):
    site = sites(tmp_path / "site")
    _assert_no_wrong_reads(_publish_and_withdraw_from_other_processes(site))


def test_with_redis_other_workers_see_a_publication_and_a_withdrawal_at_once(sites, redis, tmp_path):
    site = sites(tmp_path / "site", redis_url=redis.url)
    _assert_no_wrong_reads(_publish_and_withdraw_from_other_processes(site))


def test_with_redis_stopped_other_workers_see_a_publication_and_a_withdrawal_at_once(sites, redis, tmp_path):
    site = sites(tmp_path / "site", redis_url=redis.url)
    _assert_no_wrong_reads(_publish_and_withdraw_from_other_processes(site, before_change=redis.stop))


def test_a_worker_stopped_while_an_update_is_withdrawn_serves_the_withdrawal_when_it_resumes(sites, tmp_path):
    """A worker stopped (SIGSTOP, as an overloaded or swapped-out process would be) keeps no generation
    past a second of its own clock: it reads it again when it resumes."""
    site = sites(tmp_path / "site", workers=2)
    site.manage("generate_update", "--period", "2026-07", "--publish")
    site.start()
    _warm(site)
    worker = int(Path(f"/proc/{site.process.pid}/task/{site.process.pid}/children").read_text().split()[0])
    os.kill(worker, signal.SIGSTOP)
    try:
        site.manage(code=WITHDRAW)
    finally:
        os.kill(worker, signal.SIGCONT)
    time.sleep(MEMO_SECONDS)
    still_served = sum(site.get("/updates/july-2026/")[0] == 200 for _ in range(READS))
    still_in_feed = sum(_still_in_feed(site.get("/updates/feed/")[1]) for _ in range(READS))
    wrong = {"withdrawn but still served": still_served, "withdrawn but still in the feed": still_in_feed}
    _assert_no_wrong_reads(wrong)
