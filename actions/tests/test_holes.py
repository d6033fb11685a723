"""Holes found while giving every rule one home (issue 11), each pinned by a test that failed first."""

import base64
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action, PendingUpload
from actions.services.editing import action_create
from actions.services.progress import evidence_attach
from actions.tests.factories import ActionFactory
from actions.tests.test_importing import GOOD, HEADING, catalogue, plan  # noqa: F401 -- the fixture
from pillars.tests.factories import PillarFactory
from secamb_journey.forms import size_in_words

pytestmark = pytest.mark.django_db


# --- The import keeps the uploaded file on the server, not in the session ---------------------------


def _preview(client, content=None):
    content = content or plan(GOOD)
    response = client.post("/actions/import/", {"file": SimpleUploadedFile("plan.csv", content)})
    assert response.status_code == 200
    return content, response.context["digest"]


def test_the_uploaded_plan_is_kept_server_side_and_never_in_the_session(client_for, lead, owner, board, catalogue):  # noqa: F811
    client = client_for(lead)
    content, digest = _preview(client)
    session = repr(dict(client.session))
    assert base64.b64encode(content).decode() not in session and GOOD not in session
    assert bytes(PendingUpload.objects.get(sha256=digest).content) == content
    assert client.post("/actions/import/", {"confirm": digest}).status_code == 302
    assert Action.objects.filter(reference="MD-20").exists()
    assert not PendingUpload.objects.exists()  # gone once imported


def test_an_upload_older_than_an_hour_has_expired(client_for, lead, owner, board, catalogue):  # noqa: F811
    client = client_for(lead)
    _, digest = _preview(client)
    PendingUpload.objects.update(uploaded_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    response = client.post("/actions/import/", {"confirm": digest}, follow=True)
    assert "That preview has expired" in response.content.decode()
    assert not Action.objects.exists()


def test_nobody_can_confirm_another_persons_upload(client_for, lead, other_lead, owner, board, catalogue):  # noqa: F811
    _, digest = _preview(client_for(lead))
    response = client_for(other_lead).post("/actions/import/", {"confirm": digest}, follow=True)
    assert "That preview has expired" in response.content.decode()
    assert not Action.objects.exists()


# --- Size limits under 1 MB are said correctly -----------------------------------------------------


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (500 * 1024, "500 KB"),
        (1024 * 1024, "1 MB"),
        (10 * 1024 * 1024, "10 MB"),
        (1536 * 1024, "1.5 MB"),
        (900, "900 bytes"),
    ],
)
def test_a_size_limit_is_said_in_the_unit_people_read(size, words):
    assert size_in_words(size) == words


def test_an_evidence_file_over_a_500_kb_limit_is_refused_naming_500_kb(owner, settings):
    settings.EVIDENCE_MAX_BYTES = 500 * 1024
    with pytest.raises(ValidationError) as refused:
        evidence_attach(
            action=ActionFactory(owner=owner),
            uploaded_by=owner,
            uploaded_file=ContentFile(b"a" * (600 * 1024), name="big.txt"),
            description="Too big",
        )
    assert refused.value.message_dict["file"] == ["The selected file must be smaller than 500 KB."]


def test_the_evidence_form_hints_the_limit_in_force(client_for, owner, settings):
    settings.EVIDENCE_MAX_BYTES = 500 * 1024
    action = ActionFactory(owner=owner)
    page = client_for(owner).get(f"/actions/{action.reference}/evidence/").content.decode()
    assert "smaller than 500 KB" in page


# --- New actions are internal until someone makes them public ---------------------------------------


def test_a_new_action_is_internal_unless_made_public(lead, owner, board):
    data = {"reference": "MD-30", "action_type": "must_do", "title": "Audit", "pillar": PillarFactory()}
    action = action_create(
        creator=lead, data={**data, "owner": owner, "executive_lead": board, "due_date": datetime.date(2027, 1, 1)}
    )
    assert action.is_public is False
    assert not Action.objects.public().exists()


def test_the_create_form_starts_with_public_unticked(client_for, lead):
    page = client_for(lead).get("/actions/new/").content.decode()
    checkbox = page[page.index('name="is_public"') - 200 : page.index('name="is_public"') + 200]
    assert "checked" not in checkbox


def test_a_blank_public_cell_in_an_import_means_internal(client_for, lead, owner, board, catalogue):  # noqa: F811
    row = GOOD.removesuffix(",yes") + ","
    client = client_for(lead)
    _, digest = _preview(client, plan(row))
    client.post("/actions/import/", {"confirm": digest})
    assert Action.objects.get(reference="MD-20").is_public is False
    assert HEADING.endswith("Public")
