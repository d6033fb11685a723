"""Lock-out after repeated failed sign-ins (django-axes), keyed on the username: it says when to try
again, an administrator can lift it, and a colleague behind the same address is never locked out.
Password strength is Django's validators, 12 characters at least.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from actions.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
TRUST_NAT = "10.20.30.40"  # the one address a whole ambulance station's staff reach the site from


def _fail_until_locked(settings, username="owner"):
    client = Client(REMOTE_ADDR=TRUST_NAT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return client


def test_the_lock_out_message_says_how_long_to_wait_and_who_can_help(owner, settings):
    client = _fail_until_locked(settings)
    locked = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    body = locked.content.decode()
    assert locked.status_code == 429  # Too Many Requests (django-axes)
    assert "Your account is locked for 15 minutes" in body
    assert f"({settings.AXES_FAILURE_LIMIT} in a row)" in body
    assert "ask an administrator to unlock it" in body
    assert "_auth_user_id" not in client.session


def test_a_colleague_at_the_same_address_still_signs_in_while_one_account_is_locked(owner, other_owner, settings):
    _fail_until_locked(settings)
    colleague = Client(REMOTE_ADDR=TRUST_NAT)
    response = colleague.post("/accounts/login/", {"username": "owner2", "password": PASSWORD})
    assert response.status_code == 302
    assert colleague.get("/actions/mine/").status_code == 200


def test_an_administrator_unlocks_an_account_with_the_management_command(owner, settings):
    _fail_until_locked(settings)
    assert AccessAttempt.objects.filter(username="owner").exists()
    call_command("axes_reset_username", "owner")
    assert not AccessAttempt.objects.filter(username="owner").exists()
    response = Client(REMOTE_ADDR=TRUST_NAT).post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302


def test_an_administrator_can_see_and_delete_lock_outs_in_the_admin(owner, settings):
    _fail_until_locked(settings)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "owner" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="owner")
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.filter(username="owner").exists()


def test_the_lock_out_lifts_by_itself_after_the_cool_off(owner, settings):
    import datetime

    from django.utils import timezone

    _fail_until_locked(settings)
    AccessAttempt.objects.filter(username="owner").update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = Client(REMOTE_ADDR=TRUST_NAT).post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012", "owner-owner"])
def test_weak_passwords_are_refused(owner, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=owner)


def test_a_long_uncommon_password_is_accepted(owner):
    validate_password("ambulance-tide-kettle-47", user=owner)
