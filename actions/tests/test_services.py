"""The rules of progress, evidence and assurance, enforced in one place: actions/services/."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from actions.choices import Status
from actions.models import Evidence, ProgressUpdate
from actions.services.assurance import action_assure
from actions.services.progress import action_log_progress, evidence_attach
from actions.tests.factories import ActionFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


def log(action, author, status=Status.ON_TRACK, percent=40, **kwargs):
    return action_log_progress(
        action=action,
        author=author,
        narrative=kwargs.pop("narrative", "Done some work."),
        status=status,
        percent_complete=percent,
        **kwargs,
    )


def test_owner_logs_progress_and_the_action_takes_its_status_and_percent(owner):
    action = ActionFactory(owner=owner)
    log(action, owner, Status.AT_RISK, 30)
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.AT_RISK, 30)
    assert action.last_progress_at is not None
    assert action.progress_updates.count() == 1


def test_entries_at_the_same_moment_are_all_kept_and_the_latest_wins(owner, lead):
    action = ActionFactory(owner=owner)
    moment = timezone.now()
    log(action, owner, Status.ON_TRACK, 40, at=moment)
    log(action, lead, Status.OFF_TRACK, 35, at=moment)
    action.refresh_from_db()
    assert action.progress_updates.count() == 2
    assert (action.status, action.percent_complete) == (Status.OFF_TRACK, 35)


def test_a_backdated_entry_does_not_override_a_later_one(owner):
    action = ActionFactory(owner=owner)
    log(action, owner, Status.AT_RISK, 60)
    log(action, owner, Status.ON_TRACK, 10, at=timezone.now() - datetime.timedelta(days=5))
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.AT_RISK, 60)


def test_someone_who_neither_owns_nor_leads_cannot_log_progress(owner, other_owner, board):
    action = ActionFactory(owner=owner)
    for person in (other_owner, board):
        with pytest.raises(PermissionDenied):
            log(action, person)
    assert ProgressUpdate.objects.count() == 0


def test_complete_without_evidence_is_refused_with_the_reason(owner):
    action = ActionFactory(owner=owner)
    with pytest.raises(ValidationError) as refused:
        log(action, owner, Status.COMPLETE, 100)
    assert "Choose an evidence file" in str(refused.value.message_dict["evidence_file"])
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED and action.progress_updates.count() == 0


def test_marking_complete_sets_percent_complete_to_100_whatever_was_given(owner):
    action = ActionFactory(owner=owner)
    EvidenceFactory(action=action)
    logged = log(action, owner, Status.COMPLETE, 90)
    action.refresh_from_db()
    assert logged.update.percent_complete == 100
    assert (action.status, action.percent_complete) == (Status.COMPLETE, 100) and action.completed_at is not None


def test_marking_complete_without_a_percent_is_100_and_an_open_status_without_one_is_refused(owner):
    action = ActionFactory(owner=owner)
    with pytest.raises(ValidationError) as refused:
        log(action, owner, Status.ON_TRACK, None)
    assert "Enter the percent complete" in str(refused.value.message_dict["percent_complete"])
    EvidenceFactory(action=action)
    log(action, owner, Status.COMPLETE, None)
    action.refresh_from_db()
    assert action.percent_complete == 100


def test_evidence_given_with_the_entry_is_stored_and_lets_the_action_be_marked_complete_in_one_step(owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = ActionFactory(owner=owner)
    upload = SimpleUploadedFile("audit.txt", b"Audit of every vehicle: all checked.\n", content_type="text/plain")
    log(action, owner, Status.COMPLETE, None, evidence_file=upload, evidence_description="The audit")
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.COMPLETE, 100)
    assert list(action.evidence.values_list("description", flat=True)) == ["The audit"]


def test_a_refused_evidence_file_refuses_the_entry_too_naming_the_file(owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = ActionFactory(owner=owner)
    upload = SimpleUploadedFile("audit.txt", b"All checked.\n", content_type="text/plain")
    with pytest.raises(ValidationError) as refused:
        log(action, owner, Status.COMPLETE, None, evidence_file=upload, evidence_description="")
    assert "evidence_description" in refused.value.message_dict
    assert action.progress_updates.count() == 0 and action.evidence.count() == 0


def test_nobody_can_log_assured_directly(owner, lead):
    action = ActionFactory(owner=owner)
    with pytest.raises(ValidationError) as refused:
        log(action, lead, Status.ASSURED, 100)
    assert "signs it off" in str(refused.value.message_dict["status"])


def test_narrative_over_5000_characters_is_refused(owner):
    with pytest.raises(ValidationError) as refused:
        log(ActionFactory(owner=owner), owner, narrative="x" * 5001)
    assert "5,000 characters or fewer" in str(refused.value.message_dict["narrative"])


def _complete(action):
    EvidenceFactory(action=action)
    log(action, action.owner, Status.COMPLETE, 100)


def test_a_lead_who_does_not_own_the_action_assures_it(owner, lead):
    action = ActionFactory(owner=owner)
    _complete(action)
    action_assure(action=action, lead=lead)
    action.refresh_from_db()
    assert action.status == Status.ASSURED and action.assured_by == lead and action.assured_at
    assert action.progress_updates.first().status == Status.ASSURED  # the sign-off is in the timeline


def test_a_lead_cannot_assure_an_action_they_own(lead):
    action = ActionFactory(owner=lead)
    _complete(action)
    with pytest.raises(ValidationError) as refused:
        action_assure(action=action, lead=lead)
    assert "another improvement lead" in refused.value.messages[0]
    action.refresh_from_db()
    assert action.status == Status.COMPLETE and action.assured_by is None


def test_owners_and_board_members_cannot_assure(owner, other_owner, board):
    action = ActionFactory(owner=owner)
    _complete(action)
    for person in (owner, other_owner, board):
        with pytest.raises(PermissionDenied):
            action_assure(action=action, lead=person)


def test_an_action_not_yet_complete_cannot_be_assured(owner, lead):
    action = ActionFactory(owner=owner, status=Status.ON_TRACK)
    with pytest.raises(ValidationError) as refused:
        action_assure(action=action, lead=lead)
    assert "Only a complete action" in refused.value.messages[0]


def test_an_assured_action_takes_no_more_progress(owner, lead):
    action = ActionFactory(owner=owner)
    _complete(action)
    action_assure(action=action, lead=lead)
    with pytest.raises(ValidationError):
        log(action, owner, Status.ON_TRACK, 50)


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(action, user, content, name, description="Minutes of the meeting"):
    return evidence_attach(
        action=action, uploaded_by=user, uploaded_file=ContentFile(content, name=name), description=description
    )


def test_a_pdf_is_stored_with_its_kind_size_and_checksum(owner):
    evidence = attach(ActionFactory(owner=owner), owner, PDF, "minutes.pdf")
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF) and len(evidence.sha256) == 64
    assert evidence.original_name == "minutes.pdf"
    assert "minutes" not in evidence.file.name  # never the uploader's name on disk


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "tool.exe", "must be a PDF, Word, Excel"),
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "report.pdf", "not what its name says"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "report.pdf", "not what its name says"),
        (b"<html><script>alert(1)</script></html>", "notes.txt", "looks like a web page"),
        (b"", "empty.txt", "is empty"),
    ],
)
def test_files_of_the_wrong_kind_are_refused_and_nothing_is_stored(owner, content, name, message):
    with pytest.raises(ValidationError) as refused:
        attach(ActionFactory(owner=owner), owner, content, name)
    assert message in str(refused.value.message_dict["file"])
    assert Evidence.objects.count() == 0


def test_a_file_over_the_limit_is_refused(owner, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        attach(ActionFactory(owner=owner), owner, b"a" * 2048, "big.txt")
    assert "smaller than" in str(refused.value.message_dict["file"])
    assert Evidence.objects.count() == 0


def test_evidence_needs_a_description_and_a_permitted_uploader(owner, other_owner):
    action = ActionFactory(owner=owner)
    with pytest.raises(ValidationError):
        attach(action, owner, PDF, "minutes.pdf", description="  ")
    with pytest.raises(PermissionDenied):
        attach(action, other_owner, PDF, "minutes.pdf")
    assert Evidence.objects.count() == 0
