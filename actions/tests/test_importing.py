"""Importing an action plan: every problem named by row and column in a preview, then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from actions.importing.plan import ImportFileProblem, ImportRefused, check_action_plan, import_action_plan
from actions.importing.rows import parse_due_date
from actions.models import Action
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

HEADING = "Reference,Title,Description,Type,CQC regulation,Pillar,Themes,Owner,Executive lead,Due date,Public"


@pytest.fixture
def catalogue(db):
    PillarFactory(name="Responsive Care", number=2, slug="responsive-care")
    ThemeFactory(short_name="Culture", slug="culture")
    ThemeFactory(short_name="Great place to work", slug="great-place-to-work")


def plan(*rows: str) -> bytes:
    return ("\n".join([HEADING, *rows]) + "\n").encode()


GOOD = (
    "MD-20,Check vehicle medicines,Monthly audit,,12,Responsive Care,Culture; great place to work,"
    "owner,Alan Reed,31/03/2027,yes"
)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_good_plan_is_previewed_then_imported_all_at_once(catalogue, lead, owner, board):
    client = signed_in(lead)
    content = plan(
        GOOD, "IJ-21,Run listening events,,Trust improvement action,,2,,owner2@example.nhs.uk,lead,2027-01-15,no"
    )
    from actions.tests.factories import UserFactory
    from secamb_journey.roles import Role

    UserFactory(username="owner2", roles=[Role.OWNER])
    preview = client.post("/actions/import/", {"file": SimpleUploadedFile("plan.csv", content)})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Import 2 actions" in body and "New action" in body
    assert not Action.objects.exists()  # the preview saves nothing

    digest = preview.context["digest"]
    done = client.post("/actions/import/", {"confirm": digest})
    assert done.status_code == 302 and done["Location"] == "/actions/"
    md = Action.objects.get(reference="MD-20")
    assert md.action_type == "must_do" and md.cqc_regulation == "12" and md.owner == owner
    assert md.executive_lead == board and sorted(t.short_name for t in md.themes.all()) == [
        "Culture",
        "Great place to work",
    ]
    ij = Action.objects.get(reference="IJ-21")
    assert ij.is_public is False and ij.executive_lead == lead and ij.status == "not_started"
    assert md.history.first().history_user == lead


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_saved(catalogue, lead, owner, board):
    content = plan(
        GOOD,
        "SD-5,,,,99,Nowhere,Nonsense,nobody,Alan Reed,31/02/2027,maybe",
        "MD-20,Duplicate,,,,Responsive Care,,owner,board,2027-01-01,",
        "XX-01,Bad type,,CQC must-do,,2,,owner,board,,",
    )
    client = signed_in(lead)
    response = client.post("/actions/import/", {"file": SimpleUploadedFile("plan.csv", content)})
    problems = {(p.row, p.column) for p in response.context["preview"].problems}
    assert {
        (3, "Reference"),
        (3, "Title"),
        (3, "CQC regulation"),
        (3, "Pillar"),
        (3, "Themes"),
        (3, "Owner"),
        (3, "Due date"),
        (3, "Public"),
        (4, "Reference"),
        (5, "Reference"),
        (5, "Due date"),
    } <= problems
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "“Nowhere” is not a pillar" in body and "“31/02/2027” is not a date" in body
    assert "MD-20 is already on row 2." in body
    assert "Import " not in body.split("Upload the corrected file")[0].split("</table>")[-1]  # no import button
    # Even a confirm for this file is refused: nothing is saved.
    client.post("/actions/import/", {"confirm": response.context["digest"]})
    assert not Action.objects.exists()


def test_the_whole_import_is_undone_if_one_action_cannot_be_saved(catalogue, lead, owner, board, monkeypatch):
    import actions.importing.plan as importing

    real_create = importing.action_create
    calls = []

    def create_then_fail(**kwargs):
        calls.append(kwargs["data"]["reference"])
        if len(calls) == 2:
            ActionFactory(reference="SD-30", action_type="should_do")  # someone else got there first
        return real_create(**kwargs)

    monkeypatch.setattr(importing, "action_create", create_then_fail)
    content = plan(GOOD, "SD-30,Welfare,,,,2,,owner,board,2027-01-01,")
    with pytest.raises(ImportRefused) as refused:
        import_action_plan(name="plan.csv", content=content, creator=lead)
    assert "SD-30 already exists" in refused.value.preview.problems[-1].message
    # MD-20 was saved before SD-30 failed, and is gone: the import is one transaction. (The stand-in for
    # the other person's SD-30 was made inside that transaction too, so it went with it.)
    assert calls == ["MD-20", "SD-30"]
    assert not Action.objects.exists()


def test_an_exported_plan_with_a_new_row_added_imports_only_the_new_row(catalogue, lead, owner, board):
    ActionFactory(reference="MD-40", title="Existing", owner=owner, executive_lead=board, pillar=PillarFactory())
    client = signed_in(lead)
    export = client.get("/actions/export.csv").content
    content = export + b"MD-41,Brand new,,,,2,,owner,board,2027-01-01,yes\r\n"
    preview = check_action_plan(name="plan.csv", content=content)
    assert preview.problems == []
    assert [r.reference for r in preview.unchanged_rows] == ["MD-40"]
    assert [r.reference for r in preview.new_rows] == ["MD-41"]


def test_a_changed_existing_row_without_its_exported_version_is_refused_rather_than_overwriting(
    catalogue, lead, owner, board
):
    # Issue 13: the import changes existing actions, but only from a row that says which version it read.
    ActionFactory(reference="MD-20", title="Stored title", owner=owner, executive_lead=board)
    preview = check_action_plan(name="plan.csv", content=plan(GOOD))
    version = next(p for p in preview.problems if p.column == "Version")
    assert "MD-20 already exists: to change it, keep the Version column from an export" in version.message


def test_an_excel_workbook_is_read_too(catalogue, lead, owner, board):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADING.split(","))
    sheet.append(
        [
            "WN-22",
            "Fit and proper persons",
            "",
            "",
            19,
            "Responsive Care",
            "",
            "owner",
            "board",
            datetime.datetime(2027, 2, 1),
            "yes",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = check_action_plan(name="plan.xlsx", content=buffer.getvalue())
    assert preview.problems == []
    assert preview.rows[0].data["due_date"] == datetime.date(2027, 2, 1)
    assert preview.rows[0].data["cqc_regulation"] == "19"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "must be a CSV file or an Excel workbook"),
        ("plan.xlsx", b"Reference,Title\n", "not an Excel workbook"),
        ("plan.xlsx", b"PK\x03\x04broken", "not an Excel workbook that can be read"),
        ("plan.csv", b"Reference,Title\n", "Missing: Pillar, Owner, Executive lead, Due date"),
        ("plan.csv", HEADING.encode() + b"\n\n", "no actions under it"),
        ("plan.csv", b"\x00\x01\x02", "not a CSV file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(
    client_for, lead, catalogue, name, content, message
):
    response = client_for(lead).post("/actions/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists()


def test_a_stale_or_forged_confirmation_is_refused(client_for, lead, catalogue):
    response = client_for(lead).post("/actions/import/", {"confirm": "0" * 64}, follow=True)
    assert "That preview has expired or belongs to another file" in response.content.decode()
    assert not Action.objects.exists()


def test_uk_dates_are_read_day_first():
    import datetime

    assert parse_due_date("03/04/2027") == datetime.date(2027, 4, 3)
    assert parse_due_date("3 April 2027") == datetime.date(2027, 4, 3)
    assert parse_due_date("2027-04-03") == datetime.date(2027, 4, 3)
    assert parse_due_date("04/31/2027") is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=30), max_size=12), max_size=6))
def test_any_csv_at_all_gives_a_preview_or_a_file_problem_never_a_crash(catalogue, rows):
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([HEADING.split(","), *rows])
    try:
        preview = check_action_plan(name="plan.csv", content=buffer.getvalue().encode())
    except ImportFileProblem:
        return
    for problem in preview.problems:
        assert problem.row >= 2 and problem.column and problem.message
    assert not Action.objects.exists()
