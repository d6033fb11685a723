"""Local passwords: kept for the embedded default, switched off in production except for break-glass
administrators; and the single sign-on settings refuse anything ambiguous.
"""

import os

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured

from actions.tests.factories import UserFactory
from secamb_journey.env import env_mapping
from secamb_journey.roles import Role
from secamb_journey.tests.test_settings import _import_settings

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # noqa: S105 -- the factories' test password


@pytest.fixture
def passwords_off(settings, sso):
    settings.LOCAL_LOGIN_ENABLED = False
    settings.BREAK_GLASS_USERNAMES = ["glass"]


def test_with_local_passwords_off_a_member_of_staff_cannot_sign_in_with_one(client, passwords_off):
    UserFactory(username="owner", roles=[Role.OWNER])
    response = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_with_local_passwords_off_a_break_glass_administrator_still_can(client, passwords_off):
    glass = UserFactory(username="glass", is_staff=True, is_superuser=True)
    response = client.post("/accounts/login/", {"username": "glass", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(glass.pk)


def test_with_local_passwords_off_the_page_offers_the_nhs_account_first_and_break_glass_behind_a_reveal(
    client, passwords_off
):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your NHS account" in page
    assert "Break-glass sign-in for administrators" in page
    assert "Or sign in with a username and password" not in page


def test_the_role_map_is_read_strictly(monkeypatch):
    monkeypatch.setenv("OIDC_ROLE_MAP", "ij-owners:owner, ij-leads:lead,ij-admins:admin")
    assert env_mapping("OIDC_ROLE_MAP", values={"owner", "lead", "admin"}) == {
        "ij-owners": "owner",
        "ij-leads": "lead",
        "ij-admins": "admin",
    }
    for bad, message in [
        ("ij-owners=owner", "not a 'name:value' pair"),
        ("ij-owners:owner:lead", "not a 'name:value' pair"),
        (":owner", "not a 'name:value' pair"),
        ("ij-x:superuser", "use one of"),
        ("ij-a:owner,ij-a:lead", "given twice"),
    ]:
        monkeypatch.setenv("OIDC_ROLE_MAP", bad)
        with pytest.raises(ImproperlyConfigured, match=message):
            env_mapping("OIDC_ROLE_MAP", values={"owner", "lead", "admin"})


SSO = {"DEBUG": "true", "OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0"}


def test_a_malformed_role_map_stops_the_app_starting_with_a_clear_message():
    result = _import_settings(**SSO, OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s", OIDC_ROLE_MAP="ij-leads=lead")
    assert result.returncode != 0
    assert "OIDC_ROLE_MAP: 'ij-leads=lead' is not a 'name:value' pair" in result.stderr


def test_single_sign_on_without_a_client_id_and_secret_stops_the_app_starting():
    result = _import_settings(**SSO)
    assert result.returncode != 0
    assert "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are not" in result.stderr


def test_an_issuer_over_plain_http_is_refused_except_on_loopback():
    assert (
        "must be an https:// address"
        in _import_settings(
            DEBUG="true", OIDC_ISSUER="http://login.example.com", OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s"
        ).stderr
    )
    assert (
        _import_settings(
            DEBUG="true", OIDC_ISSUER="http://127.0.0.1:9400", OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s"
        ).returncode
        == 0
    )


def test_switching_local_passwords_off_without_single_sign_on_stops_the_app_starting():
    result = _import_settings(DEBUG="true", LOCAL_LOGIN_ENABLED="false")
    assert result.returncode != 0
    assert "LOCAL_LOGIN_ENABLED=false leaves no way for staff to sign in" in result.stderr


def test_with_single_sign_on_the_content_security_policy_lets_sign_out_reach_the_provider():
    import subprocess
    import sys

    from secamb_journey.tests.test_settings import ROOT

    env = {**os.environ, "DEBUG": "true", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}
    env["OIDC_ISSUER"] = "https://login.microsoftonline.com/tenant-id/v2.0"
    code = "import secamb_journey.settings.base as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert "'https://login.microsoftonline.com'" in result.stdout, result.stderr
