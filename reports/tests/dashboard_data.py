"""Data built for the dashboard tests: a small programme whose figures the tests can state exactly."""

import datetime

from django.utils import timezone

from actions.models import ActionType, Status
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
