"""An action's status and its overdue state read as one statement, the same on every page (issue 25).

"On track" beside a separate "Overdue" tag told a reader two things that cannot both be true. One tag
(actions/templatetags/action_status.py) now says "On track, but overdue by 3 days", with the days from
Action.days_overdue_on, on My actions, the register, the action page, the dashboard's lists, the board
pack's exception report and appendix, and the public plan.
"""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from actions.choices import DONE_STATUSES, OPEN_STATUSES, Status
from actions.models import Action
from actions.templatetags.action_status import action_status_html, action_status_text
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory
from reports.services.board_pack import board_pack_generate
from secamb_journey.tests.test_no_none import visible_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
# The old way: a status tag and a separate "Overdue" tag or word beside it, with only markup between
# (the register put the Overdue tag at the end of the Due cell, just before the Status cell's heading
# and tag).
OPEN_LABELS = "|".join(str(s.label) for s in OPEN_STATUSES)
SIDE_BY_SIDE = re.compile(
    rf"({OPEN_LABELS})</strong>\s*(<[^>]*>\s*)*\(?Overdue"
    rf"|Overdue</strong>(?:<[^>]*>|\s|Status\s)*<strong class=\"nhsuk-tag[^\"]*\">({OPEN_LABELS})</strong>"
)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


# --- The rule: Action.days_overdue_on -------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (TODAY + datetime.timedelta(days=1), 0),  # due tomorrow
        (TODAY, 0),  # due today is not yet overdue
        (TODAY - datetime.timedelta(days=1), 1),
        (TODAY - datetime.timedelta(days=40), 40),
    ],
)
def test_days_overdue_counts_the_days_since_the_due_date_of_an_open_action(due, expected):
    for status in OPEN_STATUSES:
        action = Action(status=status, due_date=due)
        assert action.days_overdue_on(TODAY) == expected
        assert (expected > 0) == action.is_overdue_on(TODAY)


@pytest.mark.parametrize("status", DONE_STATUSES)
def test_a_done_action_is_never_overdue_however_late(status):
    assert Action(status=status, due_date=TODAY - datetime.timedelta(days=90)).days_overdue_on(TODAY) == 0


# --- The words -----------------------------------------------------------------------------------

OVERDUE_WORDS = {
    Status.NOT_STARTED: "Not started, and overdue by 3 days",
    Status.ON_TRACK: "On track, but overdue by 3 days",
    Status.AT_RISK: "At risk, and overdue by 3 days",
    Status.OFF_TRACK: "Off track, and overdue by 3 days",
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("days_late", [0, 3])
def test_the_tag_says_the_status_and_how_overdue_as_one_statement(status, days_late):
    action = Action(status=status, due_date=TODAY - datetime.timedelta(days=days_late))
    html = Template("{% load action_status %}{% action_status action on %}").render(
        Context({"action": action, "on": TODAY})
    )
    overdue = days_late and status in OPEN_STATUSES
    expected = OVERDUE_WORDS[status] if overdue else status.label
    assert visible_text(html) == expected
    # The status keeps its own tag and colour; the overdue words follow it, never a second tag.
    assert html.startswith(f'<strong class="nhsuk-tag nhsuk-tag--{status.tag_colour}">{status.label}</strong>')
    assert html.count('class="nhsuk-tag') == 1
    assert action_status_text(status=status, days_overdue=action.days_overdue_on(TODAY)) == expected


def test_one_day_overdue_is_singular():
    assert visible_text(action_status_html(status=Status.AT_RISK, days_overdue=1)) == "At risk, and overdue by 1 day"


def test_a_frozen_pack_row_is_judged_on_the_packs_day_not_today():
    template = Template("{% load action_status %}{% frozen_action_status status due on %}")
    row = {"status": Status.ON_TRACK, "due": "2026-03-01"}
    assert template.render(Context({**row, "on": "2026-03-04"})) == "On track, but overdue by 3 days"
    assert template.render(Context({**row, "on": "2026-03-01"})) == "On track"


# --- Every page that shows an action's status uses it ---------------------------------------------


@pytest.fixture
def late(owner, board):
    pillar = PillarFactory(name="Quality Improvement", slug="quality-improvement")
    return ActionFactory(
        reference="MD-050",
        owner=owner,
        executive_lead=board,
        pillar=pillar,
        status=Status.ON_TRACK,
        percent_complete=60,
        due_date=days_ago(3),
        original_due_date=days_ago(3),
        is_public=True,
    )


def test_the_side_by_side_pattern_catches_the_old_markup():
    # What My actions, the register, the action page and the dashboard printed before.
    assert SIDE_BY_SIDE.search(
        '<strong class="nhsuk-tag nhsuk-tag--green">On track</strong> <strong class="nhsuk-tag '
        'nhsuk-tag--red">Overdue</strong>'
    )
    assert SIDE_BY_SIDE.search(
        'Overdue</strong></span></td>\n<td><span>Status </span><strong class="nhsuk-tag '
        'nhsuk-tag--green">On track</strong>'
    )
    assert SIDE_BY_SIDE.search('<strong class="nhsuk-tag nhsuk-tag--green">On track</strong> Overdue')
    assert not SIDE_BY_SIDE.search(action_status_html(status=Status.ON_TRACK, days_overdue=3))


def assert_one_statement(html: str):
    assert "On track, but overdue by 3 days" in visible_text(html)
    assert not SIDE_BY_SIDE.search(html)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("owner", "/actions/mine/"),
        ("lead", "/actions/"),
        ("lead", "/actions/MD-050/"),
        ("board", "/dashboard/pillars/quality-improvement/"),
        ("board", "/dashboard/pillars/"),
        (None, "/plan/"),
        (None, "/plan/MD-050/"),
        # The forms that say where the action stands now.
        ("owner", "/actions/MD-050/progress/"),
        ("owner", "/actions/MD-050/due-date/"),
    ],
)
def test_each_page_says_on_track_but_overdue_as_one_statement(late, client_for, request, who, url):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(url)
    assert response.status_code == 200
    assert_one_statement(response.content.decode())


def test_the_board_packs_exception_report_and_appendix_say_it_in_the_same_words(late):
    pack = board_pack_generate().pack
    exceptions = visible_text(pack.html.split('id="exceptions"', 1)[1].split("</section>", 1)[0])
    assert "MD-050 Improvement action" in exceptions
    assert "On track, but overdue by 3 days; " in exceptions
    assert "(overdue)" not in exceptions
    appendix = visible_text(pack.html.split('id="appendix"', 1)[1])
    assert "· On track, but overdue by 3 days ·" in appendix


def test_an_open_action_at_100_percent_is_never_called_complete(owner, board, client_for, lead):
    # A reopened action keeps its old percent until its owner logs progress again.
    ActionFactory(reference="MD-051", owner=owner, executive_lead=board, status=Status.AT_RISK, percent_complete=100)
    public = visible_text(client_for(None).get("/plan/MD-051/").content.decode())
    staff = visible_text(client_for(lead).get("/actions/MD-051/").content.decode())
    for text in (public, staff):
        assert "100% done so far" in text
        assert "100% complete" not in text
