"""Nobody can lock a named colleague out (issue 18): failures count per username and address, with a
much higher limit per username alone, and each lock after the first lasts longer.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from actions.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
ATTACKER = "203.0.113.66"
ADMIN_DESK = "10.20.30.40"


def _sign_in(address, username, password):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def test_an_attacker_failing_for_admin_does_not_lock_the_admin_out_elsewhere(settings):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _sign_in(ATTACKER, "admin", "guess")
    # The attacker's own address is locked for that username, even with the right password...
    assert _sign_in(ATTACKER, "admin", PASSWORD).status_code in (403, 429)
    # ...and the administrator at their own desk still signs in.
    response = _sign_in(ADMIN_DESK, "admin", PASSWORD)
    assert response.status_code == 302


def test_guessing_spread_over_many_addresses_locks_the_username_at_the_higher_limit(owner, settings):
    settings.AXES_USERNAME_FAILURE_LIMIT = 12
    for n in range(settings.AXES_USERNAME_FAILURE_LIMIT):
        _sign_in(f"198.51.100.{n + 1}", "owner", "guess")  # one try per address: no pair reaches 5
    assert _sign_in(ADMIN_DESK, "owner", PASSWORD).status_code in (403, 429)


def test_below_the_username_limit_a_spread_attack_locks_nobody(owner, settings):
    settings.AXES_USERNAME_FAILURE_LIMIT = 12
    for n in range(settings.AXES_USERNAME_FAILURE_LIMIT - 2):
        _sign_in(f"198.51.100.{n + 1}", "owner", "guess")
    assert _sign_in(ADMIN_DESK, "owner", PASSWORD).status_code == 302


def test_each_lock_after_the_first_lasts_twice_as_long(owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(ATTACKER, "owner", "guess")
    first = _sign_in(ATTACKER, "owner", PASSWORD).content.decode()
    assert "locked for 15 minutes" in first
    # The first lock lifts after 15 minutes; guessing on earns a lock of 30.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(ATTACKER, "owner", "guess")
    second = _sign_in(ATTACKER, "owner", PASSWORD).content.decode()
    assert "locked for 30 minutes" in second
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=20))
    assert _sign_in(ATTACKER, "owner", PASSWORD).status_code in (403, 429)  # still locked at 20 minutes
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _sign_in(ATTACKER, "owner", PASSWORD).status_code == 302


def test_an_over_long_username_is_refused_and_counted_by_its_first_150_characters(client):
    # PostgreSQL refused axes' insert of a 300-character username (its column holds 255): a 500 for
    # whoever typed it. Now it is an ordinary refusal, counted under the name cut to Django's 150.
    response = client.post("/accounts/login/", {"username": "A" * 300, "password": "wrong"})
    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["A" * 150]
