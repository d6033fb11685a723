"""Where owners, executive leads and improvement leads start: my actions (owned and led) and the lead's queue."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from actions.choices import ActionType, Status
from actions.selectors.queue_decisions import queue_decisions
from actions.services.governance import due_date_revision_request
from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_my_actions_shows_those_a_board_member_leads_as_executive(client_for, board, action):
    body = client_for(board).get("/actions/mine/").content.decode()
    assert "Actions you lead as executive" in body
    assert action.reference in body


def test_my_actions_keeps_owned_and_led_apart(client_for, owner, board, action):
    led_by_owner = ActionFactory(reference="SD-050", action_type="should_do", executive_lead=owner)
    body = client_for(owner).get("/actions/mine/").content.decode()
    owned, led = body.split("Actions you lead as executive", 1)
    assert action.reference in owned and led_by_owner.reference not in owned
    assert led_by_owner.reference in led


def test_the_queue_lists_complete_actions_the_lead_may_assure_but_never_their_own(client_for, lead, complete_action):
    own = ActionFactory(reference="MD-077", owner=lead, status=Status.COMPLETE)
    body = client_for(lead).get("/actions/queue/").content.decode()
    awaiting = body.split('id="awaiting_assurance"', 1)[1].split("</section>", 1)[0]
    assert "Awaiting your assurance (1)" in awaiting
    assert complete_action.reference in awaiting
    assert own.reference not in awaiting


def test_the_queue_counts_overdue_and_stale_actions_and_links_each_to_the_register(client_for, lead, settings):
    today = timezone.localdate()
    overdue = ActionFactory(reference="MD-081", due_date=today - datetime.timedelta(days=3), status=Status.AT_RISK)
    stale = ActionFactory(reference="MD-082", status=Status.ON_TRACK)
    stale.created_at = timezone.now() - datetime.timedelta(days=settings.STALE_AFTER_DAYS + 5)
    stale.save()
    ActionFactory(reference="MD-083", status=Status.ASSURED)  # done: neither overdue nor stale (only to ratify)
    body = client_for(lead).get("/actions/queue/").content.decode()
    assert 'href="#overdue"' in body and 'href="#stale"' in body
    overdue_section = body.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    stale_section = body.split('id="stale"', 1)[1].split("</section>", 1)[0]
    assert "Overdue (1)" in overdue_section and overdue.reference in overdue_section
    assert stale.reference in stale_section
    assert "MD-083" not in overdue_section and "MD-083" not in stale_section
    assert "MD-083" in body.split('id="to_ratify"', 1)[1].split("</section>", 1)[0]


def test_a_long_queue_section_links_to_all_of_them_in_the_register(client_for, lead):
    from actions.selectors.queue import QUEUE_SECTION_SIZE

    past = timezone.localdate() - datetime.timedelta(days=1)
    ActionFactory.create_batch(QUEUE_SECTION_SIZE + 1, due_date=past, status=Status.ON_TRACK)
    body = client_for(lead).get("/actions/queue/").content.decode()
    assert f'href="/actions/?overdue=on">See all {QUEUE_SECTION_SIZE + 1} in the action register</a>' in body


@pytest.mark.parametrize("persona", ["owner", "board", "comms"])
def test_only_improvement_leads_have_a_work_queue(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get("/actions/queue/").status_code == 403


def _log(action, author, status, percent):
    from actions.services.progress import action_log_progress

    action.refresh_from_db()
    action_log_progress(action=action, author=author, narrative="Work done.", status=status, percent_complete=percent)


def _awaiting(body):
    return body.split('id="awaiting_assurance"', 1)[1].split("</section>", 1)[0]


def test_the_queue_leaves_out_what_the_lead_completed_or_gave_evidence_for_themselves(client_for, lead, owner):
    from actions.tests.factories import EvidenceFactory

    logged = ActionFactory(reference="MD-091", owner=owner)
    EvidenceFactory(action=logged, uploaded_by=owner)
    _log(logged, lead, Status.COMPLETE, 100)  # four eyes: the lead logged the completion
    evidenced = ActionFactory(reference="MD-092", owner=owner)
    EvidenceFactory(action=evidenced, uploaded_by=lead)  # four eyes: the lead attached the evidence
    _log(evidenced, owner, Status.COMPLETE, 100)
    body = client_for(lead).get("/actions/queue/").content.decode()
    awaiting = _awaiting(body)
    assert "Awaiting your assurance (0)" in awaiting
    assert "MD-091" not in awaiting and "MD-092" not in awaiting


def test_the_queue_lists_an_action_the_lead_touched_only_before_it_was_reopened(client_for, lead, owner):
    from actions.tests.factories import EvidenceFactory

    action = ActionFactory(reference="MD-093", owner=owner)
    EvidenceFactory(action=action, uploaded_by=owner)
    _log(action, lead, Status.COMPLETE, 100)
    _log(action, owner, Status.ON_TRACK, 60)  # reopened: a new cycle, the lead's completion is history
    _log(action, owner, Status.COMPLETE, 100)
    awaiting = _awaiting(client_for(lead).get("/actions/queue/").content.decode())
    assert "Awaiting your assurance (1)" in awaiting and "MD-093" in awaiting


def test_the_queue_lists_leavers_actions_that_need_a_new_owner(client_for, lead):
    from actions.tests.factories import UserFactory
    from secamb_journey.roles import Role

    leaver = UserFactory(username="gone", roles=[Role.OWNER], is_active=False)
    ActionFactory(reference="MD-094", owner=leaver, status=Status.ON_TRACK)
    ActionFactory(reference="MD-095", owner=leaver, status=Status.ASSURED)  # done: needs nobody
    body = client_for(lead).get("/actions/queue/").content.decode()
    section = body.split('id="needs_owner"', 1)[1].split("</section>", 1)[0]
    assert "Open actions that need a new owner (1)" in section
    assert "MD-094" in section and "MD-095" not in section
    assert 'href="#needs_owner"' in body


def test_the_queue_lists_requested_due_date_revisions_but_not_on_the_leads_own_actions(client_for, lead, owner):
    from actions.services.governance import due_date_revision_request

    theirs = ActionFactory(reference="MD-096", owner=owner, status=Status.ON_TRACK)
    own = ActionFactory(reference="MD-097", owner=lead, status=Status.ON_TRACK)
    for action, who in ((theirs, owner), (own, lead)):
        due_date_revision_request(
            action=action,
            requested_by=who,
            new_date=action.due_date + datetime.timedelta(days=30),
            reason="The supplier is late.",
        )
    body = client_for(lead).get("/actions/queue/").content.decode()
    section = body.split('id="revisions"', 1)[1].split("</section>", 1)[0]
    assert "Due-date revisions awaiting agreement (1)" in section
    assert "MD-096" in section and "MD-097" not in section
    # The list of counts agrees in number: one revision, none returned.
    counts = body.split('class="nhsuk-list app-queue-counts"', 1)[1].split("</ul>", 1)[0]
    assert "</span> due-date revision awaiting agreement<" in counts
    assert "</span> returned to their owners, not assured<" in counts


def test_a_queue_row_says_what_a_revision_asks_and_links_to_its_decision_page(client_for, owner, lead, action):
    action.due_date = datetime.date(2030, 11, 30)
    action.save()
    asked = due_date_revision_request(
        action=action, requested_by=owner, new_date=datetime.date(2031, 1, 31), reason="The supplier is late"
    )
    body = client_for(lead).get("/actions/queue/").content.decode()
    section = body.split('id="revisions"', 1)[1].split("</section>", 1)[0]
    assert (
        '30 November 2030</span> <span aria-hidden="true">→</span><span class="nhsuk-u-visually-hidden">to</span> '
        '<span class="app-nowrap">31 January 2031</span>, because the supplier is late'
    ) in section
    decide = f"/actions/{action.reference}/due-date/{asked.pk}/"
    assert f'href="{decide}">Agree or refuse<span class="nhsuk-u-visually-hidden"> {action.reference}</span>' in section
    # The link leads to the decision form itself, at the top of a page of its own.
    page = client_for(lead).get(decide).content.decode()
    assert "Decide on the new due date" in page and 'name="decision"' in page


def test_a_completion_in_the_queue_links_to_the_sign_off_page(client_for, lead, complete_action):
    body = client_for(lead).get("/actions/queue/").content.decode()
    awaiting = body.split('id="awaiting_assurance"', 1)[1].split("</section>", 1)[0]
    assert f'href="/actions/{complete_action.reference}/assure/">Sign off or return' in awaiting


def test_what_a_section_of_decisions_asks_is_said_once_above_its_rows(client_for, lead, complete_action):
    second = ActionFactory(
        reference="MD-031", action_type=ActionType.MUST_DO, status=Status.COMPLETE, percent_complete=100
    )
    body = client_for(lead).get("/actions/queue/").content.decode()
    awaiting = body.split('id="awaiting_assurance"', 1)[1].split("</section>", 1)[0]
    assert second.reference in awaiting and complete_action.reference in awaiting
    assert awaiting.count("sign it off as assured or return it to its owner") == 1
    assert awaiting.index("sign it off as assured") < awaiting.index("<table")


def test_a_completion_and_an_assured_action_say_what_happened_and_when():
    at = timezone.make_aware(datetime.datetime(2026, 3, 3, 12))
    dated = ActionFactory(reference="MD-041", completed_at=at, assured_at=at)
    undated = ActionFactory(reference="MD-042", completed_at=None, assured_at=None)
    sections = [SimpleNamespace(key=key, actions=[dated, undated]) for key in ("awaiting_assurance", "to_ratify")]
    completions, to_ratify = (section.decisions for section in queue_decisions(sections))
    assert [row.summary for row in completions] == ["Marked complete on 3 March 2026", "Marked complete"]
    assert [row.summary for row in to_ratify] == ["Assured on 3 March 2026", "Assured"]
    assert [row.decide_url for row in to_ratify] == ["/actions/MD-041/committee/", "/actions/MD-042/committee/"]
    assert {row.decide_words for row in to_ratify} == {"Put to a committee"}
