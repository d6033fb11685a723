"""Each derived state (overdue and days overdue, due soon, stale, complete, public, slipped and brought
forward, awaiting ratification, review due, embedded, reopened, and what changed in a window) at its
boundaries, in the database
and on one action alike: the Q expression in actions.models and the property beside it must agree."""

import datetime

import pytest
from django.utils import timezone

from actions import changes
from actions.choices import Status
from actions.models import Action, DueDateRevision, RevisionState
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


DAY = datetime.timedelta(days=1)


def _refs(queryset) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


@pytest.mark.django_db
def test_days_overdue_is_one_the_day_after_the_due_date_and_zero_when_not_overdue():
    due = ActionFactory(reference="MD-001", due_date=TODAY)
    done = ActionFactory(reference="MD-002", due_date=TODAY - 5 * DAY, status=Status.COMPLETE)
    assert [due.days_overdue_on(TODAY + n * DAY) for n in (-1, 0, 1, 2, 30)] == [0, 0, 1, 2, 30]
    assert done.days_overdue_on(TODAY) == 0
    # The twin of overdue_q: overdue exactly when days overdue is positive.
    for day in (TODAY - DAY, TODAY, TODAY + DAY):
        overdue = _refs(Action.objects.overdue(today=day))
        assert overdue == {a.reference for a in Action.objects.all() if a.days_overdue_on(day) > 0}


@pytest.mark.django_db
def test_slipped_is_an_agreed_date_later_than_the_original_and_brought_forward_an_earlier_one():
    ActionFactory(reference="MD-001", original_due_date=TODAY, due_date=TODAY + DAY)
    ActionFactory(reference="MD-002", original_due_date=TODAY, due_date=TODAY)
    ActionFactory(reference="MD-003", original_due_date=TODAY, due_date=TODAY - DAY)
    # Done actions keep their history: a slipped action that was then completed is still slipped.
    ActionFactory(reference="MD-004", original_due_date=TODAY, due_date=TODAY + 20 * DAY, status=Status.ASSURED)
    in_db, in_python = _both("slipped", lambda a: a.is_slipped)
    assert in_db == in_python == {"MD-001", "MD-004"}
    in_db, in_python = _both("brought_forward", lambda a: a.is_brought_forward)
    assert in_db == in_python == {"MD-003"}
    days = {a.reference: (a.slipped_days, a.brought_forward_days) for a in Action.objects.all()}
    # Never negative slippage: a date brought forward slips by 0 days, and is brought forward by 1.
    assert days == {"MD-001": (1, 0), "MD-002": (0, 0), "MD-003": (0, 1), "MD-004": (20, 0)}


@pytest.mark.django_db
def test_awaiting_ratification_is_assured_and_not_ratified_and_nothing_else():
    now = timezone.now()
    ActionFactory(reference="MD-001", status=Status.ASSURED)
    ActionFactory(reference="MD-002", status=Status.ASSURED, ratified_at=now)
    ActionFactory(reference="MD-003", status=Status.COMPLETE)
    ActionFactory(reference="MD-004", status=Status.EMBEDDED)
    ActionFactory(reference="MD-005", status=Status.ON_TRACK)
    in_db, in_python = _both("awaiting_ratification", lambda a: a.is_awaiting_ratification)
    assert in_db == in_python == {"MD-001"}


@pytest.mark.django_db
def test_review_due_is_ratified_not_embedded_with_its_review_on_or_before_the_day():
    now = timezone.now()
    ActionFactory(reference="MD-001", status=Status.ASSURED, ratified_at=now, sustainability_review_due=TODAY)
    ActionFactory(reference="MD-002", status=Status.ASSURED, ratified_at=now, sustainability_review_due=TODAY + DAY)
    ActionFactory(reference="MD-003", status=Status.ASSURED, ratified_at=now, sustainability_review_due=TODAY - DAY)
    # No review date set: nothing holds the review back (the service allows it), so it is due.
    ActionFactory(reference="MD-004", status=Status.ASSURED, ratified_at=now, sustainability_review_due=None)
    # Not ratified: no review is due, whatever the date says.
    ActionFactory(reference="MD-005", status=Status.ASSURED, sustainability_review_due=TODAY - DAY)
    ActionFactory(reference="MD-006", status=Status.EMBEDDED, sustainability_review_due=TODAY - DAY)
    in_db, in_python = _both("review_due", lambda a: a.is_review_due_on(TODAY), today=TODAY)
    assert in_db == in_python == {"MD-001", "MD-003", "MD-004"}
    in_db, in_python = _both("review_due", lambda a: a.is_review_due_on(TODAY + DAY), today=TODAY + DAY)
    assert in_db == in_python == {"MD-001", "MD-002", "MD-003", "MD-004"}
    awaiting_review = {a.reference for a in Action.objects.all() if a.is_awaiting_review}
    assert awaiting_review == {"MD-001", "MD-002", "MD-003", "MD-004"}


@pytest.mark.django_db
def test_embedded_is_the_embedded_status_only():
    for n, status in enumerate(Status, start=1):
        ActionFactory(reference=f"MD-{n:03d}", status=status)
    in_db, in_python = _both("embedded", lambda a: a.is_embedded)
    assert in_db == in_python == {a.reference for a in Action.objects.filter(status=Status.EMBEDDED)}
    assert len(in_db) == 1


@pytest.mark.django_db
def test_reopened_and_still_open_means_reopened_after_sign_off_and_not_done_again():
    now = timezone.now()
    ActionFactory(reference="MD-001", status=Status.AT_RISK, reopened_at=now)
    ActionFactory(reference="MD-002", status=Status.COMPLETE, reopened_at=now)
    ActionFactory(reference="MD-003", status=Status.AT_RISK)
    in_db, in_python = _both("reopened_open", lambda a: a.is_reopened_open)
    assert in_db == in_python == {"MD-001"}
    in_db, in_python = _both("reopened", lambda a: a.is_reopened)
    assert in_db == in_python == {"MD-001", "MD-002"}


@pytest.mark.django_db
def test_cqc_means_a_warning_notice_must_do_or_should_do():
    ActionFactory(reference="WN-001", action_type="warning_notice")
    ActionFactory(reference="MD-001", action_type="must_do")
    ActionFactory(reference="SD-001", action_type="should_do")
    ActionFactory(reference="IJ-001", action_type="improvement")
    in_db, in_python = _both("cqc", lambda a: a.is_cqc)
    assert in_db == in_python == {"WN-001", "MD-001", "SD-001"}


def _revision(action, *, previous, new, decided_on, state=RevisionState.AGREED, by):
    return DueDateRevision.objects.create(
        action=action,
        previous_due_date=previous,
        new_due_date=new,
        reason="Why",
        requested_by=by,
        state=state,
        decided_by=by if state != RevisionState.REQUESTED else None,
        decided_on=decided_on if state != RevisionState.REQUESTED else None,
        refusal_reason="Not agreed" if state == RevisionState.REFUSED else "",
    )


@pytest.mark.django_db
def test_slipped_since_is_a_later_date_agreed_in_the_window_and_brought_forward_since_an_earlier_one(lead):
    later = ActionFactory(reference="MD-001")
    earlier = ActionFactory(reference="MD-002")
    before_window = ActionFactory(reference="MD-003")
    requested = ActionFactory(reference="MD-004")
    refused = ActionFactory(reference="MD-005")
    r1 = _revision(later, previous=TODAY, new=TODAY + 10 * DAY, decided_on=TODAY, by=lead)
    r2 = _revision(earlier, previous=TODAY, new=TODAY - 20 * DAY, decided_on=TODAY, by=lead)
    _revision(before_window, previous=TODAY, new=TODAY + 10 * DAY, decided_on=TODAY - DAY, by=lead)
    _revision(requested, previous=TODAY, new=TODAY + 10 * DAY, decided_on=None, state=RevisionState.REQUESTED, by=lead)
    _revision(refused, previous=TODAY, new=TODAY + 10 * DAY, decided_on=TODAY, state=RevisionState.REFUSED, by=lead)
    assert _refs(Action.objects.filter(changes.slipped_since_q(TODAY))) == {"MD-001"}
    assert _refs(Action.objects.filter(changes.brought_forward_since_q(TODAY))) == {"MD-002"}
    # The window starts on `since`, inclusive: a day earlier takes in the revision agreed then.
    assert _refs(Action.objects.filter(changes.slipped_since_q(TODAY - DAY))) == {"MD-001", "MD-003"}
    assert _refs(Action.objects.filter(changes.slipped_since_q(TODAY + DAY))) == set()
    # The revision's twins, and its days moved: never negative.
    assert (r1.is_slip, r1.is_brought_forward, r1.days_moved) == (True, False, 10)
    assert (r2.is_slip, r2.is_brought_forward, r2.days_moved) == (False, True, 20)
    in_db = set(changes.slips_since(TODAY - DAY).values_list("pk", flat=True))
    in_python = {r.pk for r in DueDateRevision.objects.filter(state="agreed", decided_on__gte=TODAY - DAY) if r.is_slip}
    assert in_db == in_python
    assert _refs(Action.objects.filter(changes.revision_pending_q())) == {"MD-004"}
