"""The demo is an honest history (issue 25): replayed through the services in time order, nothing dated
after it happened, nothing written behind the record, every state a reader may meet, and each action
told in its own words.
"""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.choices import Status
from actions.demo.stories import DEMO_ACTIONS
from actions.models import (
    Action,
    ActionReopening,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    Evidence,
    ProgressUpdate,
    RevisionState,
)
from actions.selectors.history import HISTORY_FIELDS
from measures.models import MeasureValue
from reports.models import PublishedUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_history_is_replayed_in_time_order_and_nothing_is_dated_after_now(seeded):
    now = timezone.now()
    records = list(Action.history.order_by("history_id").values_list("history_date", flat=True))
    assert records == sorted(records) and records[-1] <= now
    entries = list(ProgressUpdate.objects.order_by("id").values_list("created_at", flat=True))
    assert entries == sorted(entries) and entries[-1] <= now
    assert not Evidence.objects.filter(uploaded_at__gt=now).exists()
    # A year of progress: the oldest entry is more than eleven months old.
    assert (now - entries[0]).days > 330


def test_nothing_is_written_behind_the_record(seeded):
    for action in Action.objects.all():
        records = list(action.history.order_by("history_date", "history_id"))
        latest, first = records[-1], records[0]
        for name in HISTORY_FIELDS:
            assert getattr(latest, name) == getattr(action, name), (action.reference, name)
        # Created whole: the first record already holds the regulatory mapping, themes and regulations.
        assert first.history_change_reason == "Created"
        assert first.cqc_finding == action.cqc_finding and first.key_question == action.key_question
        assert set(first.themes.values_list("theme_id", flat=True)) == set(action.themes.values_list("pk", flat=True))
        assert set(first.regulations.values_list("regulation_id", flat=True)) == set(
            action.regulations.values_list("pk", flat=True)
        )
        # The action's status and percent are those of its latest progress entry.
        entry = action.progress_updates.order_by("-created_at", "-id").first()
        assert (entry.status, entry.percent_complete) == (action.status, action.percent_complete)


def test_the_demo_holds_every_state_a_reader_may_meet(seeded):
    actions = Action.objects.all()
    assert actions.filter(is_public=True, status=Status.EMBEDDED).exists()  # the public sees the whole scale
    assert actions.filter(status=Status.ASSURED, ratified_at__isnull=False).exists()  # ratified
    assert actions.filter(status=Status.ASSURED, ratified_at__isnull=True).exists()  # awaiting ratification
    assert actions.filter(status=Status.COMPLETE).exists()
    assert actions.filter(is_public=False).exists()
    reopened = ActionReopening.objects.values_list("action_id", flat=True)
    assert actions.filter(pk__in=reopened, status__in=[Status.AT_RISK, Status.OFF_TRACK]).exists()
    agreed = DueDateRevision.objects.filter(state=RevisionState.AGREED)
    assert any(r.new_due_date > r.previous_due_date for r in agreed)  # slipped
    assert any(r.new_due_date < r.previous_due_date for r in agreed)  # brought forward
    assert DueDateRevision.objects.filter(state=RevisionState.REQUESTED).exists()
    assert DueDateRevision.objects.filter(state=RevisionState.REFUSED).exists()
    assert CommitteeDecision.objects.filter(decision=Decision.RETURNED).exists()
    # Made public during the year: its history was internal, then public.
    made_public = [a for a in actions if a.history.filter(is_public=False).exists() and a.is_public]
    assert made_public
    # The published updates were drafted from the record after it was replayed: their figures move.
    published = PublishedUpdate.objects.order_by("period")
    assert all(u.figures["overall"]["done"] > 0 for u in published)


def test_the_demo_obeys_the_rules_of_time(seeded):
    for revision in DueDateRevision.objects.all():
        # A revision asks for a date after the day it was asked.
        assert revision.new_due_date > timezone.localdate(revision.requested_at), revision.action.reference
    for decision in CommitteeDecision.objects.exclude(decision=Decision.PENDING).select_related("meeting"):
        # Decided at a meeting that had taken place, after the action was assured.
        assert timezone.localdate(decision.recorded_at) >= decision.meeting.date
        assured = (
            decision.action.progress_updates.filter(status=Status.ASSURED, created_at__lte=decision.recorded_at)
            .order_by("-created_at")
            .first()
        )
        assert assured is not None and timezone.localdate(assured.created_at) < decision.meeting.date
    # A measure value only for a period that has ended.
    this_month = timezone.localdate().replace(day=1)
    assert not MeasureValue.objects.filter(period__gte=this_month).exists()
    assert all(timezone.localdate(value.entered_at) > value.period for value in MeasureValue.objects.all())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_each_demo_action_is_told_in_its_own_words(seeded):
    descriptions = list(Action.objects.values_list("description", flat=True))
    assert len(set(descriptions)) == len(descriptions) == len(DEMO_ACTIONS)
    assert not any("Owned by the named action owner" in d for d in descriptions)
    highlighted = set()
    for action in Action.objects.all():
        # Every sentence an action's page shows: its description, each entry's narrative and public
        # highlight (issue 27: one sentence three times on MD-08, the highlight a copy of the narrative).
        sentences = _sentences(action.description)
        for narrative, highlight in action.progress_updates.values_list("narrative", "public_highlight"):
            sentences += _sentences(narrative) + _sentences(highlight)
            highlighted |= {action.reference} if highlight else set()
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated, (action.reference, repeated)
    assert len(highlighted) >= 30  # the public still reads a highlight from most public actions
