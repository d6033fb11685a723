"""Signing in through the identity provider (authorization code flow with PKCE, state and nonce),
signing out (here and at the provider), and the page for someone signed in without a role.
"""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.utils import add_state_and_verifier_and_nonce_to_session, generate_code_challenge
from mozilla_django_oidc.views import get_next_url

from secamb_journey.accounts.backends import IdentityProviderBackend, callback_url
from secamb_journey.accounts.provider import ProviderUnavailable, SignInRefused, provider_metadata
from secamb_journey.accounts.signin import (
    IDENTITY_PROVIDER_BACKEND,
    SIGNED_IN_AT_SESSION_KEY,
    user_signed_in_via_identity_provider,
)
from secamb_journey.landing import landing_url
from secamb_journey.roles import is_staff_member

logger = logging.getLogger(__name__)

STATES_SESSION_KEY = "oidc_states"  # mozilla-django-oidc's: state -> {nonce, code_verifier, added_on}
NEXT_SESSION_KEY = "oidc_login_next"
# A sign-in must come back from the provider within this long (a state older than this is refused).
STATE_MAX_AGE_SECONDS = 15 * 60
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 -- a session key name, not a secret

# What the provider may answer instead of a code (RFC 6749 4.1.2.1), in words for the person.
_PROVIDER_ERRORS = {
    "access_denied": "The NHS sign-in service did not let you sign in to this service. "
    "If your NHS account has just been changed or closed, ask your line manager or IT service desk.",
    "login_required": "You need to sign in to your NHS account first. Start again.",
}


def _require_single_sign_on():
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not set up on this service.")


def _failed(request, refusal: SignInRefused):
    """The clear page for a sign-in that did not happen, and no session left behind."""
    logger.warning("Sign-in through the identity provider refused: %s", refusal)
    if request.user.is_authenticated:
        auth.logout(request)
    return render(request, "accounts/sign_in_failed.html", {"reason": refusal.message}, status=refusal.status)


def _ignored(request):
    """The clear page for a callback that answers no sign-in this browser started. Nothing in the
    session changes: whoever is signed in stays signed in, whoever is not stays signed out.
    """
    logger.warning("Sign-in callback ignored: its state is not one this browser's session issued")
    return render(
        request,
        "accounts/sign_in_failed.html",
        {
            "reason": "This sign-in link has already been used, has expired, or was started in another browser. "
            "Start again from the sign-in page.",
            "still_signed_in": request.user.is_authenticated,
            "continue_url": landing_url(request.user) if is_staff_member(request.user) else "/",
        },
        status=400,
    )


@never_cache
@require_GET
def sign_in_start(request):
    """Off to the provider, with a fresh state (against forged callbacks), nonce (against replayed ID
    tokens) and PKCE verifier (against stolen codes), all kept in this session for the callback.
    """
    _require_single_sign_on()
    try:
        metadata = provider_metadata()
    except ProviderUnavailable as refusal:
        return _failed(request, refusal)
    state = get_random_string(32)
    code_verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "scope": settings.OIDC_RP_SCOPES,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "redirect_uri": callback_url(),
        "state": state,
        "nonce": get_random_string(32),
        "code_challenge": generate_code_challenge(code_verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, code_verifier)
    request.session[NEXT_SESSION_KEY] = get_next_url(request, "next")
    return HttpResponseRedirect(f"{metadata.authorization_endpoint}?{urlencode(params)}")


@never_cache
@require_GET
def callback(request):
    """The provider sends the browser back here with a code (or an error) and the state."""
    _require_single_sign_on()
    state = request.GET.get("state", "")
    states = request.session.get(STATES_SESSION_KEY) or {}
    ours = bool(state) and isinstance(states, dict) and state in states
    if not ours and request.user.is_authenticated:
        # Not the answer to a sign-in this browser started (a link anyone could send, a replay, a state
        # from another browser): it may not touch this session. A signed-in person stays signed in.
        return _ignored(request)
    started = None
    if ours:
        # Used up now, whatever happens next: a state is good for one callback only (a replay fails).
        started = states.pop(state)
        request.session[STATES_SESSION_KEY] = states
        request.session.save()
    if "error" in request.GET:
        error = request.GET.get("error", "")
        return _failed(
            request,
            SignInRefused(
                _PROVIDER_ERRORS.get(error, "The NHS sign-in service did not sign you in. Start again."),
                log=f"provider answered error={error!r} ({request.GET.get('error_description', '')})",
            ),
        )
    if not isinstance(started, dict) or time.time() - started.get("added_on", 0) > STATE_MAX_AGE_SECONDS:
        started = None
    if started is None or not request.GET.get("code"):
        return _failed(
            request,
            SignInRefused(
                "This sign-in link has already been used, has expired, or was started in another browser. "
                "Start again from the sign-in page.",
                log="callback with an unknown or used state",
            ),
        )
    try:
        user = IdentityProviderBackend().authenticate(
            request, nonce=started.get("nonce"), code_verifier=started.get("code_verifier")
        )
    except SignInRefused as refusal:
        return _failed(request, refusal)
    if user is None:
        return _failed(request, SignInRefused("The NHS sign-in service did not sign you in. Start again."))
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    auth.login(request, user, backend=IDENTITY_PROVIDER_BACKEND)
    request.session[ID_TOKEN_SESSION_KEY] = id_token
    request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()
    next_url = request.session.pop(NEXT_SESSION_KEY, None)
    if not is_staff_member(user):
        return redirect("no_role")
    # Without `next`: the person's own work (secamb_journey.landing), as after a password sign-in.
    return redirect(next_url or landing_url(user))


@never_cache
@require_GET
def no_role(request):
    """Signed in through the provider, but none of the person's groups gives a role here yet."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_staff_member(request.user):
        return redirect(landing_url(request.user))
    return render(request, "accounts/no_role.html", {"contact": settings.ACCESS_REQUEST_CONTACT})


@require_POST
def sign_out(request):
    """End the session here; after a single sign-on, also at the provider's end-session endpoint
    (OpenID Connect RP-Initiated Logout) when it offers one, so the next person at a shared computer
    is not signed straight back in.
    """
    via_provider = user_signed_in_via_identity_provider(request)
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    # Messages not yet shown are the signed-in person's: read here and so dropped, and their cookie is
    # cleared with the session (issue 28: a kept cookie replayed them on public pages).
    list(messages.get_messages(request))
    auth.logout(request)
    home = settings.SITE_URL.rstrip("/") + "/"
    if via_provider and settings.OIDC_ENABLED:
        try:
            end_session = provider_metadata().end_session_endpoint
        except ProviderUnavailable:
            end_session = None
        if end_session:
            query = {"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": home}
            if id_token:
                query["id_token_hint"] = id_token
            return HttpResponseRedirect(f"{end_session}?{urlencode(query)}")
    return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))
