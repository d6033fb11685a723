"""The dashboard's governance section (issue 13): slipped due dates, committees, embedded and reopened
actions, the CQC actions by regulation and by key question, and the BRAG key. Figures are checked
against data built here.
"""

import datetime

import pytest
from django.utils import timezone

from actions.choices import Status
from actions.models import ActionReopening, Regulation
from actions.tests.factories import ActionFactory
from reports.governance_figures import dashboard_governance

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db, lead):
    today = timezone.localdate()
    slipped = ActionFactory(reference="MD-201", key_question="safe", original_due_date=today, due_date=today)
    slipped.due_date = today + datetime.timedelta(days=10)
    slipped.save()
    twice = ActionFactory(reference="MD-202", key_question="safe", original_due_date=today, due_date=today)
    twice.due_date = today + datetime.timedelta(days=40)
    twice.save()
    for new_date in (today + datetime.timedelta(days=20), today + datetime.timedelta(days=40)):
        twice.due_date_revisions.create(
            previous_due_date=today, new_due_date=new_date, reason="x", requested_by=lead, state="agreed",
            decided_by=lead, decided_on=today,
        )  # fmt: skip
    ActionFactory(reference="MD-203", status=Status.EMBEDDED, key_question="well_led")
    ActionFactory(reference="MD-204", status=Status.ASSURED)
    reopened = ActionFactory(reference="SD-205", action_type="should_do", status=Status.AT_RISK)
    ActionReopening.objects.create(
        action=reopened, reopened_by=lead, reason="Slipped", previous_status="assured", status="at_risk"
    )
    reopened.reopened_at = timezone.now()
    reopened.save()
    slipped.regulations.set([Regulation.objects.get(number="12")])
    twice.regulations.set([Regulation.objects.get(number="12"), Regulation.objects.get(number="18")])


def test_the_governance_figures_count_what_was_built(programme):
    figures = dashboard_governance()["governance"]
    assert (figures["slipped"]["count"], figures["slipped"]["total_days"], figures["slipped"]["max_days"]) == (
        2,
        50,
        40,
    )
    assert figures["slipped"]["twice"] == 1
    assert (figures["embedded"], figures["awaiting_ratification"], figures["reopened_ever"]) == (1, 1, 1)
    assert figures["reopened_open"] == 1
    by_regulation = {row.label: row.total for row in figures["by_regulation"]}
    assert by_regulation == {"Regulation 12: Safe care and treatment": 2, "Regulation 18: Staffing": 1}
    by_question = {row.label: (row.total, row.done) for row in figures["by_key_question"]}
    assert by_question == {"Safe": (2, 0), "Well-led": (1, 1)}


def test_the_cqc_page_shows_the_section_with_register_links_and_the_brag_key(client_for, board, programme):
    # On the CQC page, one click from the dashboard's first screen (issue 14).
    page = client_for(board).get("/dashboard/cqc/").content.decode()
    assert 'href="/actions/?slipped=yes">2 actions slipped</a>' in page
    assert 'href="/actions/?regulation=12&amp;cqc=yes">Regulation 12: Safe care and treatment</a>' in page
    assert 'href="/actions/?key_question=safe&amp;cqc=yes">Safe</a>' in page
    assert "What the status colours mean" in page and 'Blue: <a href="/words/#embedded">embedded</a>' in page


def test_each_register_filter_the_dashboard_links_to_finds_those_actions(client_for, lead, programme):
    client = client_for(lead)
    for query, expected in (
        ("slipped=yes", {"MD-201", "MD-202"}),
        ("regulation=18", {"MD-202"}),
        ("key_question=well_led", {"MD-203"}),
    ):
        page = client.get(f"/actions/?{query}")
        assert {a.reference for a in page.context["actions"]} == expected, query
