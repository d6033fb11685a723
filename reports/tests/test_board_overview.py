"""The dashboard's first screen (issue 14): reports.selectors.board.board_overview answers each of the
board's questions from data built here, and the page links every figure to the actions it counts.
"""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.models import Action, ActionReopening, Committee, Meeting
from actions.services.governance import due_date_revise
from measures.tests.factories import MeasureFactory, add_values
from reports.selectors.board import SINCE_DAYS_WITHOUT_A_MEETING, board_overview, last_meeting
from reports.tests.dashboard_data import Programme, days, had_state, make_action
from reports.tests.test_board_wording import ARROW

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return Programme()


def ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def meeting(days_from_today: int, name: str = "Quality Governance Committee") -> Meeting:
    committee, _ = Committee.objects.get_or_create(name=name)
    return Meeting.objects.create(committee=committee, date=days(days_from_today))


# --- Which CQC must-dos and warning notices are overdue or slipped --------------------------------


def test_an_overdue_must_do_is_named_most_overdue_first_with_its_days_overdue(programme):
    overview = board_overview()
    must_do = {row.action_type: row for row in overview.cqc_types}[ActionType.MUST_DO]
    assert (must_do.total, must_do.overdue) == (3, 2)
    # MD-003 was due 5 days ago, MD-001 yesterday; MD-002 is assured, so never overdue.
    assert [(c.action.reference, c.overdue_days) for c in overview.cqc_concerns] == [("MD-003", 5), ("MD-001", 1)]
    assert overview.cqc_concern_total == 2
    assert must_do.overdue_link == "/actions/?type=must_do&overdue=yes"


def test_a_slipped_warning_notice_is_named_with_the_reason_for_its_slip(programme, lead):
    notice = make_action(
        reference="WN-010", action_type=ActionType.WARNING_NOTICE, pillar=programme.quality, due_date=days(5)
    )
    due_date_revise(
        action=notice, lead=lead, new_date=days(25), reason="The supplier delayed the new system.", notify=False
    )
    overview = board_overview()
    notices = {row.action_type: row for row in overview.cqc_types}[ActionType.WARNING_NOTICE]
    assert (notices.total, notices.overdue, notices.slipped) == (2, 0, 1)
    assert notices.slipped_link == (
        "/actions/?type=warning_notice&slipped=yes&status=not_started&status=on_track&status=at_risk&status=off_track"
    )
    slipped = next(c for c in overview.cqc_concerns if c.action.reference == "WN-010")
    assert (slipped.overdue_days, slipped.slipped_days) == (0, 20)
    assert slipped.slip_reason == "The supplier delayed the new system."
    # Overdue ones first, then the slipped.
    assert [c.action.reference for c in overview.cqc_concerns] == ["MD-003", "MD-001", "WN-010"]


def test_a_slipped_action_since_done_is_not_a_concern_and_should_dos_are_not_the_boards_first_question(programme, lead):
    done = make_action(reference="MD-020", pillar=programme.quality, status=Status.COMPLETE, due_date=days(5))
    done.due_date = days(30)
    done.save()  # slipped, but done: history, on the CQC page
    make_action(reference="SD-020", action_type=ActionType.SHOULD_DO, pillar=programme.quality, due_date=days(-9))
    overview = board_overview()
    assert {c.action.reference for c in overview.cqc_concerns} == {"MD-003", "MD-001"}


# --- Which pillar is furthest behind, and why -----------------------------------------------------


def test_the_pillar_furthest_behind_comes_with_its_reasons(programme):
    overview = board_overview()
    behind = overview.furthest_behind
    assert behind.obj == programme.responsive
    assert (behind.counts.percent_done, behind.counts.overdue, behind.counts.by_status["off_track"]) == (0, 1, 1)
    assert [(c.action.reference, c.overdue_days) for c in overview.furthest_behind_actions] == [("MD-003", 5)]
    assert overview.overall.counts.percent_done == 29  # 2 of 7


# --- Which measures show special cause, and will targets be met -----------------------------------


def test_a_measure_showing_special_cause_concern_and_missing_its_target_is_grouped_by_its_icons(programme):
    waits = MeasureFactory(slug="handover", name="Hospital handover time", improvement="decrease", target=5.0)
    add_values(waits, [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 30])  # the last far above the limits
    steady = MeasureFactory(slug="calls", name="Calls answered", improvement="increase", target=None)
    add_values(steady, [50, 52, 49, 51, 50, 52, 49, 51, 50, 52, 49, 51])
    overview = board_overview()
    groups = {group.code: [mc.measure.slug for mc in group.charts] for group in overview.measure_groups}
    assert groups == {"concern_high": ["handover"], "consistent_fail": ["handover"]}
    assert overview.special_cause and overview.measure_total == 2


def test_no_special_cause_is_said_in_words(client_for, board, programme):
    add_values(MeasureFactory(slug="calls", improvement="increase", target=None), [50, 52, 49, 51, 50, 52])
    overview = board_overview()
    assert not overview.special_cause
    page = client_for(board).get("/dashboard/").content.decode()
    assert "No measure shows special cause variation" in page


def test_the_page_shows_each_special_cause_measure_with_its_making_data_count_icon(client_for, board, programme):
    waits = MeasureFactory(slug="handover", name="Hospital handover time", improvement="decrease", target=5.0)
    add_values(waits, [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 30])
    page = client_for(board).get("/dashboard/").content.decode()
    measures = page[page.index('id="answer-measures"') :]
    assert 'class="app-mdc-icon app-mdc-icon--variation"' in measures
    assert "Concern: significantly higher" in measures and 'href="/measures/handover/"' in measures
    assert "Will consistently miss the target without change</span>: 1 measure" in measures


# --- What changed since the last meeting ----------------------------------------------------------


@pytest.fixture
def since_last_meeting(programme, lead):
    """The committee met 10 days ago (and meets again next week). Since then: one action completed,
    one fell overdue, one given a later due date, one reopened. Before it: one completed."""
    last = meeting(-10)
    meeting(7)  # not yet happened: never "the last meeting"
    meeting(-40, name="Executive Management Board")
    make_action(
        reference="IJ-030",
        action_type=ActionType.IMPROVEMENT,
        pillar=programme.quality,
        status=Status.COMPLETE,
        completed_at=ago(4),
        due_date=days(9),
    )
    make_action(
        reference="IJ-031",
        action_type=ActionType.IMPROVEMENT,
        pillar=programme.quality,
        status=Status.COMPLETE,
        completed_at=ago(25),
        due_date=days(9),
    )
    make_action(
        reference="IJ-032",
        action_type=ActionType.IMPROVEMENT,
        pillar=programme.quality,
        status=Status.ON_TRACK,
        due_date=days(-3),
    )
    make_action(
        reference="IJ-033",
        action_type=ActionType.IMPROVEMENT,
        pillar=programme.quality,
        status=Status.ON_TRACK,
        due_date=days(-20),
    )
    slipping = make_action(
        reference="IJ-034", action_type=ActionType.IMPROVEMENT, pillar=programme.quality, due_date=days(2)
    )
    due_date_revise(action=slipping, lead=lead, new_date=days(32), reason="Staff side asked for time.", notify=False)
    reopened = make_action(
        reference="IJ-035", action_type=ActionType.IMPROVEMENT, pillar=programme.quality, status=Status.AT_RISK
    )
    ActionReopening.objects.create(
        action=reopened, reopened_by=lead, reopened_at=ago(2), reason="Audit failed", previous_status="assured",
        status="at_risk",
    )  # fmt: skip
    return last


def test_changes_are_counted_from_the_last_meeting_that_has_happened(since_last_meeting):
    overview = board_overview()
    since = overview.since
    assert since.meeting == since_last_meeting == last_meeting(today=timezone.localdate())
    assert since.day == days(-10)
    # IJ-030 (not IJ-031, done before the meeting); IJ-032 and MD-001 (due yesterday) and MD-003 (5 days
    # ago) fell overdue since; IJ-033 was already overdue at the meeting.
    assert (since.completed, since.fell_overdue, since.slipped, since.reopened) == (1, 3, 1, 1)
    assert since.links["completed"] == f"/actions/?completed_since={days(-10):%Y-%m-%d}"


def test_each_since_the_meeting_figure_leads_to_exactly_those_actions_in_the_register(
    client_for, board, lead, since_last_meeting
):
    page = client_for(board).get("/dashboard/").content.decode()
    since = page[page.index('id="answer-since"') : page.index("</section>", page.index('id="answer-since"'))]
    assert 'href="/committees/meetings/' in since or since_last_meeting.get_absolute_url() in since
    assert f"{since_last_meeting.committee.name}, {since_last_meeting.date:%-d %B %Y}" in since
    expected = {
        "completed": {"IJ-030"},
        "fell overdue": {"IJ-032", "MD-001", "MD-003"},
        "due dates put back": {"IJ-034"},
        "reopened": {"IJ-035"},
    }
    register = client_for(lead)
    for label, references in expected.items():
        href, shown = re.search(rf'href="([^"]+)">(\d+) {label}</a>', since).groups()
        response = register.get(unescape(href))
        assert response.context["filterset"].form.is_valid(), href
        found = {a.reference for a in response.context["page_obj"].object_list}
        assert found == references and int(shown) == len(references), (label, href, found)


def test_without_a_past_meeting_the_last_thirty_days_are_shown_and_the_page_says_so(client_for, board, programme):
    meeting(3)  # only a coming meeting
    overview = board_overview()
    assert overview.since.meeting is None
    assert overview.since.day == days(-SINCE_DAYS_WITHOUT_A_MEETING)
    page = client_for(board).get("/dashboard/").content.decode()
    assert "No committee has met yet: the last 30 days" in page


def test_the_programme_then_and_now_compares_with_the_figures_at_the_meeting(client_for, board, programme, lead):
    meeting(-10)
    # At the meeting, ten actions stood as they do now, but for WN-001 (then on track), and the rest
    # (IJ-030, IJ-031, IJ-032) were still to come.
    for action in Action.objects.exclude(reference="MD-003"):  # MD-003's record goes back 100 days
        had_state(action, on=days(-12))
    had_state(programme.wn1, on=days(-11), status=Status.ON_TRACK, percent_complete=50)
    for n in range(3):
        make_action(reference=f"IJ-03{n}", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    overview = board_overview()
    assert overview.direction.then.taken_on == days(-10)
    # Then 1 done (MD-002) of 7: 14%. Now 2 done (WN-001, MD-002) of 10: 20%, better.
    assert (overview.direction.then.total, overview.direction.then.percent_done) == (7, 14)
    assert (overview.overall.counts.percent_done, overview.direction.direction) == (20, "better")
    page = client_for(board).get("/dashboard/").content.decode()
    assert re.search(rf"Better</strong>\s+14%{re.escape(ARROW)}20% complete or assured", page)


def test_before_the_programme_had_an_action_there_are_no_figures_to_compare(programme):
    meeting(-150)
    assert board_overview().direction.known is False


# --- A fixed number of queries ----------------------------------------------------------------------


def test_board_overview_reads_in_the_same_number_of_queries_at_two_sizes(django_assert_num_queries, programme, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting(-10)
    # One measure to start with: with none at all, the measures' reads are skipped altogether.
    add_values(MeasureFactory(), [10, 11, 9, 10, 11, 9])
    with CaptureQueriesContext(connection) as small:
        board_overview()
    for n in range(20):
        action = make_action(reference=f"MD-{500 + n}", pillar=programme.responsive, due_date=days(-n - 1))
        due_date_revise(action=action, lead=lead, new_date=days(n + 30), reason="Later.", notify=False)
    for _n in range(5):
        add_values(MeasureFactory(), [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 9, 30])
    with django_assert_num_queries(len(small)):
        overview = board_overview()
    assert len(overview.cqc_concerns) == 3 and overview.cqc_concern_total == 22


# --- One click away: the CQC page -----------------------------------------------------------------


def test_the_cqc_page_lists_every_overdue_or_slipped_notice_and_must_do_with_the_reason(
    client_for, board, programme, lead
):
    for n in range(3):
        action = make_action(reference=f"MD-04{n}", pillar=programme.quality, due_date=days(3))
        due_date_revise(action=action, lead=lead, new_date=days(13), reason=f"Reason number {n}.", notify=False)
    first_screen = client_for(board).get("/dashboard/").content.decode()
    # Five concerns, three on the first screen: the rest one click away.
    assert 'href="/dashboard/cqc/#concerns">All 5 on the CQC page</a>' in first_screen
    response = client_for(board).get("/dashboard/cqc/")
    assert [c.action.reference for c in response.context["concerns"]] == [
        "MD-003",
        "MD-001",
        "MD-040",
        "MD-041",
        "MD-042",
    ]
    page = response.content.decode()
    assert "10 days later than the original" in page and "Reason number 2." in page
    assert 'href="/actions/?type=must_do&amp;overdue=yes">2 overdue' in page
