"""ID token checks on tokens we sign ourselves, for what the loopback provider cannot be made to do:
clock skew either side of the allowance, issuer, and several audiences.
"""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from secamb_journey.accounts.backends import IdentityProviderBackend
from secamb_journey.accounts.provider import SignInRefused

ISSUER = "https://login.example.nhs.uk/tenant"
CLIENT = "improvement-journey"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = CLIENT
    settings.OIDC_CLOCK_SKEW_SECONDS = 120
    return IdentityProviderBackend()


def token(**overrides) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "s-1", "iat": now, "exp": now + 300, "nonce": "n"} | overrides
    return jwt.encode(claims, KEY, algorithm="RS256")


def verify(backend, encoded):
    return backend.get_payload_data(encoded, KEY.public_key())


def test_a_token_just_expired_within_the_clock_skew_allowance_is_accepted(backend):
    now = int(time.time())
    assert verify(backend, token(iat=now - 400, exp=now - 60))["sub"] == "s-1"


def test_a_token_issued_slightly_in_the_future_by_a_fast_clock_is_accepted(backend):
    now = int(time.time())
    assert verify(backend, token(iat=now + 60, nbf=now + 60))["sub"] == "s-1"


def test_a_token_expired_beyond_the_allowance_is_refused(backend):
    now = int(time.time())
    with pytest.raises(SignInRefused, match="expired"):
        verify(backend, token(iat=now - 900, exp=now - 300))


def test_a_token_from_another_issuer_is_refused(backend):
    with pytest.raises(SignInRefused, match="ID token refused"):
        verify(backend, token(iss="https://evil.example.com"))


def test_a_token_for_several_audiences_must_name_us_as_the_authorised_party(backend):
    assert verify(backend, token(aud=[CLIENT, "other"], azp=CLIENT))["sub"] == "s-1"
    with pytest.raises(SignInRefused, match="azp"):
        verify(backend, token(aud=[CLIENT, "other"], azp="other"))


def test_a_token_without_an_expiry_is_refused(backend):
    encoded = jwt.encode({"iss": ISSUER, "aud": CLIENT, "sub": "s-1", "iat": int(time.time())}, KEY, algorithm="RS256")
    with pytest.raises(SignInRefused, match="exp"):
        verify(backend, encoded)


def test_a_token_signed_with_the_client_secret_is_refused(backend, settings):
    # HS256 with a secret the client knows: anyone holding the secret could mint one.
    encoded = jwt.encode({"iss": ISSUER, "aud": CLIENT, "sub": "s-1", "exp": int(time.time()) + 60}, "s" * 32, "HS256")
    with pytest.raises(SignInRefused, match="alg 'HS256'"):
        verify(backend, encoded)
