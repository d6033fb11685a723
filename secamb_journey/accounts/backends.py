"""Authentication backends: local passwords (which production can switch off), and the identity provider.

The identity provider's backend builds on mozilla-django-oidc's (the token exchange with the PKCE
verifier, the JWKS key match, the nonce check) and adds what it leaves out or fixes differently here:
endpoints from discovery, the ID token's audience and issuer checked (mozilla-django-oidc skips the
audience), clock skew tolerated, and accounts matched on issuer + subject rather than e-mail.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from secamb_journey.accounts.provider import ProviderUnavailable, SignInRefused, provider_metadata
from secamb_journey.accounts.services import identity_sign_in
from secamb_journey.permissions import CachedPermissionsMixin

logger = logging.getLogger(__name__)

SIGNING_ALGORITHM = "RS256"


def callback_url() -> str:
    """The redirect URI registered at the provider: SITE_URL, never the request's Host header."""
    return settings.SITE_URL.rstrip("/") + reverse("oidc_callback")


class LocalPasswordBackend(CachedPermissionsMixin, ModelBackend):
    """Username and password. With LOCAL_LOGIN_ENABLED off, only the break-glass administrators."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED and username not in settings.BREAK_GLASS_USERNAMES:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class IdentityProviderBackend(CachedPermissionsMixin, OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds every backend for every sign-in, password ones too: no settings checks and no
        # network here (the parent's __init__ insists on fixed endpoint settings).
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = SIGNING_ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_user(self, user_id):
        # As ModelBackend: an account switched off is never loaded into a request (its session ends).
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, nonce=None, code_verifier=None, **kwargs):
        """Only from our callback view, which has checked and used up the state and passes the nonce and
        PKCE verifier it stored when the sign-in began. Raises SignInRefused with a reason to show.
        """
        if request is None or not settings.OIDC_ENABLED or not nonce or not code_verifier:
            return None
        code = request.GET.get("code")
        if not code:
            return None
        metadata = provider_metadata()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = metadata.jwks_uri
        self.OIDC_OP_USER_ENDPOINT = metadata.userinfo_endpoint
        self.request = request
        try:
            token_info = self.get_token(
                {
                    "client_id": self.OIDC_RP_CLIENT_ID,
                    "client_secret": self.OIDC_RP_CLIENT_SECRET,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": callback_url(),
                    "code_verifier": code_verifier,
                }
            )
        except requests.HTTPError as error:
            raise SignInRefused(
                "The NHS sign-in service would not confirm your sign-in. Start again.", log=str(error)
            ) from error
        except requests.RequestException as error:
            raise ProviderUnavailable(f"token endpoint: {error}") from error
        id_token = token_info.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused("The NHS sign-in service did not say who you are.", log="no id_token")
        try:
            claims = self.verify_token(id_token, nonce=nonce)
        except requests.RequestException as error:
            raise ProviderUnavailable(f"JWKS: {error}") from error
        except SignInRefused:
            raise
        except Exception as error:  # mozilla-django-oidc's SuspiciousOperation: no key, nonce mismatch
            raise SignInRefused(_UNTRUSTED, log=f"ID token refused: {error}") from error
        self.store_tokens(token_info.get("access_token"), id_token)
        claims = {**self._userinfo(token_info.get("access_token"), claims), **claims}
        return identity_sign_in(issuer=settings.OIDC_ISSUER, claims=claims)

    def _userinfo(self, access_token, id_claims: dict) -> dict:
        """Extra claims (some providers put the groups only here). The ID token's own claims win; a
        userinfo answer about anyone else is refused (OpenID Connect Core 1.0, 5.3.2).
        """
        if not self.OIDC_OP_USER_ENDPOINT or not access_token:
            return {}
        try:
            info = self.get_userinfo(access_token, None, id_claims)
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(f"userinfo: {error}") from error
        if not isinstance(info, dict) or info.get("sub") != id_claims.get("sub"):
            raise SignInRefused(_UNTRUSTED, log="userinfo sub differs from the ID token's")
        return info

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for this token: the one its `kid` names, or, for a token without
        one, the provider's only RSA signing key (OpenID Connect Core 1.0, 10.1). Never a guess among
        several keys.
        """
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("kty") == "RSA"
            and key.get("use", "sig") == "sig"
            and key.get("alg", SIGNING_ALGORITHM) == SIGNING_ALGORITHM
        ]
        kid = jwt.get_unverified_header(token).get("kid")
        matching = [key for key in keys if key.get("kid") == kid] if kid else keys
        if len(matching) != 1:
            raise SignInRefused(_UNTRUSTED, log=f"no single JWKS key for kid={kid!r} ({len(matching)} found)")
        return jwt.PyJWK(matching[0], algorithm=SIGNING_ALGORITHM)

    def get_payload_data(self, payload, key):
        """Signature (RS256 only: never "none", never the client secret), audience, issuer and times."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != SIGNING_ALGORITHM:
                raise SignInRefused(_UNTRUSTED, log=f"ID token alg {header.get('alg')!r}")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGNING_ALGORITHM],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused(
                "Your sign-in took too long or has expired. Start again.", log=f"ID token expired: {error}"
            ) from error
        except jwt.InvalidAudienceError as error:
            raise SignInRefused(_UNTRUSTED, log=f"ID token for another audience: {error}") from error
        except jwt.PyJWTError as error:
            raise SignInRefused(_UNTRUSTED, log=f"ID token refused: {error}") from error
        # With more than one audience, the token must be for us (OpenID Connect Core 1.0, 3.1.3.7).
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInRefused(_UNTRUSTED, log="ID token azp is not this client")
        return claims


_UNTRUSTED = (
    "We could not confirm your sign-in with the NHS sign-in service, so you have not been signed in. "
    "Start again; if it keeps happening, tell the service administrator."
)
