"""The editorial pages at /reports/updates/: communications editors and leads edit, preview, publish, withdraw."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import PublishedUpdate, UpdateStatus
from reports.services import update_draft_for_period, update_publish
from reports.tests.updates_world import DRAFTED, OCTOBER, build_world, publish_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    build_world()
    return update_draft_for_period(period=OCTOBER, now=DRAFTED)


def edit_data(update, **changes):
    return {"headline": update.headline, "narrative": update.narrative, "version": update.version, **changes}


# --- Who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/reports/updates/",
        "/reports/updates/october-2026/",
        "/reports/updates/october-2026/preview/",
        "/reports/updates/october-2026/publish/",
        "/reports/updates/october-2026/withdraw/",
    ],
)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, draft, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["owner", "board", "outsider"])
@pytest.mark.parametrize(
    "path", ["/reports/updates/", "/reports/updates/october-2026/", "/reports/updates/october-2026/preview/"]
)
def test_staff_without_the_editing_permission_are_refused(client_for, draft, persona, path, request):
    assert client_for(request.getfixturevalue(persona)).get(path).status_code == 403


def test_a_lead_may_not_publish_or_withdraw(client_for, lead, draft):
    c = client_for(lead)
    assert c.get("/reports/updates/october-2026/publish/").status_code == 403
    assert c.post("/reports/updates/october-2026/publish/").status_code == 403
    assert c.post("/reports/updates/october-2026/withdraw/", {"note": "x"}).status_code == 403
    assert PublishedUpdate.objects.get().status == UpdateStatus.DRAFT
    assert "Save and publish" not in c.get("/reports/updates/october-2026/").content.decode()


def test_an_unknown_update_answers_404(client_for, comms):
    assert client_for(comms).get("/reports/updates/no-such-month/").status_code == 404


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_drafts_and_published_updates(client_for, comms, lead, draft):
    update_publish(update=update_draft_for_period(period=datetime.date(2026, 9, 1), now=DRAFTED), publisher=comms)
    for person in (comms, lead):
        page = client_for(person).get("/reports/updates/").content.decode()
        assert "October 2026" in page and "September 2026" in page
        assert "Draft" in page and "Published" in page and "by Sasha Patel" in page


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_updates(client_for, comms):
    c = client_for(comms)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/reports/updates/").status_code == 200
        return len(ctx)

    publish_months(publisher=comms, months=(1, 2))
    few = queries()
    publish_months(publisher=comms, months=range(3, 13))
    assert queries() == few


def test_reports_leads_to_the_updates(client_for, lead):
    assert client_for(lead).get("/reports/")["Location"] == "/reports/updates/"


# --- Editing -------------------------------------------------------------------------------------


def test_a_lead_edits_the_headline_and_narrative_of_a_draft(client_for, lead, draft):
    response = client_for(lead).post(
        "/reports/updates/october-2026/", edit_data(draft, headline="A month of progress", narrative="We did it.")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.narrative, draft.version) == ("A month of progress", "We did it.", 2)


def test_a_stale_edit_is_refused_with_a_message_and_the_editors_text_is_kept(client_for, lead, comms, draft):
    stale = edit_data(draft, headline="The editor's headline")
    client_for(lead).post("/reports/updates/october-2026/", edit_data(draft, headline="The lead's headline"))

    response = client_for(comms).post("/reports/updates/october-2026/", stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Jo Clarke changed the headline" in page
    assert 'value="The editor&#x27;s headline"' in page  # their words are still in the box
    assert PublishedUpdate.objects.get().headline == "The lead's headline"


def test_an_empty_headline_shows_an_error_next_to_it(client_for, comms, draft):
    response = client_for(comms).post("/reports/updates/october-2026/", edit_data(draft, headline=""))
    assert response.status_code == 200
    assert "Enter" in response.content.decode() and 'href="#id_headline"' in response.content.decode()


def test_a_published_update_has_no_edit_form_and_a_post_changes_nothing(client_for, comms, draft):
    update_publish(update=draft, publisher=comms)
    c = client_for(comms)
    page = c.get("/reports/updates/october-2026/").content.decode()
    assert 'name="headline"' not in page and "cannot be edited" in page
    c.post("/reports/updates/october-2026/", edit_data(draft, headline="Changed after publication", version=2))
    assert PublishedUpdate.objects.get().headline == draft.headline


def test_refreshing_a_drafts_figures_keeps_its_words(client_for, lead, draft):
    client_for(lead).post("/reports/updates/october-2026/", edit_data(draft, headline="Kept"))
    response = client_for(lead).post("/reports/updates/october-2026/refresh/")
    assert response.status_code == 302
    assert PublishedUpdate.objects.get().headline == "Kept"


# --- Preview -------------------------------------------------------------------------------------


def test_the_preview_is_the_public_page_with_a_banner(client_for, client, comms, draft):
    preview = client_for(comms).get("/reports/updates/october-2026/preview/").content.decode()
    assert "nobody outside the trust can see it yet" in preview
    update_publish(update=draft, publisher=comms)
    public = client.get("/updates/october-2026/").content.decode()

    def main(html):
        return html[html.index("<h1>") : html.index("</main>")]

    assert main(public) == main(preview).replace(
        "Not yet published.", f"Published on {public.split('Published on ')[1].split('.')[0]}."
    )


# --- Publishing and withdrawing ------------------------------------------------------------------


def test_the_communications_editor_publishes_and_the_public_can_read_it(client_for, client, comms, draft):
    assert client.get("/updates/october-2026/").status_code == 404
    c = client_for(comms)
    assert "Publish update" in c.get("/reports/updates/october-2026/publish/").content.decode()

    response = c.post("/reports/updates/october-2026/publish/")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (UpdateStatus.PUBLISHED, comms)
    assert client.get("/updates/october-2026/").status_code == 200


def test_publishing_twice_shows_a_message_not_an_error_page(client_for, comms, draft):
    c = client_for(comms)
    c.post("/reports/updates/october-2026/publish/")
    response = c.post("/reports/updates/october-2026/publish/")
    assert response.status_code == 200 and "already published" in response.content.decode()


def test_withdrawing_needs_a_note_and_takes_the_update_off_the_public_site(
    client_for, client, comms, draft, django_capture_on_commit_callbacks
):
    c = client_for(comms)
    c.post("/reports/updates/october-2026/publish/")
    assert client.get("/updates/october-2026/").status_code == 200  # now in the public cache

    refused = c.post("/reports/updates/october-2026/withdraw/", {"note": ""})
    assert refused.status_code == 200 and "Enter note for the public" in refused.content.decode()

    # The cache is cleared once the withdrawal commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/reports/updates/october-2026/withdraw/", {"note": "A figure was wrong."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.withdrawn_by, draft.withdrawal_note) == (
        UpdateStatus.WITHDRAWN,
        comms,
        "A figure was wrong.",
    )
    assert client.get("/updates/october-2026/").status_code == 404
    assert "A figure was wrong." in client.get("/updates/").content.decode()


# --- No lost edits, and corrections (issue 17) ------------------------------------------------------


def test_save_and_publish_saves_the_edits_before_the_publish_step(client_for, comms, draft):
    c = client_for(comms)
    response = c.post(
        "/reports/updates/october-2026/", {**edit_data(draft, headline="A changed headline"), "publish": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/updates/october-2026/publish/"
    draft.refresh_from_db()
    assert draft.headline == "A changed headline" and draft.status == UpdateStatus.DRAFT
    c.post("/reports/updates/october-2026/publish/")
    draft.refresh_from_db()
    assert draft.status == UpdateStatus.PUBLISHED and draft.headline == "A changed headline"


def test_save_and_publish_that_cannot_save_keeps_the_unsaved_text_and_publishes_nothing(client_for, comms, draft):
    response = client_for(comms).post(
        "/reports/updates/october-2026/",
        {**edit_data(draft, headline="", narrative="My unsaved words"), "publish": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was published: your changes are not saved yet" in body
    assert "My unsaved words" in body
    draft.refresh_from_db()
    assert draft.status == UpdateStatus.DRAFT and draft.narrative != "My unsaved words"


def test_the_edit_page_offers_no_publish_button_that_would_skip_saving(client_for, comms, draft):
    body = client_for(comms).get("/reports/updates/october-2026/").content.decode()
    assert 'name="publish"' in body and "Save and publish" in body
    assert 'href="/reports/updates/october-2026/publish/"' not in body


def _publish_and_withdraw(c, update):
    c.post(f"/reports/updates/{update.slug}/publish/")
    c.post(f"/reports/updates/{update.slug}/withdraw/", {"note": "Two figures were wrong."})


def test_after_a_withdrawal_comms_starts_a_corrected_update_and_the_public_sees_the_link(
    client_for, client, comms, draft
):
    c = client_for(comms)
    _publish_and_withdraw(c, draft)
    page = c.get("/reports/updates/october-2026/").content.decode()
    assert "Start a corrected update" in page
    response = c.post("/reports/updates/october-2026/correct/")
    assert response["Location"] == "/reports/updates/october-2026-corrected/"
    c.post(
        "/reports/updates/october-2026-corrected/",
        {**edit_data(PublishedUpdate.objects.get(slug="october-2026-corrected"), headline="October, corrected")},
    )
    c.post("/reports/updates/october-2026-corrected/publish/")
    public = client.get("/updates/october-2026-corrected/").content.decode()
    assert "October, corrected" in public and "This is a corrected update" in public
    assert 'href="/updates/october-2026/">read why it was withdrawn</a>' in public
    notice = client.get("/updates/october-2026/")
    assert 'href="/updates/october-2026-corrected/">Read the corrected update' in notice.content.decode()
    # The withdrawn update's page now leads to its correction rather than offering a second one.
    assert "Start a corrected update" not in c.get("/reports/updates/october-2026/").content.decode()


def test_a_lead_may_not_start_a_correction(client_for, comms, lead, draft):
    _publish_and_withdraw(client_for(comms), draft)
    assert client_for(lead).post("/reports/updates/october-2026/correct/").status_code == 403
    assert PublishedUpdate.objects.count() == 1


def test_correcting_an_update_that_is_not_withdrawn_is_refused_with_a_message(client_for, comms, draft):
    c = client_for(comms)
    response = c.post("/reports/updates/october-2026/correct/", follow=True)
    assert "Only a withdrawn update can be corrected" in response.content.decode()
    assert PublishedUpdate.objects.count() == 1


def test_the_preview_of_a_draft_has_the_editorial_breadcrumb_not_the_public_one(client_for, comms, draft):
    body = client_for(comms).get("/reports/updates/october-2026/preview/").content.decode()
    crumbs = body.split('class="nhsuk-breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert "Edit public updates" in crumbs and "Progress updates" not in crumbs


def test_the_status_is_not_said_twice(client_for, comms, draft):
    c = client_for(comms)
    c.post("/reports/updates/october-2026/publish/")
    body = c.get("/reports/updates/october-2026/").content.decode()
    assert re.search(r"Published</strong>\s*On the public site since", body)
    listing = c.get("/reports/updates/").content.decode()
    assert not re.search(r"Published</strong>\s*</td>\s*<td[^>]*>\s*Published", listing)
    assert not re.search(r">\s*Published \d", listing)
