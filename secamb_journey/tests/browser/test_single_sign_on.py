"""Single sign-on in a real Chromium: a member of staff signs in with their NHS account at a real OpenID
Connect provider on loopback (oidc-provider-mock) and out again; someone without a role, and someone
the provider turns away, each get a clear page that passes axe.
"""

import re

import pytest
from playwright.sync_api import expect

from secamb_journey.tests.conftest import configure_single_sign_on

from .conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.fresh_world]  # each signs a new person in


def at_provider_sign_in_as(page, provider, sub: str) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(f"{provider.issuer}/oauth2/authorize?")))
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_lead_signs_in_with_their_nhs_account_and_out_again(page_as, world, app_server, oidc_provider, settings):
    configure_single_sign_on(settings, oidc_provider, site_url=app_server.url)
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True  # the provider's second factor stands in for ours
    oidc_provider.set_user("nhs-7f3a", name="Nia Owen", email="nia.owen@nhs.net", groups=["ij-leads"])

    page = page_as(None)
    page.goto("/actions/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/actions/$"))
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Sign in with your NHS account").click()
    at_provider_sign_in_as(page, oidc_provider, "nhs-7f3a")

    # Back at the register she was going to, signed in, with no code asked of her.
    expect(page).to_have_url(re.compile(r"/actions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action register")
    expect(page.locator(".nhsuk-header__account")).to_contain_text("Nia Owen")

    # Signing out ends the session here and at the provider, then returns to the home page.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("^" + re.escape(f"{oidc_provider.issuer}/oauth2/end_session?")))
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_url(app_server.url + "/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/actions/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_no_role_and_a_refused_sign_in_each_get_a_clear_page(page_as, world, app_server, oidc_provider, settings):
    configure_single_sign_on(settings, oidc_provider, site_url=app_server.url)
    oidc_provider.set_user("nhs-new-starter", name="New Starter", groups=["all-staff"])

    page = page_as(None)
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with your NHS account").click()
    at_provider_sign_in_as(page, oidc_provider, "nhs-new-starter")
    expect(page).to_have_url(re.compile(r"/accounts/no-role/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have a role on this service yet")
    assert axe_violations(page) == [], describe(axe_violations(page))

    other = page_as(None)
    other.goto("/accounts/login/")
    other.get_by_role("button", name="Sign in with your NHS account").click()
    expect(other).to_have_url(re.compile("^" + re.escape(oidc_provider.issuer)))
    other.get_by_role("button", name="Deny").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("You have not been signed in")
    expect(other.get_by_text("did not let you sign in")).to_be_visible()
    assert axe_violations(other) == [], describe(axe_violations(other))
