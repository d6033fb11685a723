"""The action register (filters in the URL, sorting, paging, export) and "my actions", and the number of
queries each page makes whatever the number of rows.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import Status
from actions.tests.factories import ActionFactory, EvidenceFactory, ProgressUpdateFactory
from pillars.tests.factories import PillarFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def references(response) -> list[str]:
    return [a.reference for a in response.context["actions"]]


@pytest.fixture
def mixed(owner, other_owner, lead, board):
    quality, people = PillarFactory(name="Quality Improvement", slug="quality"), PillarFactory(slug="people")
    culture = ThemeFactory(slug="culture")
    return {
        "late": ActionFactory(
            reference="MD-01",
            title="Safeguarding referrals",
            pillar=quality,
            owner=owner,
            executive_lead=board,
            status=Status.OFF_TRACK,
            due_date=TODAY - datetime.timedelta(days=3),
            themes=[culture],
        ),
        "soon": ActionFactory(
            reference="SD-02",
            action_type="should_do",
            title="Welfare facilities",
            pillar=people,
            owner=other_owner,
            executive_lead=lead,
            status=Status.ON_TRACK,
            due_date=TODAY + datetime.timedelta(days=10),
        ),
        "done_late": ActionFactory(
            reference="IJ-03",
            action_type="improvement",
            title="Listening events",
            pillar=people,
            owner=owner,
            executive_lead=board,
            status=Status.COMPLETE,
            due_date=TODAY - datetime.timedelta(days=30),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["IJ-03", "MD-01", "SD-02"]),
        ({"pillar": "quality"}, ["MD-01"]),
        ({"theme": "culture"}, ["MD-01"]),
        ({"type": "should_do"}, ["SD-02"]),
        ({"status": "complete"}, ["IJ-03"]),
        ({"owner": "owner"}, ["IJ-03", "MD-01"]),
        ({"executive_lead": "lead"}, ["SD-02"]),
        ({"status": ["complete", "off_track"]}, ["IJ-03", "MD-01"]),
        ({"overdue": "yes"}, ["MD-01"]),
        ({"overdue": "on"}, ["MD-01"]),  # the complete one is past its date but not overdue
        ({"q": "welfare"}, ["SD-02"]),
        ({"q": "md-0"}, ["MD-01"]),
        ({"owner": "owner", "status": "off_track"}, ["MD-01"]),
    ],
)
def test_the_register_filters_by_each_field(client_for, lead, mixed, query, expected):
    response = client_for(lead).get("/actions/", query)
    assert response.status_code == 200
    assert references(response) == expected


def test_due_before_a_date_filters_with_the_nhs_date_boxes(client_for, lead, mixed):
    response = client_for(lead).get(
        "/actions/", {"due_before_day": TODAY.day, "due_before_month": TODAY.month, "due_before_year": TODAY.year}
    )
    assert references(response) == ["IJ-03", "MD-01"]


def test_dates_in_a_link_are_iso_and_both_ends_are_inclusive(client_for, lead, mixed):
    # The dashboard links "due in the next 30 days" as due_after=today&due_before=today+30.
    soon = (TODAY + datetime.timedelta(days=10)).isoformat()
    assert references(client_for(lead).get("/actions/", {"due_before": soon})) == ["IJ-03", "MD-01", "SD-02"]
    assert references(client_for(lead).get("/actions/", {"due_after": soon})) == ["SD-02"]
    window = {"due_after": TODAY.isoformat(), "due_before": (TODAY + datetime.timedelta(days=30)).isoformat()}
    assert references(client_for(lead).get("/actions/", window)) == ["SD-02"]


def test_stale_filter_matches_the_dashboards_stale_list(client_for, lead, mixed):
    from actions.models import Action

    Action.objects.filter(reference="SD-02").update(created_at=timezone.now() - datetime.timedelta(days=90))
    expected = sorted(Action.objects.stale().values_list("reference", flat=True))
    assert references(client_for(lead).get("/actions/", {"stale": "yes"})) == expected == ["SD-02"]


def test_sorting_follows_the_brag_scale_and_can_be_reversed(client_for, lead, mixed):
    assert references(client_for(lead).get("/actions/", {"sort": "status"})) == ["SD-02", "MD-01", "IJ-03"]
    assert references(client_for(lead).get("/actions/", {"sort": "-status"})) == ["IJ-03", "MD-01", "SD-02"]
    assert references(client_for(lead).get("/actions/", {"sort": "due"})) == ["IJ-03", "MD-01", "SD-02"]


def test_filters_and_sort_survive_in_the_links_of_the_page(client_for, lead, mixed):
    body = client_for(lead).get("/actions/", {"owner": "owner", "sort": "-due"}).content.decode()
    # The column heading links keep the filter and offer the opposite sort.
    assert 'href="?owner=owner&amp;sort=due"' in body
    assert 'aria-sort="descending"' in body
    # The filter form keeps the sort in a hidden field, and the export link keeps everything.
    assert '<input type="hidden" name="sort" value="-due"' in body
    assert 'href="/actions/export.csv?owner=owner&amp;sort=-due"' in body


def test_the_register_is_paginated_and_pages_keep_the_filters(client_for, lead, owner):
    ActionFactory.create_batch(30, owner=owner)
    response = client_for(lead).get("/actions/", {"owner": "owner"})
    assert len(response.context["actions"]) == 25
    assert "page=2" in response.content.decode() and "owner=owner" in response.content.decode()
    second = client_for(lead).get("/actions/", {"owner": "owner", "page": "2"})
    assert len(second.context["actions"]) == 5


def test_an_unknown_filter_value_is_explained_not_a_crash(client_for, lead, mixed):
    response = client_for(lead).get("/actions/", {"type": "nonsense"})
    assert response.status_code == 200
    assert "from the list shown" in response.content.decode()


@pytest.mark.parametrize(
    "query, opened",
    [
        ({}, False),
        ({"page": "2"}, False),
        ({"type": "nonsense"}, True),  # a filter applied, wrongly: open, with its error
        ({"sort": "nonsense"}, True),  # only the hidden sort, wrongly: open, so its error is seen
        ({"sort": "due"}, False),
        ({"status": ["nonsense", ""]}, True),  # the last value empty: not counted as applied, still checked
    ],
)
def test_the_filters_are_open_when_applied_or_wrong(client_for, lead, mixed, query, opened):
    body = client_for(lead).get("/actions/", query).content.decode()
    assert ('<details class="nhsuk-details" open>' in body) is opened
    assert ("from the list shown" in body) is opened


def test_the_count_and_links_are_served_once_counted_and_a_change_moves_them(client_for, lead, owner):
    ActionFactory.create_batch(30, owner=owner)
    client = client_for(lead)
    client.get("/actions/", {"owner": "owner"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/actions/", {"owner": "owner", "page": "2"})
    assert "30 actions match" in response.content.decode()
    # Page 2's rows are read (a query string of its own); the count and the filters' form are not.
    assert sum("COUNT(" in q["sql"] for q in queries.captured_queries) == 0
    ActionFactory(owner=owner)
    response = client.get("/actions/", {"owner": "owner", "page": "2"})
    assert "31 actions match" in response.content.decode()
    assert len(response.context["actions"]) == 6


def test_my_actions_lists_open_ones_overdue_first_then_finished_ones_after(client_for, owner, other_owner):
    later = ActionFactory(reference="MD-50", owner=owner, due_date=TODAY + datetime.timedelta(days=40))
    sooner = ActionFactory(reference="MD-51", owner=owner, due_date=TODAY + datetime.timedelta(days=5))
    overdue = ActionFactory(reference="MD-52", owner=owner, due_date=TODAY - datetime.timedelta(days=1))
    done = ActionFactory(
        reference="MD-53", owner=owner, status=Status.ASSURED, due_date=TODAY - datetime.timedelta(days=60)
    )
    ActionFactory(reference="MD-54", owner=other_owner)
    response = client_for(owner).get("/actions/mine/")
    # What needs their update first; finished ones after, in a list of their own.
    assert references(response) == [overdue.reference, sooner.reference, later.reference]
    assert [a.reference for a in response.context["done_actions"]] == [done.reference]
    page = response.content.decode()
    assert "overdue by 1 day" in page
    assert page.index("Needs your update") < page.index(sooner.reference) < page.index("Done") < page.index("MD-53")
    # No owner column: every action there is theirs.
    assert ">Owner<" not in page.split("Actions you lead as executive")[0]


def test_the_export_is_the_register_as_filtered(client_for, lead, mixed):
    response = client_for(lead).get("/actions/export.csv", {"owner": "owner", "sort": "-due"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Title", "Description"]
    assert [row[0] for row in rows[1:]] == ["MD-01", "IJ-03"]
    assert rows[1][rows[0].index("Overdue")] == "yes" and rows[1][rows[0].index("Status")] == "Off track"


# --- Query counts ----------------------------------------------------------------------------------


def _make_actions(n, owner, board):
    pillar, theme = PillarFactory(), ThemeFactory()
    for _ in range(n):
        action = ActionFactory(owner=owner, executive_lead=board, pillar=pillar, themes=[theme])
        ProgressUpdateFactory(action=action)
        EvidenceFactory(action=action)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/actions/", "/actions/mine/", "/actions/?owner=owner&sort=-status&overdue=on"])
def test_list_pages_make_the_same_number_of_queries_for_3_or_40_actions(owner, board, url):
    client = signed_in(owner)
    _make_actions(3, owner, board)
    few = _queries(client, url)
    _make_actions(37, owner, board)
    many = _queries(client, url)
    assert few == many, (few, many)


def test_the_action_page_makes_the_same_number_of_queries_for_a_short_or_long_history(lead, owner, board):
    from actions.services.editing import action_update
    from actions.services.progress import action_log_progress
    from actions.tests.test_edit import _data

    action = ActionFactory(owner=owner, executive_lead=board, themes=[ThemeFactory()])
    EvidenceFactory(action=action)
    client = signed_in(lead)
    url = f"/actions/{action.reference}/"
    action_log_progress(action=action, author=owner, narrative="One", status="on_track", percent_complete=10)
    few = _queries(client, url)
    for i in range(15):
        action_log_progress(action=action, author=owner, narrative=f"N{i}", status="at_risk", percent_complete=i)
        action.refresh_from_db()
        data = {**_data(action), "title": f"Title {i}", "themes": [ThemeFactory()]}
        action_update(action=action, editor=lead, data=data, expected_version=action.version)
        EvidenceFactory(action=action)
    many = _queries(client, url)
    assert few == many, (few, many)
