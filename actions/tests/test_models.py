"""Actions keep their invariants in the database, and derive overdue and stale from dates."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.models import Action
from actions.tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def _integrity_error(**changes):
    action = ActionFactory()
    for name, value in changes.items():
        setattr(action, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_reference_is_unique():
    ActionFactory(reference="MD-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(reference="MD-01")


@pytest.mark.parametrize("percent", [101, 250])
def test_percent_complete_above_100_is_refused_by_the_database(percent):
    _integrity_error(percent_complete=percent)


def test_status_outside_the_brag_scale_is_refused_by_the_database():
    _integrity_error(status="purple")


def test_reference_prefix_must_match_the_action_type():
    _integrity_error(action_type=ActionType.WARNING_NOTICE)  # reference still starts MD-


def test_a_complete_action_must_be_100_percent():
    _integrity_error(status=Status.COMPLETE, percent_complete=90)


def test_an_assured_action_must_record_who_signed_it_off():
    _integrity_error(status=Status.ASSURED, percent_complete=100)


def test_progress_percent_is_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(percent_complete=101)


def test_overdue_is_derived_from_the_due_date_and_never_applies_to_done_actions():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = ActionFactory(due_date=yesterday, status=Status.ON_TRACK)
    done = ActionFactory(due_date=yesterday, status=Status.COMPLETE)
    future = ActionFactory(status=Status.OFF_TRACK)
    assert late.is_overdue and not done.is_overdue and not future.is_overdue
    assert list(Action.objects.overdue()) == [late]


def test_stale_means_open_with_no_progress_for_longer_than_the_setting(settings):
    settings.STALE_AFTER_DAYS = 30
    now = timezone.now()
    quiet = ActionFactory(status=Status.ON_TRACK, created_at=now - datetime.timedelta(days=90))
    quiet.last_progress_at = now - datetime.timedelta(days=31)
    quiet.save()
    recent = ActionFactory(status=Status.ON_TRACK, created_at=now - datetime.timedelta(days=90))
    recent.last_progress_at = now - datetime.timedelta(days=2)
    recent.save()
    ActionFactory(status=Status.COMPLETE, created_at=now - datetime.timedelta(days=90))
    assert quiet.is_stale and not recent.is_stale
    assert list(Action.objects.stale()) == [quiet]


def test_every_change_to_an_action_is_in_its_history(lead):
    action = ActionFactory(title="First wording")
    action.title = "Second wording"
    action.save()
    first, second = action.history.order_by("history_date")
    assert (first.title, second.title) == ("First wording", "Second wording")
    delta = second.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title", "First wording", "Second wording")]
