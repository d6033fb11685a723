"""Issue 28, findings 1 and 6: staff messages never reach the public through the caches, made-up query
strings make no cache entries, and a page that follows the live record is never answered 304 for a copy
that has changed.

Finding 1 as the review ran it: an owner attaches evidence named "OFFICIAL NOTICE - this site has moved
to evil.example.txt" without following the redirect, signs out, and requests a public page carrying only
the signed `messages` cookie just after the public cache moved on; every anonymous reader after them was
shown the green "Evidence attached: OFFICIAL NOTICE…" banner from the page stored for them.
"""

import math
import time

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.http import http_date

from actions.choices import Status
from actions.models import Action
from actions.tests.factories import ActionFactory
from actions.tests.test_edit import form_data
from secamb_journey.generations import cache_clear as public_cache_clear

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "OFFICIAL NOTICE - this site has moved to evil.example.txt"
MESSAGES_COOKIE = CookieStorage.cookie_name

# The public pages a reader may be sent to, each wearing @public_cache.
PUBLIC_PATHS = ["/", "/plan/", "/updates/", "/performance/"]


class RecordingCache(LocMemCache):
    """Each process's cache, saying which public pages were stored (the tests' own window on it)."""

    stored: list[str] = []

    def set(self, key, value, timeout=None, version=None):
        if key.startswith("reports:public:"):
            RecordingCache.stored.append(key)
        return super().set(key, value, timeout=timeout, version=version)


@pytest.fixture
def recorded(settings):
    RecordingCache.stored = []
    settings.CACHES = {
        **settings.CACHES,
        "local": {"BACKEND": "reports.tests.test_message_leak.RecordingCache", "LOCATION": "recorded"},
    }
    caches["local"].clear()  # its memory outlives a test, as every process memory cache's does
    return RecordingCache.stored


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def public_actions():
    return ActionFactory.create_batch(3, status=Status.ON_TRACK, is_public=True)


def attach_hostile_evidence(owner) -> str:
    """The owner attaches evidence with a hostile name, does not follow the redirect (the message waits in
    its cookie), and signs out keeping a copy of that cookie: its value, as the browser held it."""
    them = Client()
    them.force_login(owner)
    action = ActionFactory(owner=owner)
    upload = SimpleUploadedFile(HOSTILE_NAME, b"Minutes of the meeting.\n", content_type="text/plain")
    response = them.post(f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Minutes"})
    assert response.status_code == 302
    kept = them.cookies[MESSAGES_COOKIE].value
    assert kept
    them.post("/accounts/logout/")
    return kept


def replay(cookie: str, path: str):
    holder = Client()
    holder.cookies[MESSAGES_COOKIE] = cookie
    return holder.get(path)


def test_a_replayed_messages_cookie_never_reaches_another_reader(owner, media, public_actions):
    kept = attach_hostile_evidence(owner)
    for path in PUBLIC_PATHS:
        public_cache_clear()  # just after a refresh of the public cache: the holder's request renders
        held = replay(kept, path)
        assert held.status_code == 200, path
        for _ in range(3):  # fresh anonymous readers: rendered or from the cache (the decorator, the fast path)
            page = Client().get(path)
            assert page.status_code == 200, path
            assert "OFFICIAL NOTICE" not in page.content.decode(), path
            assert "Evidence attached" not in page.content.decode(), path
            assert page["Cache-Control"].startswith("public"), path
        # The holder's own answer is theirs alone: no shared cache may keep it.
        assert held["Cache-Control"] == "private, no-store", path
        assert "ETag" not in held.headers, path


def test_the_fast_path_never_answers_nor_stores_for_a_messages_cookie(owner, media, public_actions):
    kept = attach_hostile_evidence(owner)
    reader = Client()
    reader.get("/plan/")
    assert not hasattr(reader.get("/plan/").wsgi_request, "session")  # the fast path has /plan/ now
    public_cache_clear()
    replay(kept, "/plan/")  # the first request after the refresh: rendered for the holder, never stored
    after = Client().get("/plan/")
    assert "OFFICIAL NOTICE" not in after.content.decode()
    assert hasattr(after.wsgi_request, "session")  # nothing was stored: this reader's page is rendered
    again = Client().get("/plan/")
    assert not hasattr(again.wsgi_request, "session")  # stored from the clean render, served by the fast path
    assert "OFFICIAL NOTICE" not in again.content.decode()
    held = replay(kept, "/plan/")
    assert hasattr(held.wsgi_request, "session")  # not the fast path: rendered for the holder alone
    assert held["Cache-Control"] == "private, no-store"


def test_a_lead_s_message_is_not_shown_to_anonymous_readers(lead, public_actions):
    # Without nginx, a lead's "Changes to IJ-04 saved." reached 10 of 40 anonymous readers: any message
    # waiting in the cookie (here one set by a lead's own page) stays the holder's.
    them = Client()
    them.force_login(lead)
    action = public_actions[0]
    response = them.post(f"/actions/{action.reference}/edit/", form_data(action, title="Fleet audit, phase two"))
    assert response.status_code == 302
    kept = them.cookies[MESSAGES_COOKIE].value  # the lead's browser, before it follows the redirect
    public_cache_clear()
    held = replay(kept, "/")
    seen = [Client().get("/").content.decode() for _ in range(10)]
    assert not any(f"Changes to {action.reference} saved." in page for page in seen)
    assert held["Cache-Control"] == "private, no-store"


def test_any_page_that_shows_a_message_is_private_and_the_holder_still_sees_it(owner, media, public_actions):
    kept = attach_hostile_evidence(owner)
    for path in ("/accessibility/", "/"):  # a page outside the public cache, and one in it
        held = replay(kept, path)
        assert "Evidence attached: OFFICIAL NOTICE" in held.content.decode(), path  # theirs, not lost
        assert held["Cache-Control"] == "private, no-store", path


def test_a_session_cookie_is_answered_privately_and_never_stored(recorded, public_actions):
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = reader.get("/plan/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert recorded == []


def test_signing_out_clears_the_messages_cookie(owner, media):
    them = Client()
    them.force_login(owner)
    action = ActionFactory(owner=owner)
    upload = SimpleUploadedFile("minutes.txt", b"Minutes.\n", content_type="text/plain")
    them.post(f"/actions/{action.reference}/evidence/", {"file": upload, "description": "Minutes"})
    assert them.cookies[MESSAGES_COOKIE].value
    response = them.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.cookies[MESSAGES_COOKIE].value == ""  # deleted: expired, emptied
    assert them.cookies[MESSAGES_COOKIE].value == ""


@pytest.mark.parametrize("query", ["page=junk", "page=99999", "page=01", "page=2&page=1", "utm_source=x", "page="])
def test_a_made_up_query_string_makes_no_cache_entry(client, recorded, public_actions, monkeypatch, query):
    monkeypatch.setattr("reports.views.plan.PLAN_PAGE_SIZE", 1)  # three public actions: three pages
    response = client.get(f"/plan/?{query}")
    assert response.status_code == 302
    assert "public" not in response.get("Cache-Control", "")  # nor stored by nginx's micro-cache
    assert recorded == []
    # Sent to a page the list has, which is stored under its own URL alone.
    landed = client.get(response["Location"])
    if landed.status_code == 302:  # a well-written number past the end: to the last page
        landed = client.get(landed["Location"])
    assert landed.status_code == 200
    assert landed.wsgi_request.get_full_path() in ("/plan/", "/plan/?page=2", "/plan/?page=3")
    assert len(recorded) == 1  # that one key


def test_a_page_number_the_list_does_not_have_is_redirected_to_its_last_page(client, recorded, public_actions):
    response = client.get("/plan/?page=99999")
    assert response.status_code == 302
    assert response["Location"] == "/plan/"  # one page of three actions
    assert recorded == []
    assert client.get("/?page=2")["Location"] == "/"  # the home page has no pages
    assert recorded == []


# --- Finding 6: no 304 for a live page that changed within the second --------------------------------


def test_a_live_page_has_no_last_modified_and_if_modified_since_alone_gets_the_new_content(client, public_actions):
    action = public_actions[0]
    first = client.get("/plan/")
    assert action.title in first.content.decode()
    assert "Last-Modified" not in first.headers  # the time it was rendered is not when it changed
    Action.objects.filter(pk=action.pk).update(is_public=False)
    # A reader whose copy is dated the second in which the action was made internal (headers count in
    # seconds): the old Last-Modified, the render time, matched it, and the copy was kept.
    since = http_date(math.ceil(time.time()))
    for _ in range(10):
        response = client.get("/plan/", headers={"If-Modified-Since": since})
        assert response.status_code == 200
        assert action.title not in response.content.decode()
    # The ETag stays exact: the new copy's own matches, the old one's does not.
    assert client.get("/plan/", headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert client.get("/plan/", headers={"If-None-Match": response["ETag"]}).status_code == 304
