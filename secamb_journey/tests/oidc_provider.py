"""A real OpenID Connect provider on loopback for the single sign-on tests: PyPI's oidc-provider-mock,
run as a subprocess on a free port of 127.0.0.1 and stopped afterwards.

It publishes discovery and a JWKS, signs RS256 ID tokens, requires a nonce (-n true), accepts any
client ID and secret, and signs in whoever is named: POST `sub` to the authorisation URL it was sent
to and it redirects back with a code and the state. PUT /users/<sub> sets a person's claims (groups
included). It does not check PKCE verifiers; the tests check that we send them.
"""

import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LoopbackProvider:
    token_max_age: int = 3600
    port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LoopbackProvider":
        for _attempt in range(3):  # a port found free can be taken before the provider binds it
            self.port = free_port()
            self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and fixed arguments
                [
                    sys.executable,
                    "-m",
                    "oidc_provider_mock",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--require-nonce",
                    "true",
                    f"--token-max-age={self.token_max_age}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).ok:
                        return self
                except requests.RequestException:
                    time.sleep(0.1)
            self.stop()
        raise RuntimeError("oidc-provider-mock did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def set_user(self, sub: str, **claims) -> None:
        requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def authorize(self, authorization_url: str, *, sub: str | None = None, deny: bool = False) -> str:
        """What a person does at the provider's page: sign in as `sub` (or deny). The redirect back to us."""
        data = {"action": "deny"} if deny else {"sub": sub}
        answer = requests.post(authorization_url, data=data, allow_redirects=False, timeout=5)
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        return answer.headers["Location"]


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
