"""A stolen password cannot enrol the thief's authenticator (issue 18): a lead or administrator without
an app needs a one-time enrolment code from an administrator (hashed, single use, expiring) to set one up.
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.tests.factories import UserFactory
from secamb_journey import enrolment, two_factor
from secamb_journey.enrolment import enrolment_code_issue, enrolment_code_redeem
from secamb_journey.models import EnrolmentCode
from secamb_journey.tests.test_security_two_factor import PASSWORD, _code_for, _sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_with_the_password_alone_a_lead_cannot_reach_the_app_set_up(lead, required):
    client, location = _sign_in("lead", "/actions/")
    setup_url = client.get(location)["Location"]
    page = client.get(setup_url)
    body = page.content.decode()
    assert page.status_code == 200 and "Enter your enrolment code" in body
    assert "app-qr-code" not in body
    assert not TOTPDevice.objects.filter(user=lead).exists()  # no key was even made
    wrong = client.post(setup_url, {"enrolment_code": "AAAA-BBBB-CCCC"})
    assert "The enrolment code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert client.get("/actions/")["Location"].startswith("/accounts/two-factor/setup/")


def test_with_an_administrators_code_the_lead_sets_up_their_app(lead, administrator, required):
    _, code = enrolment_code_issue(user=lead, issued_by=administrator)
    client, location = _sign_in("lead", "/actions/")
    setup_url = client.get(location)["Location"]
    accepted = client.post(setup_url, {"enrolment_code": code.lower().replace("-", " ")})
    assert accepted.status_code == 302
    qr = client.get(accepted["Location"])
    assert "app-qr-code" in qr.content.decode()
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    assert client.post(accepted["Location"], {"token": _code_for(device)}).status_code == 200
    assert client.get("/actions/").status_code == 200


def test_a_code_works_once_and_is_stored_only_hashed(lead, administrator):
    record, code = enrolment_code_issue(user=lead, issued_by=administrator)
    assert code.replace("-", "") not in record.code_hash
    assert enrolment_code_redeem(user=lead, code=code)
    assert not enrolment_code_redeem(user=lead, code=code)


def test_a_code_expires(lead, administrator):
    _, code = enrolment_code_issue(user=lead, issued_by=administrator)
    later = timezone.now() + datetime.timedelta(hours=73)
    assert not enrolment_code_redeem(user=lead, code=code, now=later)


def test_a_code_is_for_one_person_only(lead, other_lead, administrator):
    _, code = enrolment_code_issue(user=lead, issued_by=administrator)
    assert not enrolment_code_redeem(user=other_lead, code=code)


def test_a_new_code_replaces_the_old_one(lead, administrator):
    _, first = enrolment_code_issue(user=lead, issued_by=administrator)
    _, second = enrolment_code_issue(user=lead, issued_by=administrator)
    assert not enrolment_code_redeem(user=lead, code=first)
    assert enrolment_code_redeem(user=lead, code=second)


def test_guessing_the_code_stops_it_working(lead, administrator):
    _, code = enrolment_code_issue(user=lead, issued_by=administrator)
    for _ in range(enrolment.MAX_FAILED_ATTEMPTS):
        assert not enrolment_code_redeem(user=lead, code="WRONG-WRONG-WRNG")
    assert not enrolment_code_redeem(user=lead, code=code)


def test_only_an_administrator_issues_codes(lead, other_lead):
    with pytest.raises(PermissionDenied):
        enrolment_code_issue(user=other_lead, issued_by=lead)


def test_an_administrator_issues_a_code_in_the_admin_and_sees_it_once(lead, administrator):
    client = Client()
    client.force_login(administrator)
    response = client.post("/admin/secamb_journey/enrolmentcode/add/", {"user": lead.pk}, follow=True)
    assert response.status_code == 200
    message = next(str(m) for m in response.context["messages"] if "Enrolment code for lead" in str(m))
    code = message.split(": ", 1)[1].split(".", 1)[0]
    assert enrolment_code_redeem(user=lead, code=code)
    assert EnrolmentCode.objects.get(user=lead).issued_by == administrator


def test_the_management_command_issues_a_code(lead, administrator):
    out = io.StringIO()
    call_command("issue_enrolment_code", "lead", stdout=out)
    code = out.getvalue().split(": ", 1)[1].split(" ", 1)[0]
    assert enrolment_code_redeem(user=lead, code=code)


def test_a_sign_in_through_the_identity_provider_needs_no_code(lead, required, monkeypatch):
    monkeypatch.setattr(two_factor, "user_signed_in_via_identity_provider", lambda request: True)
    client = Client()
    client.force_login(lead)
    page = client.get("/accounts/two-factor/setup/")
    assert "app-qr-code" in page.content.decode()


def test_an_owner_choosing_an_app_needs_no_code(owner, required):
    client, _ = _sign_in("owner")
    assert "app-qr-code" in client.get("/accounts/two-factor/setup/").content.decode()


def test_the_password_still_signs_in(lead):
    assert Client().post("/accounts/login/", {"username": "lead", "password": PASSWORD}).status_code == 302
