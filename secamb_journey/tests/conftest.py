"""Fixtures for the single sign-on tests: a real OpenID Connect provider on loopback, and the app set
up to use it (as OIDC_* environment variables would); and every role once, for the tests that walk every
URL (permissions, no `None`).
"""

import copy

import pytest

from secamb_journey.tests.oidc_provider import LoopbackProvider

CLIENT_ID = "improvement-journey-tests"
ROLE_MAP = {"ij-owners": "owner", "ij-leads": "lead", "ij-board": "board", "ij-comms": "comms", "ij-admins": "admin"}


@pytest.fixture
def people(owner, other_owner, lead, board, comms, outsider):
    """Each role once, and an anonymous visitor (None): who the URL walks sign in as."""
    return {
        "anon": None,
        "owner": owner,
        "other_owner": other_owner,
        "lead": lead,
        "board": board,
        "comms": comms,
        "outsider": outsider,
    }


@pytest.fixture(scope="session")
def oidc_provider():
    provider = LoopbackProvider().start()
    yield provider
    provider.stop()


def configure_single_sign_on(settings, provider: LoopbackProvider, *, site_url: str = "http://testserver") -> None:
    from secamb_journey.accounts.provider import forget_provider_metadata

    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "test-client-secret"  # noqa: S105 -- the loopback provider takes any
    settings.OIDC_ROLE_MAP = dict(ROLE_MAP)
    settings.SITE_URL = site_url
    # As the settings do when OIDC_ISSUER is set: sign-out is redirected to the provider.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.issuer)
    settings.CONTENT_SECURITY_POLICY = policy
    forget_provider_metadata()


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on switched on, against the loopback provider."""
    from secamb_journey.accounts.provider import forget_provider_metadata

    configure_single_sign_on(settings, oidc_provider)
    yield oidc_provider
    forget_provider_metadata()
