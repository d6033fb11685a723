"""Signing in and out: NHS.UK form with clear errors, back to the page asked for, lock-out after
repeated failures (django-axes, by username), sign-out by POST only.
"""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_signs_in_and_comes_back_to_the_page_they_asked_for(owner, action):
    client = Client()
    response = client.get(f"/actions/{action.reference}/")
    assert response["Location"] == f"/accounts/login/?next=/actions/{action.reference}/"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "nhsuk-input" in body and "Sign in" in body
    signed_in = client.post(
        response["Location"],
        {"username": "owner", "password": "a-long-test-password", "next": f"/actions/{action.reference}/"},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == f"/actions/{action.reference}/"
    assert client.get(signed_in["Location"]).status_code == 200


def test_an_owner_signing_in_with_no_next_page_goes_to_my_actions(owner):
    response = Client().post("/accounts/login/", {"username": "owner", "password": "a-long-test-password"})
    assert response["Location"] == "/actions/mine/"


def test_a_wrong_password_is_refused_with_a_clear_error(owner):
    response = Client().post("/accounts/login/", {"username": "owner", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The username or password is not right." in body
    assert "<title>Error: " in body
    assert "_auth_user_id" not in Client().session


def test_empty_fields_are_named(db):
    body = Client().post("/accounts/login/", {}).content.decode()
    assert "Enter your username" in body and "Enter your password" in body


def test_a_sign_in_may_not_send_anyone_to_another_site(owner):
    response = Client().post(
        "/accounts/login/?next=https://evil.example/", {"username": "owner", "password": "a-long-test-password"}
    )
    assert response["Location"] == "/actions/mine/"


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(owner, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "owner", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "owner", "password": "a-long-test-password"})
    assert locked.status_code == 429  # Too Many Requests (django-axes)
    assert "_auth_user_id" not in client.session
    # Another person's account is not locked by it (lock-out is by username).
    from actions.tests.factories import UserFactory

    UserFactory(username="colleague")
    other = Client().post("/accounts/login/", {"username": "colleague", "password": "a-long-test-password"})
    assert other.status_code == 302


def test_sign_out_is_by_post_only(owner):
    client = Client()
    client.force_login(owner)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/actions/mine/")["Location"].startswith("/accounts/login/")
