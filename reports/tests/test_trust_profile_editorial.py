"""The trust profile page at /reports/trust-profile/: communications editors change the trust's names and
public words, with a preview, protection from stale edits and a history; the public pages follow."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from actions.tests.factories import UserFactory
from reports.tests.test_trust_profile import SMALL
from reports.trust_profile import ProfileRefused, trust_profile_load
from secamb_journey import generations
from secamb_journey.models import TrustProfile
from secamb_journey.profile import EDITABLE_FIELDS, profile_version, trust_profile_edit
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

PAGE = "/reports/trust-profile/"
HISTORY = "/reports/trust-profile/history/"
ADMIN_CHANGE = f"/admin/secamb_journey/trustprofile/{TrustProfile.SINGLETON}/change/"


@pytest.fixture
def profile():
    trust_profile_load(SMALL)
    return TrustProfile.objects.get()


def read_token(page: str) -> str:
    return re.search(r'name="read" value="([^"]*)"', page).group(1)


def form_data(client, **changes) -> dict:
    """What the page's form posts when nothing is typed over, with `changes` typed over it."""
    page = client.get(PAGE).content.decode()
    stored = TrustProfile.objects.get()
    data = {name: getattr(stored, name) for name in EDITABLE_FIELDS}
    return {**data, "read": read_token(page), "reason": "Words refreshed", **changes}


# --- Who may open it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PAGE, HISTORY])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, profile, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("persona", ["owner", "lead", "board", "outsider"])
def test_every_role_but_a_communications_editor_is_refused_and_changes_nothing(client_for, profile, persona, request):
    c = client_for(request.getfixturevalue(persona))
    assert c.get(PAGE).status_code == 403
    assert c.get(HISTORY).status_code == 403
    data = {name: getattr(profile, name) for name in EDITABLE_FIELDS}
    assert c.post(PAGE, {**data, "strategy": "Taken over", "reason": "x"}).status_code == 403
    assert TrustProfile.objects.get().strategy == "To care better."


def test_a_communications_editor_and_an_administrator_may_open_it(client_for, comms, profile):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    for person in (comms, admin):
        page = client_for(person).get(PAGE).content.decode()
        assert "Wessex Coast Ambulance Service NHS Trust" in page and "To care better." in page
        assert "R0X" in page and 'name="ods_code"' not in page  # shown; changed by an administrator


def test_it_is_linked_from_the_header_and_the_updates_list_for_those_who_may_open_it(client_for, comms, lead, profile):
    link = f'href="{PAGE}"'
    assert link in client_for(comms).get("/reports/updates/").content.decode()
    assert link in client_for(comms).get("/").content.decode()  # the header, on every page
    assert link not in client_for(lead).get("/reports/updates/").content.decode()


def test_the_service_refuses_anyone_without_the_permission_whatever_calls_it(lead, profile):
    with pytest.raises(PermissionDenied):
        trust_profile_edit(editor=lead, data={"strategy": "x"}, read=profile_version(profile), reason="x")
    assert TrustProfile.objects.get().strategy == "To care better."


# --- Editing -------------------------------------------------------------------------------------------


def test_a_save_is_on_the_home_page_at_once_and_in_the_history_with_who_and_why(client, client_for, comms, profile):
    assert "To care better." in client.get("/").content.decode()  # cached for anonymous readers now
    c = client_for(comms)
    response = c.post(PAGE, form_data(c, strategy="Our *new* strategy.", reason="Board approved the strategy"))
    assert response.status_code == 302 and response["Location"] == PAGE
    generations.forget()  # as every process does within a second (test_trust_profile_processes.py)
    home = client.get("/").content.decode()
    assert "Our <em>new</em> strategy." in home and "To care better." not in home
    latest = TrustProfile.history.first()
    assert (latest.history_user, latest.history_change_reason) == (comms, "Board approved the strategy")
    history = c.get(HISTORY).content.decode()
    assert "by Sasha Patel" in history and "“Board approved the strategy”" in history
    # The version before it, loaded from the profile file, is there too.
    assert "Our *new* strategy." in history and "from a profile file or the command line" in history


def test_the_markdown_is_sanitised_as_an_updates_is(client, client_for, comms, profile):
    c = client_for(comms)
    words = '<script>alert("x")</script> [Our plan](https://example.nhs.uk/plan) [bad](javascript:alert(1))'
    c.post(PAGE, form_data(c, introduction=words))
    generations.forget()
    home = client.get("/").content.decode()
    assert "<script>alert" not in home and "&lt;script&gt;" in home
    assert '<a href="https://example.nhs.uk/plan" rel="noopener noreferrer">Our plan</a>' in home
    assert "javascript:" not in home


def test_a_preview_shows_the_rendered_words_and_saves_nothing(client_for, comms, profile):
    c = client_for(comms)
    data = form_data(c, purpose="To **care**, always. <script>x</script>", reason="", preview="Preview")
    page = c.post(PAGE, data).content.decode()
    assert "Preview: not saved" in page
    assert "To <strong>care</strong>, always. &lt;script&gt;x&lt;/script&gt;" in page  # the home page's renderer
    assert "To **care**, always." in page  # and the words as typed, still in the form
    assert "There is a problem" not in page  # no reason asked for until it is saved
    assert TrustProfile.objects.get().purpose == "To care."
    assert TrustProfile.history.count() == 1


def test_a_save_needs_a_reason_and_one_that_changes_nothing_records_nothing(client_for, comms, profile):
    c = client_for(comms)
    page = c.post(PAGE, form_data(c, strategy="New", reason="")).content.decode()
    assert "Enter what you changed, and why" in page
    assert TrustProfile.objects.get().strategy == "To care better."
    response = c.post(PAGE, form_data(c), follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    assert TrustProfile.history.count() == 1


def test_a_second_editor_who_opened_it_before_the_first_saved_is_told_and_loses_nothing(client_for, comms, profile):
    other = UserFactory(username="comms2", first_name="Lee", last_name="Brown", roles=[Role.COMMS])
    mine, theirs = client_for(comms), client_for(other)
    my_form = form_data(mine, introduction="My new introduction.", reason="Mine")
    their_form = form_data(theirs, strategy="Their new strategy.", reason="Theirs")
    assert theirs.post(PAGE, their_form).status_code == 302

    response = mine.post(PAGE, my_form)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Lee Brown changed the trust profile at" in page and "(strategy)" in page
    assert "Their new strategy." in page  # what they saved, shown
    assert "My new introduction." in page  # what I typed, still in the form
    assert TrustProfile.objects.get().strategy == "Their new strategy."  # theirs kept
    assert TrustProfile.objects.get().introduction == "We are **improving**."  # mine not saved over it

    # The form now reads the current version: saving again keeps both.
    again = {**my_form, "strategy": "Their new strategy.", "read": read_token(page)}
    assert mine.post(PAGE, again).status_code == 302
    saved = TrustProfile.objects.get()
    assert (saved.introduction, saved.strategy) == ("My new introduction.", "Their new strategy.")


def test_an_edit_in_the_admin_makes_an_open_page_stale_too(client_for, comms, profile):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    mine = client_for(comms)
    my_form = form_data(mine, purpose="Mine.")
    admin_form = {f.name: getattr(profile, f.name) for f in TrustProfile._meta.fields if f.editable}
    admin_form.update(read=profile_version(profile), change_reason="Renamed by the board")
    assert client_for(admin).post(ADMIN_CHANGE, {**admin_form, "programme_name": "Renamed"}).status_code == 302
    assert mine.post(PAGE, my_form).status_code == 409
    assert TrustProfile.objects.get().purpose == "To care."


# --- One rule, three doors ------------------------------------------------------------------------------


def test_the_page_the_admin_and_the_loader_refuse_the_same_bad_address_with_the_same_words(client_for, comms, profile):
    message = "Enter a valid email address."
    c = client_for(comms)
    page = c.post(PAGE, form_data(c, contact_email="not-an-address")).content.decode()
    assert message in page

    admin = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    admin_form = {f.name: getattr(profile, f.name) for f in TrustProfile._meta.fields if f.editable}
    assert message in admin.post(ADMIN_CHANGE, {**admin_form, "contact_email": "not-an-address"}).content.decode()

    with pytest.raises(ProfileRefused) as refused:
        trust_profile_load(SMALL.replace("better-care@wcas.example.nhs.uk", "not-an-address"))
    assert any(message in problem and "contact_email" in problem for problem in refused.value.problems)

    assert TrustProfile.objects.get().contact_email == "better-care@wcas.example.nhs.uk"


def test_before_any_profile_is_loaded_the_page_says_so(client_for, comms):
    page = client_for(comms).get(PAGE).content.decode()
    assert "No trust profile has been loaded yet" in page and "<form" not in page.split("<main")[1]
