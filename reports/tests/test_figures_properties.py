"""One set of figures (issue 25), proved by replaying random histories through the real services.

Each example is a random sequence of service calls (create, log progress, complete with evidence,
assure, return a completion, revise a due date, make public or internal, put to a committee and ratify,
reopen) by several
people on random days. After every call the test writes down, itself, how every action then stood (read
from the present rows, never from the history). At the end, for every day from before the first call
to today and for both audiences, the figures that every surface gives must equal a recount of that
written-down timeline: actions.figures, open data, a freshly drafted update's frozen figures, the trend
the dashboard draws, the home page and the board's dashboard and pack for today.
"""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from actions.choices import CQC_TYPES, DONE_STATUSES, ActionType, Status
from actions.figures import Audience, figures_series, moment_end
from actions.models import Action, Committee, Meeting
from actions.services.assurance import action_assure, action_return_completion
from actions.services.editing import EDITABLE_FIELDS, M2M_FIELDS, action_create, action_update
from actions.services.governance import action_put_to_meeting, committee_decision_record, due_date_revise
from actions.services.progress import action_log_progress
from actions.services.reopening import action_reopen
from actions.tests.factories import UserFactory
from pillars.tests.factories import PillarFactory
from reports.models import SnapshotScope
from reports.selectors.board_pack import board_pack_figures
from reports.selectors.dashboard import dashboard_overview
from reports.selectors.public import home_page_content, open_data_figures
from reports.services.periods import period_start, update_draft_for_period
from reports.snapshots import snapshot_trend
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db(transaction=False)

SEQUENCES = 25
STEPS = 30
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
OPEN_STATUSES = [Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
days_on = st.integers(min_value=0, max_value=9)


def recount(states: dict, *, day: datetime.date, audience: str) -> dict:
    """The figures of `states` ({id: (status, percent, due, public, pillar, type)}) on `day`, counted
    here from scratch: the brute-force answer every surface must give.
    """
    by_status, by_pillar, by_type = Counter(), {}, {}
    overdue = 0
    for status, _percent, due, public, pillar_id, action_type in states.values():
        if audience == Audience.PUBLIC and not public:
            continue
        late = status not in DONE_STATUSES and due < day
        by_status[status] += 1
        overdue += late
        pillar = by_pillar.setdefault(pillar_id, [Counter(), 0])
        pillar[0][status] += 1
        pillar[1] += late
        kind = by_type.setdefault(action_type, [Counter(), 0])
        kind[0][status] += 1
        kind[1] += late
    return {
        "total": sum(by_status.values()),
        "by_status": {s: by_status[s] for s in Status.values},
        "overdue": overdue,
        "by_pillar": {k: ({s: v[0][s] for s in Status.values}, v[1]) for k, v in by_pillar.items()},
        "by_type": {k: ({s: v[0][s] for s in Status.values}, v[1]) for k, v in by_type.items()},
    }


def as_counted(result) -> dict:
    """An actions.figures result in recount's shape."""

    def statuses(counts):
        return {s: counts.by_status[s] for s in Status.values}

    return {
        "total": result.overall.total,
        "by_status": statuses(result.overall),
        "overdue": result.overall.overdue,
        "by_pillar": {k: (statuses(v), v.overdue) for k, v in result.by_pillar.items() if v.total},
        "by_type": {k: (statuses(v), v.overdue) for k, v in result.by_type.items() if v.total},
    }


def open_data_counted(data: dict, pillar_ids: dict) -> dict:
    """Open data's JSON in recount's shape (CQC types only, as open data lists them)."""
    return {
        "total": data["actions_total"],
        "by_status": data["by_status"],
        "overdue": data["overdue"],
        "by_pillar": {
            pillar_ids[row["slug"]]: (row["by_status"], row["overdue"])
            for row in data["by_pillar"]
            if row["actions_total"]
        },
        "by_type": {k: (v["by_status"], v["overdue"]) for k, v in data["by_type"].items() if v["actions_total"]},
    }


def cqc_only(counted: dict) -> dict:
    return {**counted, "by_type": {k: v for k, v in counted["by_type"].items() if k in CQC_TYPES}}


class FiguresMachine(RuleBasedStateMachine):
    actions = Bundle("actions")

    def __init__(self):
        super().__init__()
        # Each sequence in its own transaction, rolled back at its end: the next starts from nothing.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.clock = START
        self.timeline: list[tuple[datetime.datetime, dict]] = []
        self.number = 0

    @initialize()
    def people_and_pillars(self):
        self.pillars = [PillarFactory(), PillarFactory()]
        self.owner = UserFactory(roles=[Role.OWNER])
        self.executive = UserFactory(roles=[Role.BOARD])
        self.lead = UserFactory(roles=[Role.LEAD])
        self.other_lead = UserFactory(roles=[Role.LEAD])
        self.committee = Committee.objects.create(name="Quality Governance Committee")

    # --- The clock and the written-down timeline ------------------------------------------------

    def later(self, days: int) -> datetime.datetime:
        self.clock += datetime.timedelta(days=days, minutes=7)
        return self.clock

    def write_down(self):
        states = {
            row[0]: tuple(row[1:])
            for row in Action.objects.values_list(
                "id", "status", "percent_complete", "due_date", "is_public", "pillar_id", "action_type"
            )
        }
        self.timeline.append((self.clock, states))

    def attempt(self, call):
        try:
            with transaction.atomic():
                call()
        except (ValidationError, PermissionDenied):
            return  # refused, as a person would be: nothing changed
        self.write_down()

    # --- What people do ----------------------------------------------------------------------------

    @rule(
        target=actions,
        days=days_on,
        action_type=st.sampled_from(ActionType.values),
        pillar=st.integers(0, 1),
        due_in=st.integers(-20, 120),
        public=st.booleans(),
    )
    def create(self, days, action_type, pillar, due_in, public):
        at = self.later(days)
        self.number += 1
        action = action_create(
            creator=self.lead,
            data={
                "reference": f"{ActionType(action_type).prefix}-{self.number:02d}",
                "action_type": action_type,
                "title": f"Action {self.number}",
                "pillar": self.pillars[pillar],
                "owner": self.owner,
                "executive_lead": self.executive,
                "due_date": at.date() + datetime.timedelta(days=due_in),
                "is_public": public,
            },
            notify=False,
            at=at,
        )
        self.write_down()
        return action.pk

    @rule(action=actions, days=days_on, status=st.sampled_from(OPEN_STATUSES), percent=st.integers(0, 99))
    def log_progress(self, action, days, status, percent):
        at = self.later(days)
        self.attempt(
            lambda: action_log_progress(
                action=Action.objects.get(pk=action),
                author=self.owner,
                narrative="Progress this week.",
                status=status,
                percent_complete=percent,
                at=at,
                notify=False,
            )
        )

    @rule(action=actions, days=days_on)
    def complete(self, action, days):
        at = self.later(days)
        self.attempt(
            lambda: action_log_progress(
                action=Action.objects.get(pk=action),
                author=self.owner,
                narrative="Done, with the audit attached.",
                status=Status.COMPLETE,
                evidence_file=SimpleUploadedFile("audit.txt", b"Three months of audits.\n"),
                evidence_description="The audit",
                at=at,
                notify=False,
            )
        )

    @rule(action=actions, days=days_on)
    def assure(self, action, days):
        at = self.later(days)
        self.attempt(
            lambda: action_assure(action=Action.objects.get(pk=action), lead=self.other_lead, at=at, notify=False)
        )

    @rule(action=actions, days=days_on, move=st.integers(-40, 90).filter(bool))
    def revise_due_date(self, action, days, move):
        at = self.later(days)
        current = Action.objects.get(pk=action)
        # Never a day already past, whichever day the rule counts from.
        new_date = max(current.due_date + datetime.timedelta(days=move), timezone.localdate(), at.date()) + (
            datetime.timedelta(days=1)
        )
        self.attempt(
            lambda: due_date_revise(
                action=current,
                lead=self.other_lead,
                new_date=new_date,
                reason="Agreed at the PMO.",
                at=at,
                notify=False,
            )
        )

    @rule(action=actions, days=days_on)
    def make_public_or_internal(self, action, days):
        at = self.later(days)
        current = Action.objects.get(pk=action)
        data = {name: getattr(current, name) for name in EDITABLE_FIELDS if name not in M2M_FIELDS}
        data["is_public"] = not current.is_public
        self.attempt(
            lambda: action_update(
                action=current, editor=self.lead, data=data, expected_version=current.version, notify=False, at=at
            )
        )

    @rule(action=actions, days=days_on)
    def ratify(self, action, days):
        at = self.later(days)
        meeting, _ = Meeting.objects.get_or_create(committee=self.committee, date=timezone.localdate(at))

        def put_and_ratify():
            item = action_put_to_meeting(
                action=Action.objects.get(pk=action), meeting=meeting, lead=self.other_lead, at=at
            )
            committee_decision_record(
                item=item, lead=self.other_lead, decision="ratified", minute_reference="QGC/1", at=at, notify=False
            )

        self.attempt(put_and_ratify)

    @rule(
        action=actions,
        days=days_on,
        status=st.sampled_from([Status.AT_RISK, Status.OFF_TRACK]),
        percent=st.integers(0, 99),
        due_in=st.integers(1, 90),
    )
    def reopen(self, action, days, status, percent, due_in):
        at = self.later(days)
        self.attempt(
            lambda: action_reopen(
                action=Action.objects.get(pk=action),
                lead=self.other_lead,
                reason="The audit found the change had not lasted.",
                status=status,
                percent_complete=percent,
                new_due_date=at.date() + datetime.timedelta(days=due_in),
                at=at,
                notify=False,
            )
        )

    @rule(action=actions, days=days_on)
    def return_completion(self, action, days):
        at = self.later(days)
        self.attempt(
            lambda: action_return_completion(
                action=Action.objects.get(pk=action),
                lead=self.other_lead,
                reason="The evidence does not show the change across every station.",
                at=at,
                notify=False,
            )
        )

    # --- The check ---------------------------------------------------------------------------------

    def expected_on(self, day: datetime.date) -> dict:
        end = moment_end(day)
        states = {}
        for moment, recorded in self.timeline:
            if moment < end:
                states = recorded
        return states

    def teardown(self):
        try:
            if self.timeline:
                self.check_every_surface()
        finally:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def check_every_surface(self):
        today = timezone.localdate()
        first = self.timeline[0][0].date() - datetime.timedelta(days=1)
        days = [first + datetime.timedelta(days=n) for n in range((today - first).days + 1)]
        pillar_ids = {pillar.slug: pillar.pk for pillar in self.pillars}
        for audience in Audience.ALL:
            for day, result in zip(days, figures_series(days=days, audience=audience), strict=True):
                expected = recount(self.expected_on(day), day=day, audience=audience)
                assert as_counted(result) == expected, (audience, day)
        # Surfaces, on each month's last day, the last event's day and today.
        month_ends = sorted(
            {period_start(day + datetime.timedelta(days=1)) - datetime.timedelta(days=1) for day in days}
        )
        checked = sorted({*[day for day in month_ends if first <= day <= today], self.clock.date(), today})
        for day in checked:
            public = cqc_only(recount(self.expected_on(day), day=day, audience=Audience.PUBLIC))
            assert open_data_counted(open_data_figures(as_at=day), pillar_ids) == public, day
            drafted = update_draft_for_period(
                period=period_start(day), now=datetime.datetime.combine(day, datetime.time(22), tzinfo=datetime.UTC)
            )
            assert drafted.figures["figures"] == open_data_figures(as_at=day), day
        # The dashboard's trend: each month's point is that month's last day's figures (today for this one).
        trend = snapshot_trend(scope=SnapshotScope.OVERALL, today=today)
        for month, point in zip(trend.months, trend.for_key(None), strict=True):
            day = min(period_start(month + datetime.timedelta(days=32)) - datetime.timedelta(days=1), today)
            expected = recount(self.expected_on(day), day=day, audience=Audience.BOARD)
            if expected["total"] == 0:
                assert point is None, month
            else:
                assert (point.total, point.overdue, point.complete) == (
                    expected["total"],
                    expected["overdue"],
                    expected["by_status"][Status.COMPLETE],
                ), month
        # Today: the home page (public) and the board's dashboard.
        now_public = recount(self.expected_on(today), day=today, audience=Audience.PUBLIC)
        home = home_page_content()["overall"]
        assert (home.total, home.overdue, home.by_status) == (
            now_public["total"],
            now_public["overdue"],
            now_public["by_status"],
        )
        now_board = recount(self.expected_on(today), day=today, audience=Audience.BOARD)
        board = dashboard_overview(today=today)["overall"].counts
        assert (board.total, board.overdue, dict(board.by_status)) == (
            now_board["total"],
            now_board["overdue"],
            now_board["by_status"],
        )
        # A freshly frozen board pack (today's) and its summary.
        pack = board_pack_figures(today=today)
        assert open_data_counted(pack["figures"], pillar_ids) == cqc_only(now_board)
        assert (pack["summary"]["total"], pack["summary"]["overdue"], pack["summary"]["public_total"]) == (
            now_board["total"],
            now_board["overdue"],
            now_public["total"],
        )


def test_every_surface_gives_the_figures_the_record_supports_on_every_day(db):
    run_state_machine_as_test(
        FiguresMachine,
        settings=hypothesis_settings(
            max_examples=SEQUENCES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        ),
    )
