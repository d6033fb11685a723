"""Data built for the dashboard tests: a small programme whose figures the tests can state exactly."""

import datetime

from django.utils import timezone

from actions.choices import ActionType, Status
from actions.models import (
    ActionReopening,
    Committee,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    Meeting,
    Regulation,
    RevisionState,
)
from actions.tests.factories import ActionFactory, UserFactory
from pillars.tests.factories import PillarFactory, StrategicGoalFactory
from secamb_journey.roles import Role
from themes.tests.factories import ThemeFactory

# Every dashboard page, as the Programme below names its pillar, theme and goal.
DASHBOARD_PAGES = [
    "/dashboard/",
    "/dashboard/pillars/",
    "/dashboard/cqc/",
    "/dashboard/pillars/quality-improvement/",
    "/dashboard/themes/culture/",
    "/dashboard/goals/delivering-modern-healthcare/",
]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def had_state(action, *, on: datetime.date, **fields):
    """Test data: write into `action`'s history that it stood with `fields` (and otherwise as it is now)
    at noon on `on`, as a service would have recorded it then; the action itself is left as it is.
    Past figures (actions.figures) read the history, so this is how a test says what the past was.
    """
    present = {name: getattr(action, name) for name in fields}
    for name, value in fields.items():
        setattr(action, name, value)
    action._history_date = datetime.datetime.combine(on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    action.save()
    for name, value in present.items():
        setattr(action, name, value)
    action._history_date = timezone.now()
    action.save()
    del action._history_date
    return action


def make_action(**kwargs):
    """An action; an assured one gets its sign-off (by a lead who is not the owner), as the rules require."""
    if kwargs.get("status") == Status.ASSURED:
        kwargs.setdefault("assured_by", UserFactory(roles=[Role.LEAD]))
        kwargs.setdefault("assured_at", timezone.now())
    return ActionFactory(**kwargs)


class Programme:
    """Two pillars serving one goal, two themes, seven actions:

    Quality Improvement (4): MD-001 on track, overdue; MD-002 assured; WN-001 complete; SD-001 at risk, due in 10 days.
    Responsive Care (3): MD-003 off track, overdue, no progress for 40 days; IJ-001 not started; IJ-002 on track.
    """

    def __init__(self):
        now = timezone.now()
        self.goal = StrategicGoalFactory(title="Delivering modern healthcare", slug="delivering-modern-healthcare")
        self.quality = PillarFactory(name="Quality Improvement", slug="quality-improvement", number=1)
        self.responsive = PillarFactory(name="Responsive Care", slug="responsive-care", number=2)
        self.quality.goals.add(self.goal)
        self.responsive.goals.add(self.goal)
        self.culture = ThemeFactory(short_name="Culture", slug="culture", number=1)
        self.workplace = ThemeFactory(short_name="Great place to work", slug="great-place-to-work", number=2)
        self.culture.pillars.add(self.quality)
        self.workplace.pillars.add(self.responsive)
        recent = now - datetime.timedelta(days=3)
        q, r = self.quality, self.responsive
        self.md1 = make_action(
            reference="MD-001",
            pillar=q,
            status=Status.ON_TRACK,
            percent_complete=40,
            due_date=days(-1),
            themes=[self.culture],
            last_progress_at=recent,
        )
        self.md2 = make_action(
            reference="MD-002",
            pillar=q,
            status=Status.ASSURED,
            due_date=days(-30),
            themes=[self.culture],
            last_progress_at=recent,
        )
        self.wn1 = make_action(
            reference="WN-001",
            action_type=ActionType.WARNING_NOTICE,
            pillar=q,
            status=Status.COMPLETE,
            themes=[self.workplace],
            last_progress_at=recent,
        )
        self.sd1 = make_action(
            reference="SD-001",
            action_type=ActionType.SHOULD_DO,
            pillar=q,
            status=Status.AT_RISK,
            percent_complete=30,
            due_date=days(10),
            themes=[self.culture, self.workplace],
            last_progress_at=recent,
        )
        self.md3 = make_action(
            reference="MD-003",
            pillar=r,
            status=Status.OFF_TRACK,
            percent_complete=20,
            due_date=days(-5),
            themes=[self.workplace],
            last_progress_at=now - datetime.timedelta(days=40),
            created_at=now - datetime.timedelta(days=100),
        )
        self.ij1 = make_action(
            reference="IJ-001",
            action_type=ActionType.IMPROVEMENT,
            pillar=r,
            status=Status.NOT_STARTED,
            due_date=days(100),
            created_at=now - datetime.timedelta(days=5),
        )
        self.ij2 = make_action(
            reference="IJ-002",
            action_type=ActionType.IMPROVEMENT,
            pillar=r,
            status=Status.ON_TRACK,
            percent_complete=60,
            due_date=days(60),
            last_progress_at=now - datetime.timedelta(days=2),
        )


class EveryState(Programme):
    """The Programme, and at least one action in every governance state a count can name, so the
    traceability tests follow every kind of link (issue 25):

    MD-010 ratified, its sustainability review due yesterday; MD-011 ratified, review in 60 days;
    WN-010 embedded; SD-010 reopened after sign-off, at risk again; MD-012 assured, returned by a
    committee 20 days ago (awaiting ratification again); MD-013 assured and on a committee's agenda;
    IJ-010 slipped twice (later dates agreed 10 and 3 days ago); IJ-011 brought forward (an earlier date agreed 2
    days ago); MD-014 with a new due date pending a lead's decision, due soon; IJ-012 internal and
    overdue; MD-015 slipped (agreed 100 days ago) and since completed.
    """

    def __init__(self):
        super().__init__()
        now = timezone.now()
        q, r = self.quality, self.responsive
        self.lead = UserFactory(username="everystate-lead", roles=[Role.LEAD])
        self.committee = Committee.objects.create(name="Quality Governance Committee")
        self.past_meeting = Meeting.objects.create(committee=self.committee, date=days(-20))
        self.next_meeting = Meeting.objects.create(committee=self.committee, date=days(7))
        regulation_12 = Regulation.objects.get(number="12")
        regulation_18 = Regulation.objects.get(number="18")
        recent = now - datetime.timedelta(days=1)

        self.ratified = make_action(
            reference="MD-010",
            pillar=q,
            status=Status.ASSURED,
            ratified_at=now - datetime.timedelta(days=40),
            sustainability_review_due=days(-1),
            key_question="safe",
            themes=[self.culture],
            last_progress_at=recent,
        )
        self.ratified.regulations.set([regulation_12])
        self.ratified_later = make_action(
            reference="MD-011",
            pillar=r,
            status=Status.ASSURED,
            ratified_at=now - datetime.timedelta(days=10),
            sustainability_review_due=days(60),
            key_question="effective",
            last_progress_at=recent,
        )
        self.embedded = make_action(
            reference="WN-010",
            action_type=ActionType.WARNING_NOTICE,
            pillar=r,
            status=Status.EMBEDDED,
            key_question="well_led",
            themes=[self.workplace],
            last_progress_at=recent,
        )
        self.embedded.regulations.set([regulation_12, regulation_18])
        self.reopened = make_action(
            reference="SD-010",
            action_type=ActionType.SHOULD_DO,
            pillar=q,
            status=Status.AT_RISK,
            percent_complete=50,
            due_date=days(20),
            reopened_at=now - datetime.timedelta(days=5),
            themes=[self.culture],
            last_progress_at=recent,
        )
        ActionReopening.objects.create(
            action=self.reopened,
            reopened_by=self.lead,
            reopened_at=now - datetime.timedelta(days=5),
            reason="The audit showed the change had not lasted",
            previous_status=Status.ASSURED,
            status=Status.AT_RISK,
        )
        self.returned = make_action(
            reference="MD-012", pillar=q, status=Status.ASSURED, key_question="safe", last_progress_at=recent
        )
        self.returned.regulations.set([regulation_18])
        CommitteeDecision.objects.create(
            action=self.returned,
            meeting=self.past_meeting,
            put_by=self.lead,
            decision=Decision.RETURNED,
            reason="The evidence does not show the change has stuck",
            minute_reference="QGC/26/14",
            recorded_by=self.lead,
            recorded_at=now - datetime.timedelta(days=20),
        )
        self.on_agenda = make_action(reference="MD-013", pillar=r, status=Status.ASSURED, last_progress_at=recent)
        CommitteeDecision.objects.create(action=self.on_agenda, meeting=self.next_meeting, put_by=self.lead)
        self.slipped = make_action(
            reference="IJ-010",
            action_type=ActionType.IMPROVEMENT,
            pillar=q,
            status=Status.ON_TRACK,
            percent_complete=30,
            original_due_date=days(10),
            due_date=days(40),
            themes=[self.culture],
            last_progress_at=recent,
        )
        self._revision(self.slipped, days(10), days(25), decided=days(-10))
        self._revision(self.slipped, days(25), days(40), decided=days(-3))
        self.brought_forward = make_action(
            reference="IJ-011",
            action_type=ActionType.IMPROVEMENT,
            pillar=r,
            status=Status.ON_TRACK,
            percent_complete=70,
            original_due_date=days(60),
            due_date=days(40),
            last_progress_at=recent,
        )
        self._revision(self.brought_forward, days(60), days(40), decided=days(-2))
        self.pending_revision = make_action(
            reference="MD-014",
            pillar=r,
            status=Status.ON_TRACK,
            percent_complete=80,
            due_date=days(5),
            themes=[self.workplace],
            last_progress_at=recent,
        )
        self._revision(self.pending_revision, days(5), days(35), decided=None)
        self.internal = make_action(
            reference="IJ-012",
            action_type=ActionType.IMPROVEMENT,
            pillar=q,
            status=Status.AT_RISK,
            percent_complete=10,
            due_date=days(-2),
            is_public=False,
            last_progress_at=recent,
        )
        self.slipped_done = make_action(
            reference="MD-015",
            pillar=q,
            status=Status.COMPLETE,
            original_due_date=days(-50),
            due_date=days(-10),
            completed_at=now - datetime.timedelta(days=2),
            key_question="safe",
            last_progress_at=recent,
        )
        self._revision(self.slipped_done, days(-50), days(-10), decided=days(-100))

    def _revision(self, action, previous, new, *, decided):
        DueDateRevision.objects.create(
            action=action,
            previous_due_date=previous,
            new_due_date=new,
            reason="The supplier changed its dates",
            requested_by=action.owner,
            state=RevisionState.AGREED if decided else RevisionState.REQUESTED,
            decided_by=self.lead if decided else None,
            decided_on=decided,
        )
