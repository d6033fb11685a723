"""Browser-side defences, checked on real responses rather than on the settings that should cause them:
HSTS, secure HttpOnly SameSite cookies, idle session expiry, nosniff, Referrer-Policy, X-Frame-Options
and a Content-Security-Policy with no inline script or style.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_like(settings):
    """What the base settings give with DEBUG off and nothing turned down (the test settings turn the
    HTTPS-only parts off so the test client can talk plain HTTP).
    """
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/updates/", "/accounts/login/", "/actions/mine/"])
def test_every_page_carries_the_browser_security_headers(production_like, owner, url):
    client = Client()
    if url.startswith("/actions/"):
        client.force_login(owner)
    response = client.get(url, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_staff_pages_are_not_cached_by_browsers_or_proxies(owner):
    client = Client()
    client.force_login(owner)
    assert "no-store" in client.get("/actions/mine/")["Cache-Control"]


def test_the_session_and_csrf_cookies_are_secure_http_only_and_same_site(production_like, owner):
    client = Client()
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": "owner", "password": "a-long-test-password", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 30 * 60


def test_the_session_ends_after_thirty_idle_minutes_and_each_request_restarts_the_clock(owner, settings):
    settings.SESSION_RENEW_SECONDS = 0  # renewed at most once a minute: as if that minute had passed
    client = Client()
    client.force_login(owner)
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date
    assert first_expiry - timezone.now() <= datetime.timedelta(minutes=30)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert client.get("/actions/mine/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed - timezone.now() > datetime.timedelta(minutes=29)  # activity restarts the 30 minutes
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/actions/mine/")["Location"].startswith("/accounts/login/")


def test_plain_http_is_redirected_to_https_in_production(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/updates/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_no_template_has_inline_script_or_style_for_the_csp_to_block():
    """The CSP would block them in the browser, silently; catching them here says which file."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    inline_style = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, inline_style):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, "Inline script or style (move it to static/): " + "; ".join(offenders)


def _session_writes(queries) -> int:
    return sum(1 for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT"))


def test_the_idle_timeout_is_renewed_at_most_once_a_minute_not_written_on_every_request(owner, settings):
    client = Client()
    client.force_login(owner)
    key = client.session.session_key
    renewed = Session.objects.get(session_key=key).expire_date  # signing in set it
    for _ in range(2):
        with CaptureQueriesContext(connection) as second:
            assert client.get("/actions/mine/").status_code == 200
        assert _session_writes(second.captured_queries) == 0  # within the minute: no write
    assert Session.objects.get(session_key=key).expire_date == renewed

    settings.SESSION_RENEW_SECONDS = 0  # as if a minute had passed since the last renewal
    with CaptureQueriesContext(connection) as third:
        assert client.get("/actions/mine/").status_code == 200
    assert _session_writes(third.captured_queries) == 1
    assert Session.objects.get(session_key=key).expire_date > renewed


def test_an_anonymous_visitor_with_a_stale_session_cookie_is_not_given_a_session(db):
    client = Client()
    client.cookies["sessionid"] = "no-such-session-key-0123456789abcdef"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert not Session.objects.exists()
