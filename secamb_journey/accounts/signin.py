"""How this session was signed in. Kept free of model imports: the second-factor code asks it."""

from django.contrib.auth import BACKEND_SESSION_KEY

IDENTITY_PROVIDER_BACKEND = "secamb_journey.accounts.backends.IdentityProviderBackend"
# When the identity provider signed this session in (seconds since the epoch).
SIGNED_IN_AT_SESSION_KEY = "secamb_idp_signed_in_at"


def user_signed_in_via_identity_provider(request) -> bool:
    """True when this session was signed in through the identity provider (single sign-on), whose own
    second factor then stands in for ours. Django records the backend that signed a session in, in the
    session itself, before the user_logged_in signal fires, so this holds from that signal on.
    """
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) == IDENTITY_PROVIDER_BACKEND
