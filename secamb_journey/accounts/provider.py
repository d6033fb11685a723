"""The identity provider's endpoints, discovered from <OIDC_ISSUER>/.well-known/openid-configuration.

mozilla-django-oidc takes fixed endpoint settings; we discover them instead, at first use, and keep
them in this process for an hour (a provider may rotate its endpoints, rarely). A provider that cannot
be reached is not an error page: callers turn ProviderUnavailable into a clear sign-in failure.
"""

import logging
import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

DISCOVERY_TTL_SECONDS = 3600


class SignInRefused(Exception):
    """A sign-in through the provider that must not go ahead. `message` is for the person."""

    status = 400

    def __init__(self, message: str, *, log: str = ""):
        super().__init__(log or message)
        self.message = message


class ProviderUnavailable(SignInRefused):
    status = 502

    def __init__(self, log: str):
        super().__init__(
            "We could not reach the NHS sign-in service just now, so you have not been signed in. "
            "Try again in a few minutes.",
            log=log,
        )


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None = None
    end_session_endpoint: str | None = None


_lock = threading.Lock()
_cache: dict[str, tuple[float, ProviderMetadata]] = {}


def forget_provider_metadata() -> None:
    with _lock:
        _cache.clear()


def provider_metadata() -> ProviderMetadata:
    issuer = settings.OIDC_ISSUER
    with _lock:
        cached = _cache.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
    metadata = _discover(issuer)
    with _lock:
        _cache[issuer] = (time.monotonic(), metadata)
    return metadata


def _discover(issuer: str) -> ProviderMetadata:
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OpenID Connect discovery failed at %s: %s", url, error)
        raise ProviderUnavailable(f"discovery failed: {error}") from error
    # OpenID Connect Discovery 1.0, section 4.3: the issuer in the document must be the one we asked.
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"discovery at {url} names another issuer: {document.get('issuer')!r}")
    try:
        return ProviderMetadata(
            issuer=issuer,
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint"),
            end_session_endpoint=document.get("end_session_endpoint"),
        )
    except KeyError as error:
        raise ProviderUnavailable(f"discovery at {url} lacks {error}") from error
