"""The second factor: optional for everyone; required of improvement leads and administrators when
OTP_REQUIRED_FOR_PRIVILEGED is on (set up an app on first sign-in, then a code after every password).
"""

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.tests.factories import ActionFactory, UserFactory
from secamb_journey.enrolment import SESSION_KEY as ENROLMENT_SESSION_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def _code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _sign_in(username: str, next_url: str = "/actions/mine/") -> tuple[Client, str]:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return client, response["Location"]


def _enrolment_code_given(client: Client) -> None:
    """As if the person had entered an administrator's enrolment code (test_enrolment_codes.py tests that step)."""
    session = client.session
    session[ENROLMENT_SESSION_KEY] = True
    session.save()


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True


def test_when_not_required_a_lead_signs_in_with_a_password_alone(lead, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = False
    client, location = _sign_in("lead")
    assert client.get(location).status_code == 200


def test_when_required_a_lead_with_no_app_is_sent_to_set_one_up_and_then_reaches_the_page(lead, required):
    client, location = _sign_in("lead", "/actions/")
    page = client.get(location)
    assert page.status_code == 302 and page["Location"] == "/accounts/two-factor/setup/?next=%2Factions%2F"
    _enrolment_code_given(client)
    setup = client.get(page["Location"])
    body = setup.content.decode()
    assert setup.status_code == 200 and "Set up an authenticator app" in body
    # The QR code is an SVG data URI in an <img> (the CSP allows img-src data:), never inline markup.
    data_uri = re.search(r'<img class="app-qr-code" src="data:image/svg\+xml;base64,([^"]+)"', body)
    assert data_uri and b"<svg" in base64.b64decode(data_uri.group(1))
    assert "style=" not in body  # no inline style for the CSP to refuse
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    assert base64.b32encode(device.bin_key).decode()[:4] in body  # the key to type if the camera fails
    # Until confirmed, the staff pages stay shut.
    assert client.get("/actions/")["Location"].startswith("/accounts/two-factor/setup/")

    confirmed = client.post(page["Location"], {"token": _code_for(device)})
    assert confirmed.status_code == 200
    assert "Save your backup codes" in confirmed.content.decode()
    assert 'href="/actions/"' in confirmed.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=lead).count() == 10
    assert client.get("/actions/").status_code == 200


def test_when_required_a_lead_with_an_app_enters_a_code_after_the_password(lead, required):
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    client, location = _sign_in("lead", "/actions/")
    step = client.get(location)
    assert step.status_code == 302 and step["Location"] == "/accounts/two-factor/?next=%2Factions%2F"
    assert "Enter the code from your authenticator app" in client.get(step["Location"]).content.decode()
    done = client.post(step["Location"], {"token": _code_for(device)})
    assert done.status_code == 302 and done["Location"] == "/actions/"
    assert client.get("/actions/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_error_and_the_pages_stay_shut(lead, required):
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    client, _ = _sign_in("lead")
    wrong = f"{(int(_code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"token": wrong})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body and "The code is not right." in body
    assert client.get("/actions/").status_code == 302
    empty = client.post("/accounts/two-factor/", {"token": ""}).content.decode()
    assert "Enter the code from your authenticator app" in empty


def test_a_wrong_code_at_set_up_is_refused_and_the_app_is_not_confirmed(lead, required):
    client, _ = _sign_in("lead")
    _enrolment_code_given(client)
    client.get("/accounts/two-factor/setup/")
    body = client.post("/accounts/two-factor/setup/", {"token": "000000x"}).content.decode()
    assert "The code is not right." in body
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()


def test_a_backup_code_works_once(lead, required):
    from django_otp.plugins.otp_static.models import StaticDevice

    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=lead, name="Backup codes", confirmed=True)
    backup.token_set.create(token="abcd1234")
    client, _ = _sign_in("lead")
    assert client.post("/accounts/two-factor/", {"token": "abcd 1234"}).status_code == 302
    again, _ = _sign_in("lead")
    assert again.post("/accounts/two-factor/", {"token": "abcd1234"}).status_code == 200


def test_an_owner_is_not_asked_for_a_second_factor(owner, board, required):
    action = ActionFactory(owner=owner, executive_lead=board)
    client, location = _sign_in("owner")
    assert client.get(location).status_code == 200
    assert client.get(f"/actions/{action.reference}/progress/").status_code == 200


def test_an_owner_may_choose_to_set_up_an_app_and_is_then_asked_for_a_code_at_each_sign_in(owner, board):
    action = ActionFactory(owner=owner, executive_lead=board)
    client, _ = _sign_in("owner")
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=owner)
    assert client.post("/accounts/two-factor/setup/", {"token": _code_for(device)}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert "Your authenticator app is set up" in client.get("/accounts/two-factor/setup/").content.decode()
    assert client.get(f"/actions/{action.reference}/").status_code == 200

    later, location = _sign_in("owner", f"/actions/{action.reference}/")
    step = later.get(location)
    assert step.status_code == 302 and step["Location"].startswith("/accounts/two-factor/?next=")
    device.refresh_from_db()
    device.last_t = -1  # the code above was used once already; the next 30-second code is fresh anyway
    device.save()
    done = later.post(step["Location"], {"token": _code_for(device)})
    assert done["Location"] == f"/actions/{action.reference}/"


def test_when_an_administrator_removes_an_owners_lost_app_they_sign_in_with_a_password_again(owner):
    TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=True)
    client, location = _sign_in("owner")
    assert client.get(location)["Location"].startswith("/accounts/two-factor/")
    TOTPDevice.objects.filter(user=owner).delete()
    assert client.get("/accounts/two-factor/?next=/actions/mine/")["Location"] == "/actions/mine/"
    assert client.get("/actions/mine/").status_code == 200


def test_a_lead_whose_app_was_removed_must_set_up_a_new_one_when_required(lead, required):
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    client, _ = _sign_in("lead")
    TOTPDevice.objects.filter(user=lead).delete()
    response = client.get("/accounts/two-factor/?next=/actions/")
    assert response["Location"].startswith("/accounts/two-factor/setup/")


def test_signing_in_without_a_second_factor_costs_no_extra_query_per_page(owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, location = _sign_in("owner")
    with CaptureQueriesContext(connection) as queries:
        client.get(location)
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]


def test_an_administrator_must_give_a_code_before_the_admin(required):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    client, _ = _sign_in("admin")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/setup/")


def test_public_pages_health_check_and_sign_out_stay_reachable_mid_sign_in(lead, required):
    client, _ = _sign_in("lead")
    health = client.get("/healthz")  # answered, not sent to the second-factor setup
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert client.post("/accounts/logout/").status_code == 302


def test_the_second_factor_pages_need_a_signed_in_person(db):
    for url in ("/accounts/two-factor/", "/accounts/two-factor/setup/"):
        assert Client().get(url)["Location"].startswith("/accounts/login/")
