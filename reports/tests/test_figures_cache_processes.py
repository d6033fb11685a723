"""A change made in one process is seen by every other process's reads of the staff figures within a second.

Each reader is a long-lived process of its own (as a gunicorn worker is) holding the figures in its
cache, the writer a management command in yet another process (as an operator, an import or the
Celery worker would be), in each cache configuration the app supports: no Redis (each process's own
memory), Redis (shared), and Redis stopped between the reads (the cache is then a miss, not an error).
"""

import json
import subprocess
import sys
import time

import pytest

from reports.tests.processes import ROOT, Site
from secamb_journey.generations import MEMO_SECONDS

SEED = """
from reports.tests.dashboard_data import Programme
Programme()
"""

# Writes that send no signal: a queryset update, in a process of its own.
SLIP = """
from actions.models import Action
Action.objects.filter(reference="MD-001").update(status="at_risk")
"""

# A reader: answers each line on its standard input with the dashboard's figures, and whether they
# were computed (the actions table read) or served from the cache.
READER = """
import json, sys
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reports.selectors.dashboard import dashboard_overview
for line in sys.stdin:
    with CaptureQueriesContext(connection) as queries:
        overall = dashboard_overview()["overall"]
    computed = any("actions_action" in q["sql"] for q in queries.captured_queries)
    by_status = {str(k): v for k, v in overall.counts.by_status.items()}
    print(json.dumps({"total": overall.counts.total, "at_risk": by_status["at_risk"], "computed": computed}))
    sys.stdout.flush()
"""


class Reader:
    def __init__(self, site: Site):
        self.process = subprocess.Popen(  # noqa: S603 -- a fixed argument list, no shell
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", READER],
            env=site.env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def read(self) -> dict:
        self.process.stdin.write("read\n")
        self.process.stdin.flush()
        while True:  # past any log line the process writes on starting
            line = self.process.stdout.readline()
            assert line, "the reader process ended"
            if line.startswith("{"):
                return json.loads(line)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def readers():
    started = []

    def make(site):
        reader = Reader(site)
        started.append(reader)
        return reader

    yield make
    for reader in started:
        reader.stop()


def _site(tmp_path, **kwargs) -> Site:
    site = Site(tmp_path / "site", **kwargs)
    site.manage(code=SEED)
    return site


def _a_change_elsewhere_is_seen(site: Site, readers, *, shared: bool = False, before_change=None) -> None:
    """Two readers hold the figures; a third process changes them; both read the change a second later
    (with a shared cache the second is served what the first computed after the change)."""
    first, second = readers(site), readers(site)
    assert first.read() == {"total": 7, "at_risk": 1, "computed": True}
    assert first.read()["computed"] is False  # served from its cache from now on
    second.read()
    if before_change:
        before_change()
    site.manage(code=SLIP)
    time.sleep(MEMO_SECONDS)  # each process reads the generation at most once a second
    assert first.read() == {"total": 7, "at_risk": 2, "computed": True}
    assert second.read() == {"total": 7, "at_risk": 2, "computed": not shared}


def test_without_redis_a_change_in_another_process_is_seen_by_every_reader(tmp_path, readers):
    site = _site(tmp_path)
    try:
        _a_change_elsewhere_is_seen(site, readers)
    finally:
        site.stop()


def test_with_redis_readers_share_the_figures_and_see_a_change_in_another_process(tmp_path, readers, redis):
    site = _site(tmp_path, redis_url=redis.url)
    try:
        _a_change_elsewhere_is_seen(site, readers, shared=True)
        # Computed once for all processes: a new one is served what the first computed after the change.
        assert readers(site).read() == {"total": 7, "at_risk": 2, "computed": False}
    finally:
        site.stop()


def test_with_redis_stopped_the_figures_are_computed_and_still_right(tmp_path, readers, redis):
    site = _site(tmp_path, redis_url=redis.url)
    try:
        _a_change_elsewhere_is_seen(site, readers, before_change=redis.stop)
        reader = readers(site)
        assert reader.read() == {"total": 7, "at_risk": 2, "computed": True}
    finally:
        site.stop()
