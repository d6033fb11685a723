"""Each role lands on its own work after signing in, and the header offers each only what it may open."""

import re

import pytest
from django.test import Client

from actions.tests.factories import ActionFactory, UserFactory
from secamb_journey.landing import landing_url

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"

LANDINGS = {
    "owner": "/actions/mine/",
    "lead": "/actions/queue/",
    "board": "/dashboard/",
    "comms": "/reports/updates/",
    "admin": "/admin/",
}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def people(owner, lead, board, comms, admin_user):
    return {"owner": owner, "lead": lead, "board": board, "comms": comms, "admin": admin_user}


@pytest.mark.parametrize("role", list(LANDINGS))
def test_each_role_signing_in_without_a_next_page_lands_on_its_own_work(people, role):
    client = Client()
    response = client.post("/accounts/login/", {"username": people[role].username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == LANDINGS[role]
    # ... and that page opens for them: no refusal on arrival.
    assert client.get(response["Location"]).status_code == 200


def test_a_next_page_wins_over_the_landing(lead):
    action = ActionFactory()
    response = Client().post(
        f"/accounts/login/?next=/actions/{action.reference}/",
        {"username": "lead", "password": PASSWORD, "next": f"/actions/{action.reference}/"},
    )
    assert response["Location"] == f"/actions/{action.reference}/"


def test_a_signed_in_person_opening_the_sign_in_page_is_sent_to_their_work(client_for, comms):
    assert client_for(comms).get("/accounts/login/")["Location"] == "/reports/updates/"


def test_someone_with_no_role_and_an_anonymous_visitor_land_on_the_public_home_page(outsider):
    from django.contrib.auth.models import AnonymousUser

    assert landing_url(outsider) == "/"
    assert landing_url(AnonymousUser()) == "/"


def _nav_links(html: str) -> list[str]:
    return re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"', html)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        # Measures for those with measures.view_measure; Performance (public measures) for everyone.
        ("owner", ["/actions/mine/", "/actions/", "/measures/", "/updates/", "/plan/", "/performance/", "/open-data/"]),
        (
            "lead",
            [
                "/actions/queue/",
                "/actions/mine/",
                "/actions/",
                "/dashboard/",
                "/board-packs/",
                "/measures/",
                "/reports/updates/",
                "/updates/",
                "/plan/",
                "/performance/",
                "/open-data/",
            ],
        ),
        # Each role's own work first: on a phone the rest may go under "More".
        (
            "board",
            [
                "/dashboard/",
                "/actions/mine/",
                "/actions/",
                "/board-packs/",
                "/measures/",
                "/updates/",
                "/plan/",
                "/performance/",
                "/open-data/",
            ],
        ),
        # The trust profile: the trust's public words (issue 30), theirs to change.
        (
            "comms",
            ["/reports/updates/", "/reports/trust-profile/", "/updates/", "/plan/", "/performance/", "/open-data/"],
        ),
    ],
)
def test_the_header_offers_each_role_only_pages_it_may_open(people, client_for, role, links):
    client = client_for(people[role])
    html = client.get("/accessibility/").content.decode()
    assert _nav_links(html) == links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_the_staff_and_public_update_pages_have_names_that_cannot_be_confused(client_for, lead):
    html = client_for(lead).get("/accessibility/").content.decode()
    assert 'href="/reports/updates/">Edit public updates</a>' in html
    assert 'href="/updates/">Progress updates</a>' in html
    assert ">Public updates</a>" not in html


def test_a_refusal_page_offers_the_way_back_to_the_persons_own_work(client_for, comms):
    response = client_for(comms).get("/actions/")
    assert response.status_code == 403
    assert 'href="/reports/updates/">Go to the public updates you edit</a>' in response.content.decode()


def test_a_missing_page_offers_a_signed_in_lead_their_work_queue(client_for, lead):
    response = client_for(lead).get("/actions/XX-999/")
    assert response.status_code == 404
    assert 'href="/actions/queue/">Go to your work queue</a>' in response.content.decode()


def test_a_csrf_failure_explains_itself_and_offers_the_way_back(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form could not be sent" in body
    assert "Nothing was saved." in body
    assert 'href="/actions/mine/">Go to your actions</a>' in body
    assert 'href="/accounts/logout/">Go back to the page you were on</a>' in body  # the form's own page
