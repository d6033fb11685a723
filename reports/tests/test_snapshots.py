"""Progress snapshots: one row per pillar, theme, type and overall each day, idempotent, atomic, and read back."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionType, Status
from reports.models import ProgressSnapshot, SnapshotScope
from reports.snapshots import month_start, months_before, snapshot_month_ago, snapshot_take, snapshot_trend
from reports.tests.dashboard_data import Programme, make_action
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def programme():
    return Programme()


def rows_on(day, scope, **key):
    return ProgressSnapshot.objects.get(taken_on=day, scope=scope, **key)


def test_a_snapshot_records_one_row_overall_and_per_pillar_theme_and_type(programme):
    ThemeFactory(short_name="Leadership connection")  # a theme with no actions still gets its row
    written = snapshot_take(day=DAY)
    # 1 overall + 2 pillars + 3 themes + 4 types
    assert written == 10 == ProgressSnapshot.objects.filter(taken_on=DAY).count()
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


def test_taking_the_same_days_snapshot_twice_refreshes_it_rather_than_duplicating(programme):
    first = snapshot_take(day=DAY)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    second = snapshot_take(day=DAY)
    assert first == second == ProgressSnapshot.objects.filter(taken_on=DAY).count()
    assert rows_on(DAY, SnapshotScope.PILLAR, pillar=programme.quality).total == 5
    # Other days are left alone.
    snapshot_take(day=DAY - datetime.timedelta(days=1))
    snapshot_take(day=DAY)
    assert ProgressSnapshot.objects.count() == 2 * first


def test_a_failure_part_way_leaves_the_days_previous_snapshot_in_place(programme):
    snapshot_take(day=DAY)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    with (
        mock.patch.object(ProgressSnapshot.objects, "bulk_create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        snapshot_take(day=DAY)
    assert ProgressSnapshot.objects.filter(taken_on=DAY).count() == 9
    assert rows_on(DAY, SnapshotScope.PILLAR, pillar=programme.quality).total == 4


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


def test_trend_reads_the_last_snapshot_of_each_of_the_last_twelve_months(programme):
    today = timezone.localdate()
    early = month_start(today, back=3)
    snapshot_take(day=early)
    make_action(reference="IJ-050", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    snapshot_take(day=early + datetime.timedelta(days=5))  # the later one in that month counts
    snapshot_take(day=month_start(today, back=13))  # older than twelve months: left out
    trend = snapshot_trend(scope=SnapshotScope.PILLAR, today=today)
    assert trend.months[0] == month_start(today, back=11) and trend.months[-1] == month_start(today)
    quality = trend.for_key(programme.quality.pk)
    assert [s.total if s else None for s in quality][-4:] == [5, None, None, None]
    assert sum(1 for s in quality if s) == 1


def test_month_ago_finds_each_pillars_snapshot_about_a_month_back_and_nothing_older(programme):
    today = timezone.localdate()
    mark = months_before(today, 1)
    snapshot_take(day=mark - datetime.timedelta(days=20))  # too old to stand for a month ago
    assert snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today) == {}
    snapshot_take(day=mark - datetime.timedelta(days=2))
    found = snapshot_month_ago(scope=SnapshotScope.PILLAR, today=today)
    assert set(found) == {programme.quality.pk, programme.responsive.pk}
    assert {s.taken_on for s in found.values()} == {mark - datetime.timedelta(days=2)}


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 15)
    assert month_start(datetime.date(2026, 1, 15), back=13) == datetime.date(2024, 12, 1)


def test_take_snapshot_command_records_the_given_day(programme):
    out = StringIO()
    call_command("take_snapshot", "--date", "2026-03-15", stdout=out)
    assert "Snapshot for 2026-03-15: 9 rows written." in out.getvalue()
    assert ProgressSnapshot.objects.filter(taken_on=DAY).count() == 9
    call_command("take_snapshot", stdout=StringIO())
    assert ProgressSnapshot.objects.filter(taken_on=timezone.localdate()).count() == 9


def test_take_snapshot_command_refuses_a_date_it_cannot_read(programme):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("take_snapshot", "--date", "15/03/2026")
