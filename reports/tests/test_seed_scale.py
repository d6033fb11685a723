"""seed_scale: large synthetic data that keeps every rule the real data keeps, spread like real data."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, OuterRef, Subquery

from actions.choices import DONE_STATUSES, ActionType, Status
from actions.models import Action, Evidence, ProgressUpdate
from pillars.models import Pillar
from reports.models import ProgressSnapshot, SnapshotScope
from themes.models import Theme

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def test_seed_scale_makes_exactly_the_actions_and_updates_asked_for():
    output = seed("--actions", "120", "--updates", "900", "--snapshots", "3")
    assert Action.objects.count() == 120
    assert ProgressUpdate.objects.count() == 900
    assert "Created 120 actions, 900 progress updates" in output
    # The strategy content is there: four pillars, six themes.
    assert (Pillar.objects.count(), Theme.objects.count()) == (4, 6)


def test_each_actions_status_and_percent_are_those_of_its_latest_progress_entry():
    seed("--actions", "120", "--updates", "900", "--snapshots", "0")
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
    actions = Action.objects.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_percent=Subquery(latest.values("percent_complete")[:1]),
        latest_at=Subquery(latest.values("created_at")[:1]),
    )
    logged = actions.filter(latest_status__isnull=False)
    assert logged.exclude(latest_status=F("status")).count() == 0
    assert logged.exclude(latest_percent=F("percent_complete")).count() == 0
    assert logged.exclude(latest_at=F("last_progress_at")).count() == 0
    # No entry: not started, nothing logged.
    unlogged = actions.filter(latest_status__isnull=True)
    assert unlogged.exclude(status=Status.NOT_STARTED).count() == 0
    assert unlogged.filter(last_progress_at__isnull=False).count() == 0


def test_synthetic_data_keeps_the_four_eyes_and_done_means_complete_rules():
    seed("--actions", "150", "--updates", "1200", "--snapshots", "0")
    assured = Action.objects.filter(status=Status.ASSURED)
    assert assured.exists()
    assert assured.filter(assured_by__isnull=True).count() == 0
    assert assured.filter(assured_by=F("owner")).count() == 0
    assert Action.objects.filter(status__in=DONE_STATUSES).exclude(percent_complete=100).count() == 0
    assert Action.objects.filter(status__in=DONE_STATUSES, completed_at__isnull=True).count() == 0
    # The assured entry is by the assuring lead; every complete action has evidence (the default).
    assert ProgressUpdate.objects.filter(status=Status.ASSURED).exclude(author=F("action__assured_by")).count() == 0
    done = Action.objects.filter(status__in=DONE_STATUSES)
    assert done.annotate(n=Count("evidence")).filter(n=0).count() == 0
    assert Evidence.objects.count() == done.count()
    # References match their type.
    for action_type in ActionType:
        refs = Action.objects.filter(action_type=action_type).values_list("reference", flat=True)
        assert all(ref.startswith(f"{action_type.prefix}-") for ref in refs)


def test_synthetic_data_spreads_across_pillars_themes_types_statuses_owners_and_dates():
    seed("--actions", "400", "--updates", "3000", "--snapshots", "0")
    assert Action.objects.values("pillar").distinct().count() == 4
    assert Action.objects.values("themes").distinct().count() == 6
    assert Action.objects.values("action_type").distinct().count() == 4
    assert Action.objects.values("status").distinct().count() == 6
    assert Action.objects.values("owner").distinct().count() >= 10
    assert Action.objects.overdue().exists() and Action.objects.due_soon().exists() and Action.objects.stale().exists()
    assert Action.objects.values("due_date").distinct().count() > 100


def test_synthetic_people_cannot_sign_in():
    seed("--actions", "40", "--updates", "100", "--snapshots", "0")
    people = get_user_model().objects.filter(username__startswith="scale-")
    assert people.exists()
    assert not any(person.has_usable_password() for person in people)


def test_running_it_again_adds_actions_with_new_references():
    seed("--actions", "50", "--updates", "200", "--snapshots", "0")
    seed("--actions", "50", "--updates", "200", "--snapshots", "0")
    assert Action.objects.count() == 100 == Action.objects.values("reference").distinct().count()


def test_too_few_updates_leave_the_rest_not_started_and_evidence_and_snapshots_are_as_asked():
    seed("--actions", "60", "--updates", "10", "--evidence", "4", "--snapshots", "2")
    assert ProgressUpdate.objects.count() == 10
    assert Action.objects.filter(status=Status.NOT_STARTED).count() >= 50
    assert Evidence.objects.count() == 4
    # Two past months and today, each with a row overall and per pillar, theme and type.
    assert ProgressSnapshot.objects.values("taken_on").distinct().count() == 3
    assert ProgressSnapshot.objects.filter(scope=SnapshotScope.OVERALL).count() == 3
    assert ProgressSnapshot.objects.count() == 3 * (1 + 4 + 6 + 4)


def test_the_synthetic_history_agrees_with_todays_figures_for_the_past_it_describes():
    seed("--actions", "100", "--updates", "600", "--snapshots", "1")
    past, today = ProgressSnapshot.objects.filter(scope=SnapshotScope.OVERALL).order_by("taken_on")
    # Last month counts only the actions that existed then, and none can have been done that are not done now.
    assert past.total <= today.total
    assert past.total == Action.objects.filter(created_at__date__lte=past.taken_on).count()
    assert past.assured <= today.assured


def test_seed_scale_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        seed("--actions", "0", "--updates", "10")
