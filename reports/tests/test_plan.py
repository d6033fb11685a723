"""The public plan (/plan/, /plan/<ref>/) and the governance in open data and the public update (issue 13).

What the public reads: status in words, agreed and original dates, revisions with their reasons,
committee decisions, public highlights; never internal narratives, evidence, or who asked, agreed or
recorded anything below executive level.
"""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import Status
from actions.models import Action, Committee, EvidenceKind, Meeting, ProgressUpdate, Regulation
from actions.services.governance import (
    action_put_to_meeting,
    committee_decision_record,
    due_date_revise,
    due_date_revision_decide,
    due_date_revision_request,
)
from actions.services.reopening import action_reopen
from actions.tests.factories import ActionFactory, EvidenceFactory, UserFactory
from reports.services import update_draft_for_period, update_publish
from reports.tests.updates_world import SECRET_WORDS, build_world
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

# People below executive level who took part in governance, and an evidence file's words.
GOVERNANCE_SECRETS = ["Wilhelmina", "Plumtree", "wplum", "EVIDENCE-DESCRIPTION-SECRET", "REFUSED-REASON-SECRET"]


@pytest.fixture
def governed(db):
    world = build_world()
    lead = UserFactory(username="wplum", first_name="Wilhelmina", last_name="Plumtree", roles=[Role.LEAD])
    action = world.public_action
    action.key_question = "safe"
    action.core_service = "emergency_urgent_care"
    action.cqc_finding = "Medicines were not always stored safely on vehicles."
    action.save()
    action.regulations.set([Regulation.objects.get(number="12")])
    original = action.due_date
    due_date_revise(action=action, lead=lead, new_date=original + datetime.timedelta(days=30), reason="Supplier delay")
    action.refresh_from_db()
    asked = due_date_revision_request(
        action=action, requested_by=world.owner, new_date=action.due_date + datetime.timedelta(days=60), reason="More"
    )
    due_date_revision_decide(revision=asked, lead=lead, agree=False, refusal_reason="REFUSED-REASON-SECRET")
    EvidenceFactory(action=action, description="EVIDENCE-DESCRIPTION-SECRET", kind=EvidenceKind.SUSTAINABILITY)
    assured = ActionFactory(
        reference="SD-150",
        action_type="should_do",
        title="Publish the learning",
        pillar=world.pillar,
        owner=world.owner,
        status=Status.ASSURED,
        assured_at=datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC),  # before the meeting that decides
    )
    meeting = Meeting.objects.create(
        committee=Committee.objects.create(name="Quality Governance Committee"), date=datetime.date(2026, 10, 20)
    )
    item = action_put_to_meeting(action=assured, meeting=meeting, lead=lead)
    committee_decision_record(item=item, lead=lead, decision="returned", minute_reference="QGC/26/9", reason="Thin")
    return world, action, original


def test_the_plan_lists_public_actions_by_pillar_with_status_in_words_and_both_dates(client, governed):
    world, action, original = governed
    page = client.get("/plan/").content.decode()
    assert "Responsive Care" in page and "People and Culture" in page
    assert "MD-101" in page and "IJ-900" not in page
    assert "On track" in page
    assert f"{action.due_date:%-d %B %Y}" in page and f"{original:%-d %B %Y}" in page
    assert "What the status colours mean" in page  # the BRAG key


def test_one_action_shows_finding_dates_revisions_decisions_and_highlights_and_nothing_internal(client, governed):
    world, action, original = governed
    page = client.get("/plan/MD-101/").content.decode()
    assert "Medicines were not always stored safely on vehicles." in page
    assert "Regulation 12: Safe care and treatment" in page and "Safe" in page
    assert f"From {original:%-d %B %Y} to {action.due_date:%-d %B %Y}" in page and "Supplier delay" in page
    assert "Every vehicle in Kent now has a sealed medicines pouch." in page
    for secret in [*SECRET_WORDS, *GOVERNANCE_SECRETS]:
        assert secret not in page, secret
    returned = client.get("/plan/SD-150/").content.decode()
    assert "Quality Governance Committee, 20 October 2026: returned (Thin). Minute QGC/26/9." in returned
    for secret in GOVERNANCE_SECRETS:
        assert secret not in returned, secret


def test_an_internal_or_unknown_action_has_no_public_page(client, governed):
    assert client.get("/plan/IJ-900/").status_code == 404
    assert client.get("/plan/MD-999/").status_code == 404


def test_the_plan_pages_are_cached_for_anonymous_visitors(client, governed):
    client.get("/plan/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/plan/").status_code == 200
    assert len(ctx) <= 2  # the session and the cache generation at most, never the actions


def test_the_plan_list_takes_the_same_number_of_queries_whatever_the_number_of_actions(client, governed):
    def queries():
        from django.core.cache import caches

        for each in caches.all():
            each.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get("/plan/")
        return len(ctx)

    few = queries()
    ActionFactory.create_batch(20)
    assert queries() == few


def test_open_data_carries_the_governance_columns_and_names_nobody(client, governed):
    world, action, original = governed
    data = json.loads(client.get("/open-data/actions.json").content)
    row = next(a for a in data["actions"] if a["reference"] == "MD-101")
    assert row["original_due_date"] == original.isoformat()
    assert row["due_date"] == action.due_date.isoformat()
    assert row["due_date_revisions"] == [
        {
            "from": original.isoformat(),
            "to": action.due_date.isoformat(),
            "reason": "Supplier delay",
            "agreed_on": timezone.localdate().isoformat(),
        }
    ]  # the refused request is not a revision of the agreed date
    assert (row["regulations"], row["key_question"], row["core_service"]) == (
        ["12"],
        "Safe",
        "Emergency and urgent care",
    )
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/open-data/actions.csv").content.decode())))
    md = next(r for r in csv_rows if r["reference"] == "MD-101")
    assert md["due_date_revisions"].endswith("Supplier delay (agreed " + timezone.localdate().isoformat() + ")")
    assert md["regulations"] == "12"
    for path in ("/open-data/actions.csv", "/open-data/actions.json"):
        text = client.get(path).content.decode()
        for secret in GOVERNANCE_SECRETS:
            assert secret not in text


def test_the_embedded_status_is_in_open_data_in_words(client, db):
    ActionFactory(reference="MD-300", status=Status.EMBEDDED)
    data = json.loads(client.get("/open-data/actions.json").content)
    assert data["actions"][0]["status"] == "Embedded"


def test_the_next_public_update_counts_a_reopened_action_without_naming_who(client, governed, comms):
    world, action, original = governed
    lead = UserFactory(username="wplum")
    assured = ActionFactory(
        reference="SD-160", action_type="should_do", title="Civility", pillar=world.pillar, status=Status.ASSURED
    )
    at = datetime.datetime(2026, 10, 10, 12, tzinfo=datetime.UTC)
    action_reopen(
        action=assured,
        lead=lead,
        reason="Survey results fell back",
        status=Status.AT_RISK,
        percent_complete=60,
        new_due_date=datetime.date(2027, 1, 31),
        at=at,
    )
    update = update_draft_for_period(period=datetime.date(2026, 10, 1))
    assert [row["reference"] for row in update.figures["reopened"]] == ["SD-160"]
    update_publish(update=update, publisher=comms)
    page = client.get(f"/updates/{update.slug}/").content.decode()
    assert "Reopened in October 2026" in page and "Survey results fell back" in page
    assert "Wilhelmina" not in page


def test_the_updates_pages_link_to_the_plan(client, governed, comms):
    update = update_publish(update=update_draft_for_period(period=datetime.date(2026, 10, 1)), publisher=comms)
    for path in ("/updates/", f"/updates/{update.slug}/"):
        assert 'href="/plan/"' in client.get(path).content.decode(), path


def test_an_action_taken_out_of_public_view_leaves_every_public_page_at_the_next_request(client, governed):
    """However it is done (a queryset .update() here: no signal, no service), in whichever process."""
    client.get("/plan/")
    client.get("/plan/MD-101/")
    client.get("/open-data/actions.csv")
    Action.objects.filter(reference="MD-101").update(is_public=False)
    assert "MD-101" not in client.get("/plan/").content.decode()
    assert client.get("/plan/MD-101/").status_code == 404
    assert "MD-101" not in client.get("/open-data/actions.csv").content.decode()


def test_a_corrected_title_or_removed_highlight_reaches_the_public_at_the_next_request(client, governed):
    client.get("/plan/")
    client.get("/plan/MD-101/")
    Action.objects.filter(reference="MD-101").update(title="Seal medicines pouches (title corrected)")
    assert "title corrected" in client.get("/plan/").content.decode()
    ProgressUpdate.objects.filter(public_highlight__startswith="Every vehicle in Kent").delete()
    assert "Every vehicle in Kent" not in client.get("/plan/MD-101/").content.decode()
