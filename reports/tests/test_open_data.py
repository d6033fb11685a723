"""Open data: the public actions and their current status, as CSV and JSON, documented at /open-data/."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.tests.factories import ActionFactory
from reports.selectors import OPEN_DATA_FIELDS
from reports.tests.test_trust_profile import SMALL
from reports.tests.updates_world import build_world
from reports.trust_profile import trust_profile_load
from secamb_journey.generations import cache_clear

pytestmark = pytest.mark.django_db

FIELDS = ["reference", "title", "type", "pillar", "themes", "status", "percent_complete", "due_date"]
# Issue 13: the governance columns, after the others.
FIELDS += [
    "original_due_date",
    "due_date_revisions",
    "regulations",
    "key_question",
    "core_service",
    "completed_on",
    "assured_on",
]


def test_the_csv_has_one_row_per_public_action_with_the_documented_fields(client):
    build_world()
    response = client.get("/open-data/actions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == FIELDS == [name for name, _ in OPEN_DATA_FIELDS]
    assert [row["reference"] for row in rows] == ["MD-101", "MD-102", "SD-101", "WN-101"]  # IJ-900 is internal
    assert rows[0] == {
        "reference": "MD-101",
        "title": "Check medicines on every vehicle",
        "type": "CQC must-do",
        "pillar": "Responsive Care",
        "themes": "Quality thread",
        "status": "On track",
        "percent_complete": "60",
        "due_date": "2027-03-31",
        "original_due_date": "2027-03-31",
        "due_date_revisions": "",
        "regulations": "",
        "key_question": "",
        "core_service": "",
        "completed_on": "",
        "assured_on": "",
    }


def test_the_json_holds_the_same_actions(client):
    build_world()
    trust_profile_load(SMALL.split("[[goals]]")[0])  # the publisher is the trust the profile names
    data = json.loads(client.get("/open-data/actions.json").content)
    assert data["publisher"] == "Wessex Coast Ambulance Service NHS Trust"
    assert [a["reference"] for a in data["actions"]] == ["MD-101", "MD-102", "SD-101", "WN-101"]
    first = data["actions"][0]
    assert list(first) == FIELDS
    assert (first["themes"], first["percent_complete"], first["due_date"]) == (["Quality thread"], 60, "2027-03-31")


def test_open_data_names_nobody(client):
    build_world()
    for path in ("/open-data/actions.csv", "/open-data/actions.json"):
        text = client.get(path).content.decode()
        for name in ("Zebedee", "Quillfeather", "zquill", "Morag", "assurer"):
            assert name not in text


def test_a_title_a_spreadsheet_would_run_as_a_formula_is_defused(client):
    ActionFactory(reference="MD-001", title='=HYPERLINK("http://evil.example","click")')
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/actions.csv").content.decode())))
    assert rows[0]["title"].startswith("'=HYPERLINK")


def test_the_open_data_page_documents_every_field(client):
    page = client.get("/open-data/").content.decode()
    assert "/open-data/actions.csv" in page and "/open-data/actions.json" in page
    for name in FIELDS:
        assert f"<code>{name}</code>" in page


def test_open_data_takes_the_same_number_of_queries_whatever_the_number_of_actions(client):
    def queries():
        cache_clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get("/open-data/actions.json")
        return len(ctx)

    ActionFactory.create_batch(2)
    few = queries()
    ActionFactory.create_batch(25)
    assert queries() == few
