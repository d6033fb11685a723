"""Progress snapshots: one row per pillar, theme, type and overall each day, idempotent, atomic, a cache
of actions.figures that a rebuild reproduces; and the trend, each month's figures read from the record.
"""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import ActionType, Status
from reports.models import ProgressSnapshot, SnapshotScope
from reports.snapshots import (
    month_start,
    months_before,
    snapshot_month_ago,
    snapshot_take,
    snapshot_trend,
    snapshots_rebuild,
)
from reports.tests.dashboard_data import Programme, had_state, make_action
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def programme():
    return Programme()


def rows_on(day, scope, **key):
    return ProgressSnapshot.objects.get(taken_on=day, scope=scope, **key)


def test_a_snapshot_records_one_row_overall_and_per_pillar_theme_and_type(programme, today):
    ThemeFactory(short_name="Leadership connection")  # a theme with no actions still gets its row
    written = snapshot_take(day=today)
    # 1 overall + 2 pillars + 3 themes + 4 types
    assert written == 10 == ProgressSnapshot.objects.filter(taken_on=today).count()
    assert ProgressSnapshot.objects.filter(scope=SnapshotScope.THEME, total=0).count() == 1


def test_snapshot_figures_are_the_actions_counts_by_status_with_overdue_judged_on_the_day(programme):
    today = timezone.localdate()
    snapshot_take(day=today)
    overall = rows_on(today, SnapshotScope.OVERALL)
    assert (overall.total, overall.on_track, overall.at_risk, overall.off_track) == (7, 2, 1, 1)
    assert (overall.not_started, overall.complete, overall.assured, overall.overdue) == (1, 1, 1, 2)
    # Percent complete: 40, 100, 100, 30, 20, 0, 60 -> mean 50.
    assert overall.mean_percent_complete == 50
    quality = rows_on(today, SnapshotScope.PILLAR, pillar=programme.quality)
    assert (quality.total, quality.done, quality.percent_done, quality.overdue) == (4, 2, 50, 1)
    # An action answering two themes counts under each.
    workplace = rows_on(today, SnapshotScope.THEME, theme=programme.workplace)
    assert (workplace.total, workplace.complete, workplace.overdue) == (3, 1, 1)
    must_do = rows_on(today, SnapshotScope.ACTION_TYPE, action_type=ActionType.MUST_DO)
    assert (must_do.total, must_do.assured, must_do.overdue) == (3, 1, 2)
    # Ten days ago neither MD-001 (due yesterday) nor MD-003 (due 5 days ago) was overdue yet.
    ten_days_ago = today - datetime.timedelta(days=10)
    snapshot_take(day=ten_days_ago)
    assert rows_on(ten_days_ago, SnapshotScope.OVERALL).overdue == 0


def test_taking_the_same_days_snapshot_twice_refreshes_it_rather_than_duplicating(programme, today):
    first = snapshot_take(day=today)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    second = snapshot_take(day=today)
    assert first == second == ProgressSnapshot.objects.filter(taken_on=today).count()
    assert rows_on(today, SnapshotScope.PILLAR, pillar=programme.quality).total == 5
    # Other days are left alone.
    snapshot_take(day=today - datetime.timedelta(days=1))
    snapshot_take(day=today)
    assert ProgressSnapshot.objects.count() == 2 * first


def test_a_failure_part_way_leaves_the_days_previous_snapshot_in_place(programme, today):
    snapshot_take(day=today)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    with (
        mock.patch.object(ProgressSnapshot.objects, "bulk_create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        snapshot_take(day=today)
    assert ProgressSnapshot.objects.filter(taken_on=today).count() == 9
    assert rows_on(today, SnapshotScope.PILLAR, pillar=programme.quality).total == 4


def test_a_snapshot_counts_what_the_record_says_of_its_day_and_a_rebuild_changes_nothing(programme, today):
    # WN-001, complete now, was on track three weeks ago; IJ-050 did not exist yet.
    three_weeks_ago = today - datetime.timedelta(days=21)
    for action in (programme.md1, programme.md2, programme.sd1):
        had_state(action, on=three_weeks_ago - datetime.timedelta(days=1))
    had_state(programme.wn1, on=three_weeks_ago, status=Status.ON_TRACK, percent_complete=50)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    snapshot_take(day=three_weeks_ago)
    snapshot_take(day=today)
    then = rows_on(three_weeks_ago, SnapshotScope.PILLAR, pillar=programme.quality)
    assert (then.total, then.on_track, then.complete, then.assured) == (4, 2, 0, 1)
    assert rows_on(today, SnapshotScope.PILLAR, pillar=programme.quality).total == 5
    stored = list(ProgressSnapshot.objects.order_by("taken_on", "scope", "pillar", "theme", "action_type").values())
    assert snapshots_rebuild() == len(stored)
    rebuilt = list(ProgressSnapshot.objects.order_by("taken_on", "scope", "pillar", "theme", "action_type").values())

    def figures_only(rows):
        return [{k: v for k, v in row.items() if k not in ("id", "created_at")} for row in rows]

    assert figures_only(rebuilt) == figures_only(stored)


def test_a_rebuild_puts_right_a_snapshot_written_behind_the_record(programme, today):
    snapshot_take(day=today)
    ProgressSnapshot.objects.filter(taken_on=today, scope=SnapshotScope.OVERALL).update(total=99, assured=50)
    call_command("take_snapshot", "--rebuild", stdout=StringIO())
    assert rows_on(today, SnapshotScope.OVERALL).total == 7


def test_taking_a_snapshot_counts_in_the_database_in_the_same_number_of_queries_at_any_size(programme):
    with CaptureQueriesContext(connection) as small:
        snapshot_take(day=DAY)
    for n in range(30):
        make_action(
            reference=f"SD-{200 + n}",
            action_type=ActionType.SHOULD_DO,
            pillar=programme.responsive,
            status=Status.ON_TRACK,
            themes=[programme.culture],
        )
    with CaptureQueriesContext(connection) as large:
        snapshot_take(day=DAY)
    assert len(small) == len(large)


def test_trend_gives_each_of_the_last_twelve_months_the_figures_at_its_end(programme, today):
    early = month_start(today, back=3) + datetime.timedelta(days=5)
    # MD-001 existed three months ago (not started); the other quality actions came this month.
    had_state(programme.md1, on=early, status=Status.NOT_STARTED, percent_complete=0)
    had_state(programme.md1, on=early + datetime.timedelta(days=40), status=Status.ON_TRACK, percent_complete=20)
    trend = snapshot_trend(scope=SnapshotScope.PILLAR, today=today)
    assert trend.months[0] == month_start(today, back=11) and trend.months[-1] == month_start(today)
    quality = trend.for_key(programme.quality.pk)
    # Each month's end; this month, today's; and no figures before the programme had an action (its
    # first, MD-003, was created 100 days ago).
    assert [s.total if s else None for s in quality][-4:] == [1, 1, 1, 4]
    assert [s.not_started if s else None for s in quality][-4:-1] == [1, 0, 0]
    assert all(s is None for s in quality[:-5])
    assert {s.taken_on for s in quality if s} >= {today}


def test_month_ago_gives_each_pillars_figures_on_that_day_and_nothing_before_the_programme(programme, today):
    mark = months_before(today, 1)
    # MD-003, created 100 days ago, is the programme's first action.
    assert snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today - datetime.timedelta(days=80)) == {}
    found = snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today)
    # Responsive Care had MD-003; Quality Improvement had no action yet, so no figures.
    assert set(found) == {programme.responsive.pk}
    assert {s.taken_on for s in found.values()} == {mark}
    assert found[programme.responsive.pk].total == 1


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 15)
    assert month_start(datetime.date(2026, 1, 15), back=13) == datetime.date(2024, 12, 1)


def test_take_snapshot_command_records_the_given_day(programme):
    out = StringIO()
    call_command("take_snapshot", "--date", "2026-03-15", stdout=out)
    assert "Snapshot for 2026-03-15: 9 rows written." in out.getvalue()
    assert ProgressSnapshot.objects.filter(taken_on=DAY).count() == 9
    # None of the programme's actions existed then.
    assert rows_on(DAY, SnapshotScope.OVERALL).total == 0
    call_command("take_snapshot", stdout=StringIO())
    assert ProgressSnapshot.objects.filter(taken_on=timezone.localdate()).count() == 9


def test_take_snapshot_command_refuses_a_date_it_cannot_read(programme):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("take_snapshot", "--date", "15/03/2026")
