"""The import changes existing actions matched by reference (issue 13): previewed field by field, saved
as if through the edit page, and refused whole when any row breaks a rule.
"""

import csv
import io

import pytest
from django.test import Client

from actions.importing.plan import ImportRefused, check_action_plan, import_action_plan
from actions.models import Action, Regulation
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory

pytestmark = pytest.mark.django_db


def exported(lead) -> list[dict]:
    client = Client()
    client.force_login(lead)
    text = client.get("/actions/export.csv").content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def stored(owner, board):
    return ActionFactory(
        reference="MD-070", title="Stored title", owner=owner, executive_lead=board, pillar=PillarFactory(number=1)
    )


def test_the_export_carries_the_version_original_due_date_revisions_and_regulatory_columns(lead, stored):
    row = exported(lead)[0]
    assert row["Version"] == "1"
    assert row["Original due date"] == stored.original_due_date.isoformat()
    assert row["Due date revisions"] == "0"
    for heading in ("CQC finding", "Regulations", "Key question", "Core service", "Source", "Due date reason"):
        assert heading in row


def test_a_changed_row_is_previewed_field_by_field_and_saved_through_the_edit_service(lead, stored):
    rows = exported(lead)
    rows[0].update({"Title": "New title", "Regulations": "12; 17", "Key question": "Well-led"})
    preview = check_action_plan(name="plan.csv", content=as_csv(rows), importer=lead)
    assert preview.problems == []
    (row,) = preview.update_rows
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("Title", "Stored title", "New title"),
        ("Regulations", "", "12; 17"),
        ("Key question", "", "Well-led"),
    ]
    import_action_plan(name="plan.csv", content=as_csv(rows), creator=lead)
    stored.refresh_from_db()
    assert stored.title == "New title" and stored.key_question == "well_led" and stored.version == 2
    assert set(stored.regulations.values_list("number", flat=True)) == {"12", "17"}
    assert stored.history.first().history_user == lead  # recorded as if through the form


def test_a_new_due_date_without_a_reason_refuses_the_whole_file(lead, stored, owner):
    rows = exported(lead)
    new_due = stored.due_date.replace(year=stored.due_date.year + 1)
    rows[0]["Due date"] = new_due.isoformat()
    rows.append({**rows[0], "Reference": "MD-071", "Title": "Brand new", "Version": "", "Due date reason": ""})
    with pytest.raises(ImportRefused) as refused:
        import_action_plan(name="plan.csv", content=as_csv(rows), creator=lead)
    assert [(p.row, p.column) for p in refused.value.preview.problems] == [(2, "Due date reason")]
    assert not Action.objects.filter(reference="MD-071").exists()  # nothing saved, not even the new row
    rows[0]["Due date reason"] = "Supplier delay"
    import_action_plan(name="plan.csv", content=as_csv(rows), creator=lead)
    stored.refresh_from_db()
    assert stored.due_date == new_due and stored.is_slipped
    assert stored.due_date_revisions.get().reason == "Supplier delay"


def test_a_row_exported_before_someone_else_changed_the_action_is_refused(lead, stored):
    rows = exported(lead)
    rows[0]["Title"] = "Mine"
    Action.objects.filter(pk=stored.pk).update(version=2, title="Theirs")
    preview = check_action_plan(name="plan.csv", content=as_csv(rows), importer=lead)
    assert [p.column for p in preview.problems] == ["Version"]
    assert "has changed since this row was exported" in preview.problems[0].message


def test_an_owner_who_does_not_exist_refuses_the_row(lead, stored):
    rows = exported(lead)
    rows[0]["Owner"] = "nobody-here"
    preview = check_action_plan(name="plan.csv", content=as_csv(rows), importer=lead)
    assert [p.column for p in preview.problems] == ["Owner"]


def test_a_lead_cannot_move_the_due_date_of_their_own_action_by_import(lead, board):
    own = ActionFactory(reference="MD-072", owner=lead, executive_lead=board)
    rows = exported(lead)
    rows[0].update({"Due date": own.due_date.replace(year=own.due_date.year + 1).isoformat(), "Due date reason": "x"})
    preview = check_action_plan(name="plan.csv", content=as_csv(rows), importer=lead)
    assert [p.column for p in preview.problems] == ["Due date"]
    assert "You own this action" in preview.problems[0].message


def test_an_unknown_regulation_is_refused(lead, stored):
    assert Regulation.objects.filter(number="20A").exists()  # seeded by the migration
    rows = exported(lead)
    rows[0]["Regulations"] = "12; 99"
    preview = check_action_plan(name="plan.csv", content=as_csv(rows), importer=lead)
    assert [p.column for p in preview.problems] == ["Regulations"]
