"""Board wording (issue 27): counts agree in number, arrows and repeated words are not read aloud, the
dashboard and the pack count "since" from the same day and say which, and /board-packs/ states its schedule.
"""

import re

import pytest
from django.utils import timezone

from actions.choices import ActionType
from actions.models import Action, Committee, Meeting
from reports.selectors.board_pack import board_pack_figures
from reports.services.board_pack import board_pack_generate
from reports.tests.dashboard_data import Programme, days
from secamb_journey.tests.test_no_none import visible_text

pytestmark = pytest.mark.django_db

# templates/includes/arrow.html: the arrow drawn, "to" read.
ARROW = '<span aria-hidden="true"> → </span><span class="nhsuk-u-visually-hidden"> to </span>'


@pytest.fixture
def programme():
    return Programme()


def meeting(days_from_today: int) -> Meeting:
    committee, _ = Committee.objects.get_or_create(name="Quality Governance Committee")
    return Meeting.objects.create(committee=committee, date=days(days_from_today))


def hidden_words(html: str) -> str:
    """What a screen reader reads: the page's text without what is aria-hidden."""
    return visible_text(re.sub(r'<(\w+)[^>]*aria-hidden="true"[^>]*>.*?</\1>', "", html, flags=re.S))


def test_a_count_agrees_with_its_noun(client_for, board, programme):
    Action.objects.filter(action_type=ActionType.MUST_DO).exclude(reference="MD-003").update(due_date=days(30))
    html = client_for(board).get("/dashboard/").content.decode()
    cqc = hidden_words(html.split('id="answer-cqc"', 1)[1].split("</section>", 1)[0])
    assert "1 overdue must-do action," in cqc and "0 overdue warning notices," in cqc
    assert not re.search(r"\b1 (overdue|open and slipped) (must-do actions|warning notices)\b", cqc), cqc


def test_the_dashboard_reads_no_arrow_and_no_overdue_twice(client_for, board, programme):
    meeting(-10)
    html = client_for(board).get("/dashboard/").content.decode()
    read = hidden_words(html)
    assert "→" not in read and " to " in read
    assert not re.search(r"\d+ overdue Overdue", read)


def test_the_pack_counts_since_the_same_meeting_as_the_dashboard_and_says_which(client_for, board, programme):
    last = meeting(-10)
    coming = meeting(7)
    figures = board_pack_figures(meeting=coming)
    assert figures["since"] == f"{last.date:%-d %B %Y}"
    assert figures["since_what"] == f"Quality Governance Committee, {last.date:%-d %B %Y}"
    html = client_for(board).get("/dashboard/").content.decode()
    assert "Since the last committee meeting" in html and f"{last.date:%-d %B %Y}" in html
    pack = board_pack_generate(meeting=coming).pack
    assert f"Since the last committee meeting (Quality Governance Committee, {last.date:%-d %B %Y})" in pack.html
    assert "since the last pack" not in pack.html


def test_the_pack_asks_in_words_that_agree_in_number():
    from reports.selectors.board_pack import _asks

    _, asks = _asks(awaiting=1, off_track=0, overdue=0, slipped=0)
    assert asks[0][1] == "Approve: decide on the 1 assured action put to this meeting for ratification."
    _, asks = _asks(awaiting=2, off_track=0, overdue=0, slipped=0)
    assert "the 2 assured actions put" in asks[0][1]


def test_the_packs_page_says_how_long_before_its_meeting_each_pack_was_made(client_for, board, programme):
    board_pack_generate(meeting=meeting(14))
    page = visible_text(client_for(board).get("/board-packs/").content.decode())
    assert "made automatically 7 days before the meeting, unless one was made sooner" in page
    assert f"{timezone.localdate():%-d %B %Y} (14 days before the meeting)" in page
