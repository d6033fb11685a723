"""The signed-in person on each request, and sessions begun at the identity provider last at most
OIDC_SESSION_MAX_HOURS."""

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY

from secamb_journey.accounts.signin import SIGNED_IN_AT_SESSION_KEY, user_signed_in_via_identity_provider


class ProviderSessionLifetimeMiddleware:
    """After AuthenticationMiddleware. The idle timeout alone would let a busy session run for ever; a
    session from the provider is ended after a shift's length, so the person signs in there again,
    and a leaver whom the provider has disabled cannot. No extra query: the session and user are loaded
    for every request anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and user_signed_in_via_identity_provider(request):
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY) or 0
            if time.time() - signed_in_at > settings.OIDC_SESSION_MAX_HOURS * 3600:
                auth.logout(request)
        elif SESSION_KEY in request.session and not request.user.is_authenticated:
            # The session of an account switched off since (a leaver): Django no longer loads its user,
            # and we end the session itself, so nothing of it lingers.
            request.session.flush()
        return self.get_response(request)
