"""Issue 28, finding 8: published reasons can be redacted by an administrator, audited, everywhere at once.

A patient's name typed by mistake into a due-date, reopening or committee-return reason reached /plan/,
open data, the staff pages, the action's history and (for a reopening) the frozen published update, and
nothing could remove it. An administrator now replaces it with "Removed on <date>: <why>".
"""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape

from actions.choices import Status
from actions.models import (
    ActionReopening,
    Committee,
    CommitteeDecision,
    DueDateRevision,
    Meeting,
    RedactedField,
    Redaction,
)
from actions.services.governance import action_put_to_meeting, committee_decision_record, due_date_revise
from actions.services.reopening import action_reopen
from actions.tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from reports.models import PublicContentGeneration, PublishedUpdate
from reports.redactions import redaction_apply
from reports.services.editorial import update_publish
from reports.services.periods import update_draft_for_period
from secamb_journey.roles import ADMINISTRATOR_ONLY_PERMISSIONS, ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

NAME = "Mrs Edith Marlowe"
REOPEN_REASON = f"Audit found {NAME} waited four hours for a crew; the fix has not held."
REVISION_REASON = f"Delayed after the complaint from {NAME}'s family."
HIGHLIGHT = f"Crews now reach patients faster, as {NAME} told us."
RETURN_REASON = f"The evidence named {NAME}; bring it back without patient details."
WHY = "a patient's name entered by mistake"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def world(owner, board, lead, comms):
    """One public action, reopened with a name in the reason (frozen into this month's published update),
    with an agreed revision quoting it; another returned by a committee with a name in the reason."""
    now = timezone.now()
    action = ActionFactory(
        reference="MD-081",
        owner=owner,
        executive_lead=board,
        status=Status.ASSURED,
        percent_complete=100,
        assured_at=now - datetime.timedelta(days=40),
        completed_at=now - datetime.timedelta(days=45),
    )
    action_reopen(
        action=action,
        lead=lead,
        reason=REOPEN_REASON,
        status=Status.AT_RISK,
        percent_complete=60,
        new_due_date=timezone.localdate() + datetime.timedelta(days=60),
        notify=False,
    )
    action.refresh_from_db()
    due_date_revise(
        action=action,
        lead=lead,
        new_date=timezone.localdate() + datetime.timedelta(days=90),
        reason=REVISION_REASON,
        notify=False,
    )
    returned = ActionFactory(
        reference="MD-082",
        owner=owner,
        executive_lead=board,
        status=Status.ASSURED,
        percent_complete=100,
        assured_at=now - datetime.timedelta(days=120),
    )
    meeting = Meeting.objects.create(
        committee=Committee.objects.create(name="Quality Governance Committee"),
        date=timezone.localdate() - datetime.timedelta(days=100),
    )
    item = action_put_to_meeting(action=returned, meeting=meeting, lead=lead)
    committee_decision_record(
        item=item, lead=lead, decision="returned", minute_reference="QGC/26/7", reason=RETURN_REASON, notify=False
    )
    note = ProgressUpdateFactory(
        action=action, author=owner, status=Status.AT_RISK, percent_complete=60, public_highlight=HIGHLIGHT
    )
    update = update_draft_for_period(period=timezone.localdate(), now=timezone.now())
    update_publish(update=update, publisher=comms)
    return {
        "action": action,
        "returned": returned,
        "reopening": ActionReopening.objects.get(action=action),
        "revision": DueDateRevision.objects.get(action=action, reason=REVISION_REASON),
        "decision": CommitteeDecision.objects.get(action=returned),
        "note": note,
        "update": PublishedUpdate.objects.get(pk=update.pk),
    }


def _pages(world):
    update = world["update"]
    staff = [f"/actions/{world['action'].reference}/", f"/actions/{world['returned'].reference}/"]
    public = [
        f"/plan/{world['action'].reference}/",
        f"/plan/{world['returned'].reference}/",
        "/plan/",
        "/open-data/actions.json",
        "/open-data/actions.csv",
        update.get_absolute_url(),
        reverse("reports:open_data_update", args=[update.slug]),
    ]
    return public, staff


def _text(response) -> str:
    return response.content.decode()


def test_the_names_are_published_before_redaction(world, lead, client_for):
    public, staff = _pages(world)
    anonymous, signed_in = Client(), client_for(lead)
    seen = "".join(_text(anonymous.get(url)) for url in public) + "".join(_text(signed_in.get(u)) for u in staff)
    assert seen.count(NAME) >= 8
    assert NAME in str(world["update"].figures["reopened"]) and NAME in str(world["update"].figures["highlights"])
    assert any(NAME in (h.history_change_reason or "") for h in world["action"].history.all())


def test_a_redaction_removes_the_words_everywhere_at_once_and_is_audited(world, admin_user, lead, client_for):
    public, staff = _pages(world)
    anonymous = Client()
    for url in public:  # every public page cached with the name in it
        assert anonymous.get(url).status_code == 200
    generation = PublicContentGeneration.objects.get(pk=1).token
    admin = client_for(admin_user)
    # The administrator sees the words, then gives the reason and confirms.
    url = reverse("reports:redact", args=[RedactedField.REOPENING_REASON, world["reopening"].pk])
    page = admin.get(url)
    assert page.status_code == 200 and NAME in _text(page)
    assert admin.post(url, {"reason": WHY}).status_code == 302
    for field, record in (
        (RedactedField.REVISION_REASON, world["revision"]),
        (RedactedField.DECISION_REASON, world["decision"]),
        (RedactedField.HIGHLIGHT, world["note"]),
    ):
        response = admin.post(reverse("reports:redact", args=[field, record.pk]), {"reason": WHY})
        assert response.status_code == 302

    assert PublicContentGeneration.objects.get(pk=1).token != generation
    replacement = f"Removed on {date_format(timezone.localdate(), 'j F Y')}: {WHY}"
    # The cached public pages are served fresh at once (the generation moved), with no trace of the name.
    for url in public:
        body = _text(anonymous.get(url))
        assert NAME not in body, url
        assert "Edith" not in body, url
    assert escape(replacement) in _text(anonymous.get(f"/plan/{world['action'].reference}/"))
    signed_in = client_for(lead)
    for url in staff:  # the action page, its governance trail and its history
        body = _text(signed_in.get(url))
        assert NAME not in body and "Edith" not in body, url
    assert escape(replacement) in _text(signed_in.get(staff[1]))
    # The redacted highlight is recorded against the update too (the one change to a published update).
    assert Redaction.objects.filter(field=RedactedField.UPDATE_FIGURES, record_id=world["update"].pk).count() == 2
    world["note"].refresh_from_db()
    assert world["note"].public_highlight == replacement
    # The records and the history hold the replacement.
    world["reopening"].refresh_from_db()
    assert world["reopening"].reason == replacement
    assert DueDateRevision.objects.get(action=world["action"], reason__startswith="Reopened:").reason == (
        f"Reopened: {replacement}"
    )
    assert not any(NAME in (h.history_change_reason or "") for h in world["action"].history.all())
    assert not any("Edith" in (h.history_change_reason or "") for h in world["action"].history.all())
    # The frozen update keeps its status and publication, its figures without the name (and its history).
    update = PublishedUpdate.objects.get(pk=world["update"].pk)
    assert update.status == world["update"].status and update.published_at == world["update"].published_at
    assert NAME not in str(update.figures) and replacement in str(update.figures)
    assert not any(NAME in str(h.figures) for h in update.history.all())

    # Audited: who, when, why, and only the fingerprint of the words.
    rows = Redaction.objects.order_by("id")
    assert {(row.field, row.record_id) for row in rows} >= {
        (RedactedField.REOPENING_REASON, world["reopening"].pk),
        (RedactedField.REVISION_REASON, world["revision"].pk),
        (RedactedField.DECISION_REASON, world["decision"].pk),
        (RedactedField.HIGHLIGHT, world["note"].pk),
        (RedactedField.UPDATE_FIGURES, update.pk),
    }
    first = rows.get(field=RedactedField.REOPENING_REASON)
    assert first.redacted_by == admin_user and first.reason == WHY and first.replacement == replacement
    assert timezone.now() - first.redacted_at < datetime.timedelta(minutes=1)
    assert first.original_sha256 == hashlib.sha256(REOPEN_REASON.encode()).hexdigest()
    for row in rows:
        assert all(NAME not in str(getattr(row, f.attname)) for f in Redaction._meta.concrete_fields)


def test_no_one_but_an_administrator_may_redact(world, owner, lead, board, comms, outsider, client_for):
    url = reverse("reports:redact", args=[RedactedField.REVISION_REASON, world["revision"].pk])
    assert Client().get(url).status_code == 302  # to sign in
    assert Client().post(url, {"reason": WHY}).status_code == 302
    for person in (owner, lead, board, comms, outsider):
        client = client_for(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": WHY}).status_code == 403
        with pytest.raises(PermissionDenied):
            redaction_apply(record=world["revision"], field=RedactedField.REVISION_REASON, reason=WHY, by=person)
    world["revision"].refresh_from_db()
    assert world["revision"].reason == REVISION_REASON and not Redaction.objects.exists()


def test_a_named_person_granted_the_permission_may_redact(world, lead):
    lead.user_permissions.add(Permission.objects.get(codename="redact_text", content_type__app_label="actions"))
    lead = type(lead).objects.get(pk=lead.pk)
    redaction_apply(record=world["revision"], field=RedactedField.REVISION_REASON, reason=WHY, by=lead)
    world["revision"].refresh_from_db()
    assert NAME not in world["revision"].reason


def test_a_redaction_needs_a_reason_and_words_to_remove(world, admin_user, client_for):
    for blank in ("", "   "):
        with pytest.raises(ValidationError):
            redaction_apply(record=world["revision"], field=RedactedField.REVISION_REASON, reason=blank, by=admin_user)
    url = reverse("reports:redact", args=[RedactedField.REVISION_REASON, world["revision"].pk])
    response = client_for(admin_user).post(url, {"reason": ""})
    assert response.status_code == 200 and "Enter" in _text(response)
    world["revision"].refresh_from_db()
    assert world["revision"].reason == REVISION_REASON and not Redaction.objects.exists()
    # The wrong kind of record for the field, an unknown field or record: refused.
    with pytest.raises(ValidationError):
        redaction_apply(record=world["revision"], field=RedactedField.DECISION_REASON, reason=WHY, by=admin_user)
    admin = client_for(admin_user)
    assert admin.get(reverse("reports:redact", args=["title", world["revision"].pk])).status_code == 404
    assert admin.get(reverse("reports:redact", args=[RedactedField.REVISION_REASON, 999999])).status_code == 404
    # Once redacted, it is not redacted again.
    redaction_apply(record=world["revision"], field=RedactedField.REVISION_REASON, reason=WHY, by=admin_user)
    with pytest.raises(ValidationError, match="already"):
        redaction_apply(record=world["revision"], field=RedactedField.REVISION_REASON, reason=WHY, by=admin_user)


def test_the_admin_lists_link_to_redaction_for_administrators_only(world, admin_user, client_for):
    page = client_for(admin_user).get("/admin/actions/duedaterevision/")
    assert reverse("reports:redact", args=[RedactedField.REVISION_REASON, world["revision"].pk]) in _text(page)


def test_a_highlight_redaction_fits_the_highlight(world, admin_user):
    with pytest.raises(ValidationError) as refused:
        redaction_apply(record=world["note"], field=RedactedField.HIGHLIGHT, reason="x" * 300, by=admin_user)
    assert "characters or fewer" in str(refused.value)
    world["note"].refresh_from_db()
    assert world["note"].public_highlight == HIGHLIGHT


def test_no_role_grants_redaction():
    assert "actions.redact_text" in ADMINISTRATOR_ONLY_PERMISSIONS
    for role in Role:
        assert "actions.redact_text" not in ROLE_PERMISSIONS[role]
        group = Group.objects.get(name=role.label)
        assert not group.permissions.filter(codename="redact_text").exists()
