"""Issue 18's smaller findings, each checked on real responses: HEAD on public pages, bounded request
bodies, the Permissions-Policy header and the CSRF failure page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/accessibility/",
    "/healthz",
    "/updates/",
    "/updates/feed/",
    "/open-data/",
    "/open-data/actions.csv",
    "/open-data/actions.json",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_answers_like_get_on_every_public_page(url):
    client = Client()
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code
    assert head.status_code in (200, 503)  # /healthz says 503 if a service is down, to HEAD as to GET
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""


def test_every_response_says_the_site_uses_no_powerful_browser_features():
    for url in ("/", "/accounts/login/", "/no-such-page/"):
        policy = Client().get(url)["Permissions-Policy"]
        for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()", "usb=()"):
            assert feature in policy


def test_a_file_sent_to_the_sign_in_page_is_refused_before_it_is_stored(monkeypatch):
    import django.core.files.uploadhandler as handlers

    written = []
    monkeypatch.setattr(handlers.TemporaryFileUploadHandler, "new_file", lambda *a, **k: written.append("temp") or None)
    monkeypatch.setattr(handlers.MemoryFileUploadHandler, "new_file", lambda *a, **k: written.append("mem") or None)
    upload = SimpleUploadedFile("big.bin", b"x" * 1024, content_type="application/octet-stream")
    response = Client().post("/accounts/login/", {"username": "someone", "password": "guess", "f": upload})
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert written == []


def test_a_large_body_sent_to_a_page_that_takes_no_file_is_refused_unread(settings):
    response = Client().post(
        "/accounts/login/",
        data="username=a&password=" + "x" * (settings.NON_UPLOAD_MAX_BODY_BYTES + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()


def test_a_form_without_files_still_posts_as_multipart(owner):
    # A multipart form with no file part is still read (some browsers and tools send every form so).
    response = Client().post("/accounts/login/", {"username": "owner", "password": "a-long-test-password"})
    assert response.status_code == 302


def test_evidence_still_takes_a_file_and_an_oversized_body_is_refused_early(client_for, owner, settings):
    action = ActionFactory(owner=owner)
    them = client_for(owner)
    upload = SimpleUploadedFile("report.txt", b"Minutes of the meeting.\n", content_type="text/plain")
    response = them.post(f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Minutes"})
    assert response.status_code == 302
    assert action.evidence.count() == 1
    huge = SimpleUploadedFile("huge.txt", b"x" * (settings.UPLOAD_MAX_BODY_BYTES + 1), content_type="text/plain")
    response = them.post(f"/actions/{action.reference}/evidence/", {"file": huge, "description": "Too big"})
    assert response.status_code == 413
    assert action.evidence.count() == 1


def test_a_refused_csrf_check_shows_the_sites_own_page_with_a_way_back(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    action = ActionFactory(owner=owner)
    url = f"/actions/{action.reference}/progress/"
    response = client.post(url, {"narrative": "x", "status": "on_track", "percent_complete": "10"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page
    assert f'href="{url}"' in page
    assert "nhsuk-header" in page  # the site's own design, not Django's plain page
