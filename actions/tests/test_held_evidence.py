"""An evidence file chosen on a form that comes back with an error is kept for the person who chose it, on
that action: the corrected form attaches it without choosing it again, and nobody else can claim it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.choices import Status
from actions.models import Evidence, HeldEvidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the audit\n" + b"x" * 200


def held_id(response) -> str:
    match = re.search(r'name="held_evidence" value="([^"]+)"', response.content.decode())
    assert match, "the page does not carry the held file"
    return match.group(1)


def progress(client, action, **data):
    return client.post(f"/actions/{action.reference}/progress/", data)


def test_the_file_survives_a_form_error_and_is_attached_when_the_corrected_form_is_sent(client_for, owner, action):
    me = client_for(owner)
    # The narrative is forgotten: the page comes back with the error, and with the file.
    first = progress(
        me,
        action,
        narrative="",
        status=Status.COMPLETE,
        evidence_file=SimpleUploadedFile("audit.pdf", PDF),
        evidence_description="The audit",
    )
    assert first.status_code == 200
    page = first.content.decode()
    assert "Enter what has been done since the last update" in page
    assert "You chose <strong>audit.pdf</strong>" in page and 'name="remove_held_evidence"' in page
    held = HeldEvidence.objects.get(action=action, uploaded_by=owner)
    assert held_id(first) == str(held.pk) and not Evidence.objects.filter(action=action).exists()

    # Sent again with the narrative, without choosing the file again.
    second = progress(
        me,
        action,
        narrative="Every vehicle checked.",
        status=Status.COMPLETE,
        evidence_description="The audit",
        held_evidence=held_id(first),
    )
    assert second.status_code == 302
    evidence = Evidence.objects.get(action=action)
    assert evidence.original_name == "audit.pdf" and evidence.file.read() == PDF
    action.refresh_from_db()
    assert action.status == Status.COMPLETE
    assert not HeldEvidence.objects.exists() and not held.file.storage.exists(held.file.name)


def test_another_person_cannot_claim_a_held_file(client_for, owner, lead, action):
    first = progress(
        client_for(owner),
        action,
        narrative="",
        status=Status.COMPLETE,
        evidence_file=SimpleUploadedFile("audit.pdf", PDF),
        evidence_description="The audit",
    )
    stolen = held_id(first)
    # A lead may log progress on the action, but the owner's held file is not theirs to attach or see.
    response = progress(
        client_for(lead),
        action,
        narrative="Done",
        status=Status.COMPLETE,
        evidence_description="The audit",
        held_evidence=stolen,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "audit.pdf" not in page and "Choose an evidence file to mark this action complete" in page
    assert not Evidence.objects.exists() and HeldEvidence.objects.filter(pk=stolen, uploaded_by=owner).exists()


def test_a_refused_file_is_not_held(client_for, owner, action):
    response = progress(
        client_for(owner),
        action,
        narrative="",
        status=Status.COMPLETE,
        evidence_file=SimpleUploadedFile("audit.pdf", b"MZ\x90\x00 a program"),
        evidence_description="The audit",
    )
    assert response.status_code == 200 and "not what its name says" in response.content.decode()
    assert not HeldEvidence.objects.exists()


def test_a_held_file_can_be_removed(client_for, owner, action):
    me = client_for(owner)
    first = progress(
        me, action, narrative="", status=Status.ON_TRACK, percent_complete="20",
        evidence_file=SimpleUploadedFile("audit.pdf", PDF), evidence_description="The audit",
    )  # fmt: skip
    response = progress(
        me, action, narrative="Started", status=Status.ON_TRACK, percent_complete="20",
        held_evidence=held_id(first), remove_held_evidence="on",
    )  # fmt: skip
    assert response.status_code == 302
    assert not HeldEvidence.objects.exists() and not Evidence.objects.exists()


def test_the_attach_evidence_form_keeps_its_file_too(client_for, owner, action):
    me = client_for(owner)
    url = f"/actions/{action.reference}/evidence/"
    first = me.post(url, {"file": SimpleUploadedFile("audit.pdf", PDF), "description": ""})
    assert first.status_code == 200 and "You chose <strong>audit.pdf</strong>" in first.content.decode()
    second = me.post(url, {"description": "The audit", "held_evidence": held_id(first)})
    assert second.status_code == 302
    assert Evidence.objects.get(action=action).original_name == "audit.pdf"
