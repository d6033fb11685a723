"""Drafting, editing, publishing and withdrawing the monthly public update (reports.services)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.choices import Status
from actions.tests.factories import ActionFactory, ProgressUpdateFactory
from reports.models import PublishedUpdate, UpdateStatus
from reports.selectors.updates import FrozenRow
from reports.services.editorial import render_markdown, update_edit, update_publish, update_withdraw
from reports.services.periods import (
    period_from_string,
    period_previous,
    update_correction_start,
    update_draft_for_period,
)
from reports.tests.updates_world import DRAFTED, OCTOBER, at, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def draft(world):
    return update_draft_for_period(period=OCTOBER, now=DRAFTED)


def pillar_row(update, slug):
    return next(row for row in update.figures["pillars"] if row["slug"] == slug)


# --- Periods -------------------------------------------------------------------------------------


def test_the_monthly_draft_on_the_first_reports_on_the_previous_month():
    assert period_previous(datetime.date(2026, 11, 1)) == datetime.date(2026, 10, 1)
    assert period_previous(datetime.date(2027, 1, 1)) == datetime.date(2026, 12, 1)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "October 2026", "", "2026-10-01"])
def test_a_period_that_is_not_year_dash_month_is_refused_with_an_example(text):
    with pytest.raises(ValidationError, match="for example 2026-10"):
        period_from_string(text)


# --- Drafting ------------------------------------------------------------------------------------


def test_a_draft_freezes_pillar_progress_and_brag_counts_of_public_actions_only(draft):
    responsive = pillar_row(draft, "responsive-care")
    # MD-101 on track and WN-101 complete; IJ-900 is internal and never counted.
    assert responsive["total"] == 2
    assert responsive["by_status"][Status.ON_TRACK] == 1
    assert responsive["by_status"][Status.OFF_TRACK] == 0
    assert (responsive["done"], responsive["percent_done"]) == (1, 50)
    people = pillar_row(draft, "people-and-culture")
    assert (people["total"], people["done"], people["assured"], people["overdue"]) == (2, 1, 1, 1)
    assert draft.figures["overall"]["total"] == 4
    assert draft.figures["as_of"] == "2026-10-31"  # drafted on 1 November: as the month ended


def test_a_draft_freezes_cqc_compliance_by_warning_notice_must_do_and_should_do(draft):
    compliance = {row["action_type"]: row for row in draft.figures["compliance"]}
    assert list(compliance) == ["warning_notice", "must_do", "should_do"]
    assert (compliance["warning_notice"]["total"], compliance["warning_notice"]["done"]) == (1, 1)
    assert (compliance["must_do"]["total"], compliance["must_do"]["done"], compliance["must_do"]["overdue"]) == (
        2,
        0,
        1,
    )
    assert (compliance["should_do"]["assured"], compliance["should_do"]["percent_done"]) == (1, 100)


def test_a_draft_lists_the_actions_completed_and_assured_in_the_month(draft):
    assert [row["reference"] for row in draft.figures["completed"]] == ["WN-101"]  # SD-101 was done in September
    assert [(row["reference"], row["on"]) for row in draft.figures["assured"]] == [("SD-101", "2026-10-30")]


def test_highlights_come_from_public_actions_in_the_month_and_never_the_internal_narrative(draft):
    assert draft.figures["highlights"] == [
        {
            "reference": "MD-101",
            "title": "Check medicines on every vehicle",
            "pillar": "Responsive Care",
            "text": "Every vehicle in Kent now has a sealed medicines pouch.",
            "on": "2026-10-14",
        }
    ]
    assert "XYZZY" not in str(draft.figures)
    assert "QWERTY" not in str(draft.figures)


def test_the_frozen_figures_name_nobody(draft, world):
    text = str(draft.figures) + draft.narrative + draft.headline
    for name in ["Zebedee", "Quillfeather", "zquill", "Morag"]:
        assert name not in text


def test_a_draft_gets_a_readable_slug_headline_and_a_first_narrative_to_edit(draft):
    assert draft.slug == "october-2026"
    assert draft.status == UpdateStatus.DRAFT
    assert "October 2026" in draft.headline
    assert "**2 of 4** public actions are now complete or assured (50%)" in draft.narrative


def test_drafting_a_month_twice_refreshes_the_draft_and_keeps_the_editors_words(draft, comms, world):
    update_edit(update=draft, editor=comms, headline="Our October", narrative="Edited.", expected_version=1)
    ActionFactory(reference="MD-150", pillar=world.pillar, status=Status.COMPLETE, completed_at=at(20))

    again = update_draft_for_period(period=OCTOBER, now=DRAFTED + datetime.timedelta(hours=1))

    assert PublishedUpdate.objects.count() == 1
    assert again.pk == draft.pk
    assert (again.headline, again.narrative) == ("Our October", "Edited.")
    assert [row["reference"] for row in again.figures["completed"]] == ["WN-101", "MD-150"]


def test_drafting_a_published_month_again_changes_nothing(draft, comms, world):
    update_publish(update=draft, publisher=comms)
    frozen = PublishedUpdate.objects.get().figures
    # A later change to an action: the published update must not move.
    ActionFactory(reference="MD-150", pillar=world.pillar, status=Status.COMPLETE, completed_at=at(20))
    world.public_action.status = Status.OFF_TRACK
    world.public_action.save()

    again = update_draft_for_period(period=OCTOBER, now=DRAFTED + datetime.timedelta(days=3))

    assert again.status == UpdateStatus.PUBLISHED
    assert PublishedUpdate.objects.get().figures == frozen


def test_a_failure_part_way_through_drafting_leaves_nothing_behind(world):
    with mock.patch("reports.services.periods._default_narrative", side_effect=RuntimeError("crash")):
        with pytest.raises(RuntimeError):
            update_draft_for_period(period=OCTOBER, now=DRAFTED)
    assert not PublishedUpdate.objects.exists()


def test_a_failed_refresh_leaves_the_draft_as_it_was(draft, world):
    before = PublishedUpdate.objects.get().figures
    ActionFactory(reference="MD-150", pillar=world.pillar, status=Status.COMPLETE, completed_at=at(20))
    with mock.patch("reports.services.periods.PublishedUpdate.save", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            update_draft_for_period(period=OCTOBER, now=DRAFTED)
    assert PublishedUpdate.objects.get().figures == before


def test_a_month_that_has_not_started_cannot_be_drafted():
    with pytest.raises(ValidationError, match="has not started"):
        update_draft_for_period(period=datetime.date(2026, 12, 1), now=DRAFTED)


def test_the_change_since_the_previous_published_update_is_frozen_too(world, comms):
    september = update_draft_for_period(period=datetime.date(2026, 9, 1), now=at(1, month=10))
    update_publish(update=september, publisher=comms)
    october = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    # Nothing changed between the two drafts but the date: MD-102 became overdue on 16 October.
    assert october.figures["previous"] == {"period": "2026-09-01", "slug": "september-2026", "label": "September 2026"}
    assert october.figures["overall"]["change"] == {"done": 0, "assured": 0, "overdue": 1, "percent_done": 0}
    assert pillar_row(october, "people-and-culture")["change"]["overdue"] == 1


def test_the_first_update_has_no_change_to_report(draft):
    assert draft.figures["previous"] is None
    assert draft.figures["overall"]["change"] is None


def test_drafting_takes_the_same_number_of_queries_whatever_the_number_of_actions(world):
    def queries(period):
        with CaptureQueriesContext(connection) as ctx:
            update_draft_for_period(period=period, now=DRAFTED)
        return len(ctx)

    few = queries(datetime.date(2026, 8, 1))
    for _ in range(30):
        ActionFactory(pillar=world.pillar, status=Status.COMPLETE, completed_at=at(10, month=9))
    assert queries(datetime.date(2026, 9, 1)) == few


# --- Editing -------------------------------------------------------------------------------------


def test_the_communications_editor_edits_a_draft_and_the_version_moves_on(draft, comms):
    edited = update_edit(update=draft, editor=comms, headline=" New headline ", narrative="Text", expected_version=1)
    assert (edited.headline, edited.narrative, edited.version) == ("New headline", "Text", 2)
    assert edited.history.first().history_user == comms


def test_a_stale_edit_is_refused_and_names_who_changed_what(draft, comms, lead):
    update_edit(
        update=draft, editor=lead, headline="The lead's headline", narrative=draft.narrative, expected_version=1
    )
    with pytest.raises(ValidationError) as refused:
        update_edit(update=draft, editor=comms, headline="Mine", narrative="Mine", expected_version=1)
    message = refused.value.messages[0]
    assert "Jo Clarke changed the headline (now “The lead's headline”)" in message
    assert "narrative" not in message.split("after")[0]
    assert PublishedUpdate.objects.get().headline == "The lead's headline"


def test_an_edit_after_publication_is_refused(draft, comms):
    update_publish(update=draft, publisher=comms)
    with pytest.raises(ValidationError, match="can no longer be edited"):
        update_edit(update=draft, editor=comms, headline="Late", narrative="", expected_version=2)


def test_someone_without_the_permission_cannot_edit(draft, owner):
    with pytest.raises(PermissionDenied):
        update_edit(update=draft, editor=owner, headline="x", narrative="", expected_version=1)


def test_an_empty_headline_is_refused(draft, comms):
    with pytest.raises(ValidationError) as refused:
        update_edit(update=draft, editor=comms, headline="  ", narrative="", expected_version=1)
    assert refused.value.message_dict == {"headline": ["Enter a headline."]}


# --- Publishing and withdrawing ------------------------------------------------------------------


def test_publishing_records_who_and_when(draft, comms):
    when = at(3, month=11)
    published = update_publish(update=draft, publisher=comms, at=when)
    assert (published.status, published.published_by, published.published_at) == (UpdateStatus.PUBLISHED, comms, when)


def test_an_improvement_lead_reviews_drafts_but_cannot_publish(draft, lead):
    with pytest.raises(PermissionDenied):
        update_publish(update=draft, publisher=lead)
    assert PublishedUpdate.objects.get().status == UpdateStatus.DRAFT


def test_an_update_is_published_once(draft, comms):
    update_publish(update=draft, publisher=comms)
    with pytest.raises(ValidationError, match="already published"):
        update_publish(update=draft, publisher=comms)


def test_withdrawing_needs_a_public_note_and_records_who(draft, comms):
    update_publish(update=draft, publisher=comms)
    with pytest.raises(ValidationError):
        update_withdraw(update=draft, editor=comms, note="  ")
    withdrawn = update_withdraw(update=draft, editor=comms, note="The figures were wrong.")
    assert (withdrawn.status, withdrawn.withdrawn_by, withdrawn.withdrawal_note) == (
        UpdateStatus.WITHDRAWN,
        comms,
        "The figures were wrong.",
    )


def test_a_draft_cannot_be_withdrawn_and_a_lead_cannot_withdraw(draft, comms, lead):
    with pytest.raises(ValidationError, match="Only a published update"):
        update_withdraw(update=draft, editor=comms, note="Why")
    update_publish(update=draft, publisher=comms)
    with pytest.raises(PermissionDenied):
        update_withdraw(update=draft, editor=lead, note="Why")


# --- Markdown ------------------------------------------------------------------------------------


def test_the_narrative_renders_markdown_and_no_raw_html_passes():
    html = str(
        render_markdown(
            "## Progress\n\nWe **did** it. [Read more](https://www.secamb.nhs.uk/)\n\n"
            '<script>alert("x")</script>\n\n<b onclick="x">bold</b> <img src=x onerror=alert(1)>\n\n'
            "[click](javascript:alert(1))\n\n# Too big"
        )
    )
    assert "<h2>Progress</h2>" in html
    assert "<strong>did</strong>" in html
    assert '<a href="https://www.secamb.nhs.uk/" rel="noopener noreferrer">Read more</a>' in html
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as typed, never run
    assert "javascript:" not in html
    assert "<h2>Too big</h2>" in html and "<h1>" not in html


# --- A past month's figures, and corrections (issue 17) ----------------------------------------------


def test_an_update_drafted_weeks_after_its_month_freezes_the_figures_as_they_stood_at_its_end(world):
    # MD-101 was on track at the end of October; it is marked complete in November, before the draft.
    action = world.public_action
    ProgressUpdateFactory(action=action, status=Status.COMPLETE, percent_complete=100, created_at=at(20, month=11))
    action.status, action.percent_complete = Status.COMPLETE, 100
    action.save()
    late = update_draft_for_period(period=OCTOBER, now=at(26, month=11))
    assert late.figures["as_of"] == "2026-10-31"
    responsive = pillar_row(late, "responsive-care")
    assert responsive["by_status"][Status.ON_TRACK] == 1 and responsive["by_status"][Status.COMPLETE] == 1
    # MD-102 (due 15 October, still open at the month's end) is overdue as at 31 October.
    assert pillar_row(late, "people-and-culture")["overdue"] == 1


def test_an_update_for_the_month_still_running_takes_the_figures_as_they_are_now(world):
    current = update_draft_for_period(period=datetime.date(2026, 11, 1), now=at(26, month=11))
    assert current.figures["as_of"] == "2026-11-26"


def _withdrawn_october(comms):
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    update_publish(update=update, publisher=comms)
    return update_withdraw(update=update, editor=comms, note="Two figures were wrong.")


def test_comms_starts_a_corrected_update_for_the_month_of_a_withdrawn_one(world, comms):
    withdrawn = _withdrawn_october(comms)
    correction = update_correction_start(withdrawn=withdrawn, editor=comms)
    assert correction.status == UpdateStatus.DRAFT and correction.period == OCTOBER
    assert correction.corrects == withdrawn and correction.slug == "october-2026-corrected"
    assert correction.headline == withdrawn.headline
    update_publish(update=correction, publisher=comms)
    # The monthly task leaves the corrected month alone: it finds the live (corrected) update.
    assert update_draft_for_period(period=OCTOBER, now=DRAFTED) == correction


def test_an_update_that_is_not_withdrawn_cannot_be_corrected(world, comms):
    draft = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    with pytest.raises(ValidationError, match="Only a withdrawn update can be corrected"):
        update_correction_start(withdrawn=draft, editor=comms)
    update_publish(update=draft, publisher=comms)
    with pytest.raises(ValidationError, match="Only a withdrawn update can be corrected"):
        update_correction_start(withdrawn=draft, editor=comms)


def test_a_month_gets_one_correction_at_a_time(world, comms):
    withdrawn = _withdrawn_october(comms)
    first = update_correction_start(withdrawn=withdrawn, editor=comms)
    with pytest.raises(ValidationError, match="make the correction there") as refused:
        update_correction_start(withdrawn=withdrawn, editor=comms)
    assert refused.value.existing_slug == first.slug


def test_only_a_communications_editor_may_start_a_correction(world, comms, lead):
    withdrawn = _withdrawn_october(comms)
    with pytest.raises(PermissionDenied):
        update_correction_start(withdrawn=withdrawn, editor=lead)


def test_the_database_refuses_two_live_updates_for_one_month(world):
    from django.db import IntegrityError, transaction

    update_draft_for_period(period=OCTOBER, now=DRAFTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedUpdate.objects.create(period=OCTOBER, slug="october-again", headline="Again", drafted_at=DRAFTED)


def test_a_frozen_rows_changes_are_said_in_words():
    row = FrozenRow(name="Programme", counts=None, change={"percent_done": 3, "done": -1, "assured": 0})
    assert (row.percent_change, row.done_change, row.assured_change, row.overdue_change) == (
        "up 3 percentage points",
        "down 1 action",
        "no change",
        "",
    )
    assert FrozenRow(name="First", counts=None).done_change == ""
