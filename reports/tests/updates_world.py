"""Test data for the periodic-update tests: a small programme with public and internal actions, built in the test."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.choices import ActionType, Status
from actions.tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from pillars.tests.factories import PillarFactory
from reports.models import PublishedUpdate, UpdateStatus
from secamb_journey.roles import Role
from themes.tests.factories import ThemeFactory

OCTOBER = datetime.date(2026, 10, 1)
# When the monthly task would run for October: 06:00 UK time on 1 November.
DRAFTED = datetime.datetime(2026, 11, 1, 6, 0, tzinfo=datetime.UTC)


def at(day: int, hour: int = 12, month: int = 10) -> datetime.datetime:
    """An instant in 2026 (UK time), for progress notes and sign-offs."""
    return datetime.datetime(2026, month, day, hour, tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    pillar: object
    other_pillar: object
    owner: object
    executive: object
    public_action: object
    internal_action: object


# Words that must never reach an anonymous visitor. Distinctive, so a search of a page cannot match by chance.
SECRET_WORDS = [
    "Zebedee",  # the owner's first name
    "Quillfeather",  # the owner's last name
    "zquill",  # the owner's username
    "XYZZY-INTERNAL-NARRATIVE",
    "Secret estates disposal plan",  # an internal action's title
    "IJ-900",  # its reference
    "QWERTY-INTERNAL-HIGHLIGHT",  # a highlight on an internal action
    "DRAFT-HEADLINE-SEPTEMBER",
    "DRAFT-NARRATIVE-SEPTEMBER",
    "WITHDRAWN-HEADLINE-AUGUST",
    "WITHDRAWN-NARRATIVE-AUGUST",
]


def build_world() -> World:
    """Two pillars; a public must-do owned by a distinctively named owner, with an internal narrative and a
    public highlight; an internal action with its own highlight; completions and an assurance in October.
    """
    pillar = PillarFactory(name="Responsive Care", slug="responsive-care", number=2)
    other_pillar = PillarFactory(name="People and Culture", slug="people-and-culture", number=3)
    theme = ThemeFactory(short_name="Quality thread")
    owner = UserFactory(username="zquill", first_name="Zebedee", last_name="Quillfeather", roles=[Role.OWNER])
    executive = UserFactory(username="exec", first_name="Morag", last_name="Exec", roles=[Role.BOARD])
    assurer = UserFactory(username="assurer", roles=[Role.LEAD])
    due = datetime.date(2027, 3, 31)

    public_action = ActionFactory(
        created_at=at(1, month=9),
        reference="MD-101",
        title="Check medicines on every vehicle",
        pillar=pillar,
        owner=owner,
        executive_lead=executive,
        status=Status.ON_TRACK,
        percent_complete=60,
        due_date=due,
        themes=[theme],
    )
    ProgressUpdateFactory(
        action=public_action,
        narrative="XYZZY-INTERNAL-NARRATIVE: the audit found gaps at two stations.",
        public_highlight="Every vehicle in Kent now has a sealed medicines pouch.",
        created_at=at(14),
    )
    ProgressUpdateFactory(
        action=public_action, narrative="September work", public_highlight="Old news", created_at=at(20, month=9)
    )
    internal_action = ActionFactory(
        created_at=at(1, month=9),
        reference="IJ-900",
        action_type=ActionType.IMPROVEMENT,
        title="Secret estates disposal plan",
        pillar=pillar,
        owner=owner,
        executive_lead=executive,
        status=Status.OFF_TRACK,
        due_date=due,
        is_public=False,
    )
    ProgressUpdateFactory(
        action=internal_action,
        narrative="Internal only",
        public_highlight="QWERTY-INTERNAL-HIGHLIGHT",
        created_at=at(15),
    )
    # Done in October: one complete (awaiting assurance), one assured; and one done back in September.
    ActionFactory(
        created_at=at(1, month=9),
        reference="WN-101",
        action_type=ActionType.WARNING_NOTICE,
        title="Track safeguarding referrals within 24 hours",
        pillar=pillar,
        owner=owner,
        executive_lead=executive,
        status=Status.COMPLETE,
        completed_at=at(3),
        due_date=due,
    )
    ActionFactory(
        created_at=at(1, month=9),
        reference="SD-101",
        action_type=ActionType.SHOULD_DO,
        title="Share learning from incidents every month",
        pillar=other_pillar,
        owner=owner,
        executive_lead=executive,
        status=Status.ASSURED,
        completed_at=at(25, month=9),
        assured_at=at(30),
        assured_by=assurer,
        due_date=due,
    )
    ActionFactory(
        created_at=at(1, month=9),
        reference="MD-102",
        title="Give every member of staff a yearly appraisal",
        pillar=other_pillar,
        owner=owner,
        executive_lead=executive,
        status=Status.OFF_TRACK,
        due_date=datetime.date(2026, 10, 15),  # overdue when October's update is drafted
    )
    return World(pillar, other_pillar, owner, executive, public_action, internal_action)


def build_unpublished_updates() -> None:
    """A draft for September and a withdrawn update for August: neither may reach the public."""
    PublishedUpdate.objects.create(
        period=datetime.date(2026, 9, 1),
        slug="september-2026",
        headline="DRAFT-HEADLINE-SEPTEMBER",
        narrative="DRAFT-NARRATIVE-SEPTEMBER",
        drafted_at=at(1, month=10),
    )
    PublishedUpdate.objects.create(
        period=datetime.date(2026, 8, 1),
        slug="august-2026",
        headline="WITHDRAWN-HEADLINE-AUGUST",
        narrative="WITHDRAWN-NARRATIVE-AUGUST",
        drafted_at=at(1, month=9),
        status=UpdateStatus.WITHDRAWN,
        published_at=at(2, month=9),
        withdrawn_at=at(5, month=9),
        withdrawal_note="Withdrawn because two figures were wrong; a corrected update will follow.",
    )


def publish_months(*, publisher, months, year: int = 2025) -> None:
    """Draft and publish the update for each of `months` of `year` (for list pages at two sizes)."""
    from reports.services import update_draft_for_period, update_publish

    for month in months:
        update = update_draft_for_period(period=datetime.date(year, month, 1), now=DRAFTED)
        update_publish(update=update, publisher=publisher)
