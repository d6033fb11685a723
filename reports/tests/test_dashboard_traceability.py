"""The board trusts the numbers: every count on a dashboard page (the first screen, its drill-downs, the
CQC page) that links to the register leads to exactly the actions it counts, and every count in the
board pack heads exactly the actions it lists (issue 25).

Checked by following every link, not by reading the link-builder: the register's rows must be the
ones a recount here picks, action by action, with each rule's instance twin (Action.is_overdue_on,
.is_slipped, .is_awaiting_ratification, ...) and the raw governance records, on a data set with an
action in every state (reports.tests.dashboard_data.EveryState).
"""

import datetime
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from actions.choices import Status
from actions.models import Action
from reports.services.board_pack import board_pack_generate
from reports.tests.dashboard_data import DASHBOARD_PAGES, EveryState

pytestmark = pytest.mark.django_db

# <a ... href="/actions/?...">12 overdue</a>: a figure linked to the register; the link's text starts
# with the number it counts ("3 of 10 actions" links to the 3).
REGISTER_LINK = re.compile(r'<a[^>]*href="(/actions/\?[^"]*)"[^>]*>(.*?)</a>', re.S)
LEADING_NUMBER = re.compile(r"^\s*(\d[\d,]*)\b")


def linked_counts(page: str) -> list[tuple[str, str]]:
    found = []
    for href, inner in REGISTER_LINK.findall(page):
        number = LEADING_NUMBER.match(re.sub(r"<[^>]+>", " ", inner))
        if number:
            found.append((href, number.group(1)))
    return found


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _local_day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def recount(query: str) -> set[str]:
    """The references the register's filters in `query` should pick, recounted here one action at a
    time from each rule's instance twin and the raw records. A parameter this does not know fails the
    test: a new filter a count links to must be recounted here too."""
    today, now = timezone.localdate(), timezone.now()
    tests = []
    for name, value in parse_qsl(query):
        day = _date(value) if name.endswith(("_since", "_after", "_before")) else None
        tests.append(
            {
                "pillar": lambda a, v=value: a.pillar.slug == v,
                "theme": lambda a, v=value: v in {t.slug for t in a.themes.all()},
                "type": lambda a, v=value: a.action_type == v,
                "cqc": lambda a: a.is_cqc,
                "status": None,  # repeatable: handled below
                "owner": lambda a, v=value: a.owner.username == v,
                "executive_lead": lambda a, v=value: a.executive_lead.username == v,
                "overdue": lambda a: a.is_overdue_on(today),
                "stale": lambda a: a.is_stale_at(now),
                "due_after": lambda a, d=day: a.due_date >= d,
                "due_before": lambda a, d=day: a.due_date <= d,
                "slipped": lambda a: a.is_slipped,
                "slipped_twice": lambda a: (
                    a.is_slipped and sum(r.state == "agreed" and r.is_slip for r in a.due_date_revisions.all()) >= 2
                ),
                "brought_forward": lambda a: a.is_brought_forward,
                "revision_pending": lambda a: any(r.state == "requested" for r in a.due_date_revisions.all()),
                "awaiting_ratification": lambda a: a.is_awaiting_ratification,
                "on_agenda": lambda a: any(d.decision == "pending" for d in a.committee_decisions.all()),
                "review_due": lambda a: a.is_review_due_on(today),
                "embedded": lambda a: a.is_embedded,
                "reopened": lambda a: a.is_reopened,
                "reopened_open": lambda a: a.is_reopened_open,
                "regulation": lambda a, v=value: v in {r.number for r in a.regulations.all()},
                "key_question": lambda a, v=value: a.key_question == v,
                "core_service": lambda a, v=value: a.core_service == v,
                "completed_since": lambda a, d=day: (
                    a.is_done and _local_day(a.completed_at) is not None and _local_day(a.completed_at) >= d
                ),
                "slipped_since": lambda a, d=day: any(
                    r.state == "agreed" and r.decided_on >= d and r.is_slip for r in a.due_date_revisions.all()
                ),
                "brought_forward_since": lambda a, d=day: any(
                    r.state == "agreed" and r.decided_on >= d and r.is_brought_forward
                    for r in a.due_date_revisions.all()
                ),
                "reopened_since": lambda a, d=day: any(_local_day(r.reopened_at) >= d for r in a.reopenings.all()),
            }[name]  # KeyError: a filter this recount does not know
        )
    statuses = [value for name, value in parse_qsl(query) if name == "status"]
    picked = set()
    for action in Action.objects.all():
        if statuses and action.status not in statuses:
            continue
        if all(test(action) for test in tests if test is not None):
            picked.add(action.reference)
    return picked


def register_references(client, href: str) -> set[str]:
    response = client.get(href)
    assert response.status_code == 200, href
    form = response.context["filterset"].form
    assert form.is_valid(), (href, form.errors)  # every parameter the dashboard sends is understood
    paginator = response.context["page_obj"].paginator
    assert paginator.num_pages == 1, href  # the data set is small: every row is on the page
    references = {a.reference for a in response.context["actions"]}
    assert len(references) == paginator.count, href
    return references


@pytest.fixture
def every_state(db):
    return EveryState()


def test_the_data_set_has_an_action_in_every_state(every_state):
    today = timezone.localdate()
    actions = list(Action.objects.all())
    assert any(a.is_awaiting_review for a in actions)  # ratified
    assert any(a.is_review_due_on(today) for a in actions)
    assert any(a.is_embedded for a in actions)
    assert any(a.is_reopened_open for a in actions)
    assert any(d.decision == "returned" for a in actions for d in a.committee_decisions.all())
    assert any(a.is_slipped and not a.is_done for a in actions) and any(a.is_slipped and a.is_done for a in actions)
    assert any(a.is_brought_forward for a in actions)
    assert any(r.state == "requested" for a in actions for r in a.due_date_revisions.all())
    assert any(not a.is_public for a in actions)
    assert any(a.is_awaiting_ratification for a in actions)
    assert any(a.is_overdue_on(today) for a in actions)


@pytest.mark.parametrize("path", DASHBOARD_PAGES)
def test_every_linked_count_leads_to_exactly_the_actions_it_counts(client_for, board, lead, every_state, path):
    page = client_for(board).get(path).content.decode()
    links = linked_counts(page)
    assert len(links) >= 5, "expected the page's figures to link to the register"
    register = client_for(lead)
    for href, shown in links:
        href = unescape(href)
        listed = register_references(register, href)
        assert len(listed) == int(shown.replace(",", "")), (
            f"{path}: {href} shows {shown} but the register lists {listed}"
        )
        assert listed == recount(urlsplit(href).query), f"{path}: {href} lists {listed}"


def test_the_cqc_page_counts_and_links_every_governance_state(client_for, board, every_state):
    """Each state has its count on the CQC page, and it is the data set's, not 0 beside a list of 1."""
    page = unescape(client_for(board).get("/dashboard/cqc/").content.decode())
    shown = {href: int(n) for href, n in linked_counts(page)}
    expected = {
        "/actions/?slipped=yes": 2,  # IJ-010, and MD-015 (since done)
        "/actions/?slipped_twice=yes": 1,  # IJ-010
        "/actions/?brought_forward=yes": 1,
        "/actions/?revision_pending=yes": 1,
        "/actions/?awaiting_ratification=yes": 3,  # MD-002, MD-012 (returned), MD-013 (on an agenda)
        "/actions/?on_agenda=yes": 1,
        "/actions/?review_due=yes": 1,
        "/actions/?embedded=yes": 1,
        "/actions/?reopened=yes": 1,
        "/actions/?reopened_open=yes": 1,
    }
    assert {href: shown.get(href) for href in expected} == expected


def test_a_date_brought_forward_is_never_shown_as_a_slip_in_the_pack(every_state):
    figures = board_pack_generate().pack.figures
    slipped = figures["exceptions"]["slipped"]["rows"]
    brought_forward = figures["exceptions"]["brought_forward"]["rows"]
    assert [(r["reference"], r["days"]) for r in slipped] == [("IJ-010", 15), ("IJ-010", 15)]
    assert [(r["reference"], r["days"]) for r in brought_forward] == [("IJ-011", 20)]
    assert all(r["days"] > 0 for r in slipped + brought_forward)


# "<h3 id="overdue">Overdue (3)</h3> <ul> <li><a href=".../actions/MD-003/">": a count in the pack and
# the actions listed under it.
PACK_SECTION = re.compile(r'<h3 id="([a-z-]+)">[^<(]*\((\d+)\)</h3>\s*(?:<ul[^>]*>(.*?)</ul>|<p>None\.</p>)', re.S)
PACK_ACTION = re.compile(r'href="[^"]*/actions/([A-Z]{2}-\d+)/"')


def test_every_count_in_the_pack_heads_exactly_the_actions_it_counts(every_state):
    pack = board_pack_generate().pack
    today = timezone.localdate()
    since = timezone.localdate(pack.generated_at - datetime.timedelta(days=90))
    actions = list(Action.objects.all())
    # Each list names an action once, but the due-date lists name a revision each: an action whose date
    # moved twice in the window is there twice.
    expected = {
        "off-track": sorted(a.reference for a in actions if a.status == Status.OFF_TRACK),
        "overdue": sorted(a.reference for a in actions if a.is_overdue_on(today)),
        "slipped": sorted(
            a.reference
            for a in actions
            for r in a.due_date_revisions.all()
            if r.state == "agreed" and r.decided_on >= since and r.is_slip
        ),
        "brought-forward": sorted(
            a.reference
            for a in actions
            for r in a.due_date_revisions.all()
            if r.state == "agreed" and r.decided_on >= since and r.is_brought_forward
        ),
        "reopened": sorted(
            a.reference for a in actions for r in a.reopenings.all() if _local_day(r.reopened_at) >= since
        ),
        "returned": sorted(
            a.reference
            for a in actions
            for d in a.committee_decisions.all()
            if d.decision == "returned" and _local_day(d.recorded_at) >= since
        ),
    }
    sections = {
        key: (int(total), sorted(PACK_ACTION.findall(rows or "")))
        for key, total, rows in PACK_SECTION.findall(pack.html)
    }
    assert set(expected) <= set(sections)
    for key, references in expected.items():
        total, listed = sections[key]
        assert (total, listed) == (len(references), references), key
    # Every state has its rows: the data set makes each list non-empty.
    assert all(expected.values())
    # The summary's and the appendix's overdue are the same rule's.
    summary = pack.figures["summary"]
    assert summary["overdue"] == len(expected["overdue"])
    assert sorted(a["reference"] for a in pack.figures["appendix"] if a["overdue"]) == expected["overdue"]
    assert {a["reference"]: a["days_overdue"] for a in pack.figures["appendix"] if a["overdue"]} == {
        a.reference: a.days_overdue_on(today) for a in actions if a.is_overdue_on(today)
    }
    # The ratification section: what is on an agenda, and every assured action not yet ratified.
    ratification = pack.figures["ratification"]
    assert {r["reference"] for r in ratification["rows"]} == {
        a.reference for a in actions for d in a.committee_decisions.all() if d.decision == "pending"
    }
    assert ratification["awaiting_ratification"] == sum(a.is_awaiting_ratification for a in actions)
    # The summary's tables: by status and by pillar, recounted action by action.
    assert {value: n for value, _label, n in summary["by_status"]} == {
        status: sum(a.status == status for a in actions) for status in Status.values
    }
    assert {p["name"]: (p["total"], p["overdue"], p["off_track"]) for p in summary["pillars"]} == {
        pillar.name: (
            sum(a.pillar_id == pillar.pk for a in actions),
            sum(a.pillar_id == pillar.pk and a.is_overdue_on(today) for a in actions),
            sum(a.pillar_id == pillar.pk and a.status == Status.OFF_TRACK for a in actions),
        )
        for pillar in (every_state.quality, every_state.responsive)
    }
    headline = {key: value for key, _label, value in pack.figures["headline"]}
    assert headline["slipped"] == sum(a.is_slipped for a in actions)
    assert headline["reopened_open"] == sum(a.is_reopened_open for a in actions)
    assert headline["overdue"] == len(expected["overdue"])


def test_a_date_brought_forward_reads_as_brought_forward_on_the_register_the_action_and_the_pack(
    client_for, lead, every_state
):
    register = client_for(lead).get("/actions/?brought_forward=yes").content.decode()
    assert "Brought forward from" in register and "Slipped from" not in register
    page = client_for(lead).get("/actions/IJ-011/").content.decode()
    assert "Brought forward: the agreed due date is 20 days before the original." in page
    html = board_pack_generate().pack.html
    assert "(20 days earlier)" in html and "-20 days" not in html and "−20" not in html
