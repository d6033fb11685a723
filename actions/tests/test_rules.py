"""Each derived state (overdue, due soon, stale, complete, public) at its boundaries, in the database
and on one action alike: the Q expression in actions.models and the property beside it must agree."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action, Status
from actions.tests.factories import ActionFactory

TODAY = datetime.date(2026, 6, 15)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))


def _both(queryset_method, predicate, **kwargs):
    """The references the database picks, and the ones the Python rule picks: they must be the same."""
    in_db = set(getattr(Action.objects, queryset_method)(**kwargs).values_list("reference", flat=True))
    in_python = {a.reference for a in Action.objects.all() if predicate(a)}
    return in_db, in_python


@pytest.mark.django_db
def test_overdue_starts_the_day_after_the_due_date_and_never_for_done_actions():
    ActionFactory(reference="MD-001", due_date=TODAY - datetime.timedelta(days=1))
    ActionFactory(reference="MD-002", due_date=TODAY)
    ActionFactory(reference="MD-003", due_date=TODAY - datetime.timedelta(days=1), status=Status.COMPLETE)
    ActionFactory(reference="MD-004", due_date=TODAY - datetime.timedelta(days=1), status=Status.ASSURED)
    in_db, in_python = _both("overdue", lambda a: a.is_overdue_on(TODAY), today=TODAY)
    assert in_db == in_python == {"MD-001"}


@pytest.mark.django_db
def test_due_soon_runs_from_today_to_due_soon_days_ahead_inclusive(settings):
    settings.DUE_SOON_DAYS = 10
    ActionFactory(reference="MD-001", due_date=TODAY)
    ActionFactory(reference="MD-002", due_date=TODAY + datetime.timedelta(days=10))
    ActionFactory(reference="MD-003", due_date=TODAY + datetime.timedelta(days=11))
    ActionFactory(reference="MD-004", due_date=TODAY - datetime.timedelta(days=1))
    ActionFactory(reference="MD-005", due_date=TODAY, status=Status.COMPLETE)
    in_db, in_python = _both("due_soon", lambda a: a.is_due_soon_on(TODAY), today=TODAY)
    assert in_db == in_python == {"MD-001", "MD-002"}


@pytest.mark.django_db
def test_stale_means_no_progress_for_stale_after_days_counted_from_creation_when_none_logged(settings):
    settings.STALE_AFTER_DAYS = 30
    cutoff = NOW - datetime.timedelta(days=30)
    second = datetime.timedelta(seconds=1)
    ActionFactory(reference="MD-001", created_at=cutoff - second, last_progress_at=None)
    ActionFactory(reference="MD-002", created_at=cutoff, last_progress_at=None)
    ActionFactory(reference="MD-003", created_at=cutoff - second * 100, last_progress_at=cutoff - second)
    ActionFactory(reference="MD-004", created_at=cutoff - second * 100, last_progress_at=cutoff)
    ActionFactory(reference="MD-005", created_at=cutoff - second, status=Status.ASSURED)
    in_db, in_python = _both("stale", lambda a: a.is_stale_at(NOW), now=NOW)
    assert in_db == in_python == {"MD-001", "MD-003"}


@pytest.mark.django_db
def test_complete_means_complete_assured_or_embedded_and_open_means_every_other_status():
    for n, status in enumerate(Status, start=1):
        ActionFactory(reference=f"MD-{n:03d}", status=status)
    done, done_python = _both("done", lambda a: a.is_done)
    assert (
        done
        == done_python
        == {a.reference for a in Action.objects.filter(status__in=[Status.COMPLETE, Status.ASSURED, Status.EMBEDDED])}
    )
    assert set(Action.objects.open().values_list("reference", flat=True)) == (
        set(Action.objects.values_list("reference", flat=True)) - done
    )


@pytest.mark.django_db
def test_public_means_marked_public_and_nothing_else():
    ActionFactory(reference="MD-001", is_public=True)
    ActionFactory(reference="MD-002", is_public=False)
    in_db, in_python = _both("public", lambda a: a.is_public)
    assert in_db == in_python == {"MD-001"}
