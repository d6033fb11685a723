"""The trust profile in the admin: edited by a communications editor or an administrator, with history, under
the same validation as the loader; its Markdown sanitised as updates are; every page reads it, within the
public cache's promise."""

import pytest

from actions.tests.factories import UserFactory
from reports.models import PublicContentGeneration
from reports.tests.test_trust_profile import SMALL
from reports.trust_profile import trust_profile_load
from secamb_journey import generations
from secamb_journey.models import TrustProfile
from secamb_journey.profile import profile_version, trust_profile_edit
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db

CHANGE = f"/admin/secamb_journey/trustprofile/{TrustProfile.SINGLETON}/change/"


@pytest.fixture
def profile():
    trust_profile_load(SMALL)
    return TrustProfile.objects.get()


def _form(profile, **changes) -> dict:
    fields = [f.name for f in TrustProfile._meta.fields if f.editable and f.name != "updated_at"]
    read = {"read": profile_version(profile), "change_reason": "Agreed by the communications team"}
    return {**{name: getattr(profile, name) for name in fields}, **read, **changes}


@pytest.fixture
def administrator():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_an_administrators_edit_of_the_strategy_is_read_back_on_the_home_page_with_history(
    client, client_for, administrator, profile
):
    assert "To care better." in client.get("/").content.decode()  # cached for anonymous readers now
    response = client_for(administrator).post(CHANGE, _form(profile, strategy="Our *new* strategy, approved."))
    assert response.status_code == 302
    generations.forget()  # as every process does within a second (test_trust_profile_processes.py)
    home = client.get("/").content.decode()
    assert "Our <em>new</em> strategy, approved." in home and "To care better." not in home
    latest = TrustProfile.history.first()
    assert (latest.strategy, latest.history_user) == ("Our *new* strategy, approved.", administrator)


def test_a_communications_editor_with_admin_access_may_edit_it_and_an_owner_may_not(client_for, profile):
    comms = UserFactory(username="comms-staff", is_staff=True, roles=[Role.COMMS])
    owner = UserFactory(username="owner-staff", is_staff=True, roles=[Role.OWNER])
    assert client_for(owner).get(CHANGE).status_code == 403
    client_for(owner).post(CHANGE, _form(profile, programme_name="Taken over"))
    assert TrustProfile.objects.get().programme_name == "Better Care Programme"
    assert client_for(comms).post(CHANGE, _form(profile, programme_name="Better Care 2030")).status_code == 302
    assert TrustProfile.objects.get().programme_name == "Better Care 2030"


def test_the_admin_refuses_what_the_loader_refuses_and_cannot_delete_or_add_a_second(
    client_for, administrator, profile
):
    admin = client_for(administrator)
    page = admin.post(CHANGE, _form(profile, ods_code="r0x", contact_email="nobody")).content.decode()
    assert "An ODS organisation code is 3 to 5 capital letters or digits" in page
    assert "Enter a valid email address." in page
    assert TrustProfile.objects.get().ods_code == "R0X"
    assert admin.get("/admin/secamb_journey/trustprofile/add/").status_code == 403
    assert admin.post(CHANGE.replace("change", "delete"), {"post": "yes"}).status_code == 403


def test_the_home_pages_trust_words_are_sanitised_markdown_like_an_updates(client, client_for, administrator, profile):
    words = '<script>alert("x")</script> [Our plan](https://example.nhs.uk/plan) [bad](javascript:alert(1))'
    client_for(administrator).post(CHANGE, _form(profile, introduction=words))
    generations.forget()
    home = client.get("/").content.decode()
    assert "<script>alert" not in home and "&lt;script&gt;" in home
    assert '<a href="https://example.nhs.uk/plan" rel="noopener noreferrer">Our plan</a>' in home
    assert "javascript:" not in home


def test_a_change_to_the_profile_by_any_path_moves_the_public_generation(profile):
    before = PublicContentGeneration.objects.get().token
    TrustProfile.objects.update(purpose="Changed by .update(), as a script or a history revert might")
    assert PublicContentGeneration.objects.get().token != before


def test_every_page_names_the_trust_from_its_profile_and_none_before_one_is_loaded(client):
    page = client.get("/accessibility/").content.decode()
    assert "Wessex" not in page and "run by the trust" in page
    trust_profile_load(SMALL)
    page = client.get("/accessibility/").content.decode()
    assert "<title>Accessibility statement – Better Care tracker – WCAS</title>" in page
    assert "Wessex Coast Ambulance Service NHS Trust" in page and "mailto:better-care@wcas.example.nhs.uk" in page


def test_an_admin_change_says_why_and_the_reason_is_kept_in_the_history(client_for, administrator, profile):
    admin = client_for(administrator)
    page = admin.post(CHANGE, _form(profile, programme_name="Better Care 2030", change_reason="")).content.decode()
    assert "Say what you changed and why" in page
    assert TrustProfile.objects.get().programme_name == "Better Care Programme"
    assert admin.post(CHANGE, _form(profile, programme_name="Better Care 2030")).status_code == 302
    latest = TrustProfile.history.first()
    assert (latest.programme_name, latest.history_change_reason, latest.history_user) == (
        "Better Care 2030",
        "Agreed by the communications team",
        administrator,
    )


def test_an_admin_change_read_before_another_save_is_refused_keeping_the_words_typed(
    client_for, administrator, profile
):
    comms = UserFactory(username="comms", first_name="Casey", last_name="Comms", roles=[Role.COMMS])
    opened = _form(profile, purpose="The administrator's purpose")
    trust_profile_edit(
        editor=comms, data={"purpose": "The editor's purpose"}, read=profile_version(profile), reason="Board asked"
    )
    page = client_for(administrator).post(CHANGE, opened).content.decode()
    assert "Casey Comms changed the trust profile" in page and "(purpose)" in page
    assert "The administrator&#x27;s purpose" in page  # still in the form
    assert TrustProfile.objects.get().purpose == "The editor's purpose"


def test_a_history_revert_in_the_admin_is_a_change_with_its_reason_and_stale_check(client_for, administrator, profile):
    admin = client_for(administrator)
    first = TrustProfile.history.earliest()
    admin.post(CHANGE, _form(profile, programme_name="Better Care 2030"))
    current = TrustProfile.objects.get()
    revert = f"/admin/secamb_journey/trustprofile/{current.pk}/history/{first.history_id}/"
    assert 'name="change_reason"' in admin.get(revert).content.decode()
    page = admin.post(revert, _form(first.instance, read=profile_version(current), change_reason="")).content.decode()
    assert "Say what you changed and why" in page and TrustProfile.objects.get().programme_name == "Better Care 2030"
    opened_before_the_change = profile_version(profile)
    stale = admin.post(revert, _form(first.instance, read=opened_before_the_change)).content.decode()
    assert "changed the trust profile" in stale and TrustProfile.objects.get().programme_name == "Better Care 2030"
    reverted = _form(first.instance, read=profile_version(current), change_reason="Back to the board's name")
    assert admin.post(revert, reverted).status_code == 302
    assert TrustProfile.objects.get().programme_name == "Better Care Programme"
    assert TrustProfile.history.first().history_change_reason == "Back to the board's name"
