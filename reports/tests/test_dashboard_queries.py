"""Every dashboard page reads in the same number of queries at 5 actions as at 60 (and so at 10,000)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import REFERENCE_PREFIXES, ActionType, Status
from actions.figures_cache import forget_cached_figures
from reports.snapshots import months_before, snapshot_take
from reports.tests.dashboard_data import Programme, days, make_action

pytestmark = pytest.mark.django_db

PAGES = [
    "/dashboard/",
    "/dashboard/pillars/",
    "/dashboard/cqc/",
    "/dashboard/pillars/quality-improvement/",
    "/dashboard/pillars/responsive-care/",
    "/dashboard/themes/culture/",
    "/dashboard/themes/great-place-to-work/",
    "/dashboard/goals/delivering-modern-healthcare/",
]


def add_actions(programme: Programme, count: int, start: int) -> None:
    """Actions of every type and status, overdue, due soon and stale, spread over pillars and themes."""
    kinds = itertools.cycle(
        itertools.product(
            [ActionType.MUST_DO, ActionType.SHOULD_DO, ActionType.IMPROVEMENT],
            [Status.ON_TRACK, Status.AT_RISK, Status.COMPLETE, Status.ASSURED, Status.NOT_STARTED],
        )
    )
    pillars = itertools.cycle([programme.quality, programme.responsive])
    themes = itertools.cycle([[programme.culture], [programme.workplace], [programme.culture, programme.workplace]])
    due = itertools.cycle([-20, -1, 5, 25, 90])
    progress = itertools.cycle([2, 45, None])
    now = timezone.now()
    for n, (action_type, status) in zip(range(start, start + count), kinds, strict=False):
        ago = next(progress)
        make_action(
            reference=f"{REFERENCE_PREFIXES[action_type]}-{n:04d}",
            action_type=action_type,
            status=status,
            pillar=next(pillars),
            themes=next(themes),
            due_date=days(next(due)),
            last_progress_at=now - datetime.timedelta(days=ago) if ago else None,
            created_at=now - datetime.timedelta(days=60),
        )


def query_counts(client) -> dict:
    counts = {}
    for path in PAGES:
        client.get(path)  # warm the session and permission caches the same way for both sizes
        forget_cached_figures()  # count the figures being computed, not served (actions.figures_cache)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_every_dashboard_page_has_the_same_number_of_queries_at_two_data_sizes(client_for, board):
    programme = Programme()  # 7 actions
    today = timezone.localdate()
    snapshot_take(day=months_before(today, 1))
    snapshot_take(day=today)
    client = client_for(board)
    small = query_counts(client)

    add_actions(programme, 53, start=100)  # 60 actions
    for months_ago in range(1, 12):
        snapshot_take(day=months_before(today, months_ago))
    snapshot_take(day=today)
    large = query_counts(client)

    assert large == small
    # And few: the session, the viewer and their permissions, then the page's own reads (the overview
    # has both the measures' section, issue 12, and governance, issue 13, and reads the figures
    # generation for each of its four cached parts (figures, governance, measures, leavers' actions),
    # issue 15: one primary-key look-up each, 30).
    assert max(small.values()) <= 30, small


def test_a_dashboard_page_asked_for_again_reads_only_the_figures_generation_for_its_figures(client_for, board):
    Programme()
    client = client_for(board)
    computed, served = {}, {}
    for path in PAGES:
        client.get(path)
        forget_cached_figures()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        computed[path] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        served[path] = [q["sql"] for q in queries.captured_queries]
    for path in PAGES:
        generation_reads = [sql for sql in served[path] if "actions_figuresgeneration" in sql]
        assert generation_reads, path
        assert len(served[path]) < computed[path] - 5, (path, served[path])
