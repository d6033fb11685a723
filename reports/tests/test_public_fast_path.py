"""Issue 15: public pages from the cache before the session machinery, and HTTP caching as the web expects.

An anonymous reader's second GET of a public page is answered by reports.public_cache.PublicPageMiddleware
with the same headers as the first; every public page carries an ETag made of the public generation and a
short public Cache-Control (no Last-Modified: issue 28, finding 6), and answers a matching conditional GET
with 304 (ConditionalGetMiddleware); staff are never served from it.
"""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import Status
from actions.tests.factories import ActionFactory
from reports.models import PublicContentGeneration
from reports.public_cache import PUBLIC_CACHE_CONTROL
from reports.services import update_draft_for_period, update_publish, update_withdraw

pytestmark = pytest.mark.django_db

DRAFTED = datetime.datetime(2025, 12, 20, 9, 0, tzinfo=datetime.UTC)


def publish(month: int):
    update = update_draft_for_period(period=datetime.date(2025, month, 1), now=DRAFTED)
    return update_publish(update=update, publisher=None)


@pytest.fixture
def update():
    ActionFactory.create_batch(3, status=Status.ON_TRACK, is_public=True)
    return publish(10)


def public_paths(update) -> list[str]:
    return [
        "/",
        "/updates/",
        f"/updates/{update.slug}/",
        "/updates/feed/",
        "/open-data/",
        "/open-data/actions.csv",
        "/open-data/actions.json",
        # The measures' public pages (issue 12), wrapped with public_cache(view) in reports/urls_measures_public.py.
        "/performance/",
        "/open-data/measures.csv",
        # The public plan (issue 13).
        "/plan/",
    ]


# Headers that differ between two responses by design: none of these may be missing from a cached page.
def header_names(response) -> set[str]:
    return {name.lower() for name in response.headers}


def test_a_cached_public_page_is_served_before_the_session_and_authentication_run(client, update):
    for path in public_paths(update):
        first = client.get(path)
        assert first.status_code == 200, path
        assert hasattr(first.wsgi_request, "session"), path  # rendered: the whole stack ran
        with CaptureQueriesContext(connection) as captured:
            second = client.get(path)
        assert second.status_code == 200, path
        assert second.content == first.content, path
        # Served by the fast path: no session, no user on the request, and one query (the generation).
        assert not hasattr(second.wsgi_request, "session"), path
        assert not hasattr(second.wsgi_request, "user"), path
        assert len(captured) == 1, (path, [q["sql"] for q in captured.captured_queries])


def test_a_page_from_the_cache_has_the_same_headers_as_one_rendered_afresh(client, update):
    for path in public_paths(update):
        first = client.get(path)
        second = client.get(path)
        assert header_names(second) == header_names(first), path
        for name in (
            "Content-Security-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Content-Type",
            "Vary",
        ):
            assert second.get(name) == first.get(name), (path, name)
        assert "default-src 'self'" in second["Content-Security-Policy"], path
        assert "Set-Cookie" not in second.headers, path


def test_a_page_from_the_cache_carries_the_permissions_policy_of_the_security_review(client, update):
    # PermissionsPolicyMiddleware (issue 18) is inside PublicPageMiddleware, so its header is stored with
    # the page; a page served before the session machinery must not lose it.
    for path in public_paths(update):
        first = client.get(path)
        second = client.get(path)
        assert not hasattr(second.wsgi_request, "session"), path  # from the fast path
        assert second["Permissions-Policy"] == first["Permissions-Policy"], path
        assert "camera=()" in second["Permissions-Policy"], path


def test_every_public_page_says_its_generation_s_etag_and_that_caches_must_ask_again(client, update):
    assert PUBLIC_CACHE_CONTROL == "public, no-cache"  # kept, but checked with the ETag before each use
    etag = f'"{PublicContentGeneration.objects.get().token}-{timezone.localdate():%Y%m%d}"'
    for path in public_paths(update):
        for response in (client.get(path), client.get(path)):  # rendered, then from the cache
            assert response["ETag"] == etag, path
            assert "Last-Modified" not in response.headers, path
            assert response["Cache-Control"] == PUBLIC_CACHE_CONTROL, path


def test_a_conditional_get_with_the_etag_is_answered_304(client, update):
    for path in public_paths(update):
        etag = client.get(path)["ETag"]
        client.get(path)  # the fast path has the complete page now
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 304, path
        assert response.content == b"", path
        assert response["ETag"] == etag, path
        assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200, path


def test_an_anonymous_reader_with_a_session_cookie_is_answered_afresh_and_privately(client, update):
    # Issue 28: a request with a session cookie is one person's; it is never answered from the cache
    # nor marked public (a stored page could not have been theirs, and theirs is never stored).
    etag = client.get("/updates/")["ETag"]
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get("/updates/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")  # not the fast path: the view rendered it
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_publication_changes_the_etag_of_the_list_and_the_feed(client, update):
    before = {path: client.get(path) for path in ("/updates/", "/updates/feed/")}
    publish(11)
    for path, old in before.items():
        new = client.get(path, headers={"If-None-Match": old["ETag"]})
        assert new.status_code == 200, path
        assert new["ETag"] != old["ETag"], path
        assert b"November 2025" in new.content, path


def test_a_withdrawal_is_seen_by_the_next_request_not_a_cached_copy(client, update, comms):
    path = f"/updates/{update.slug}/"
    etag = client.get(path)["ETag"]
    assert client.get(path).status_code == 200
    update_withdraw(update=update, editor=comms, note="Figures were wrong.")
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 404
    assert client.get(path).status_code == 404


def test_staff_are_never_served_a_cached_public_page_and_keep_private_no_store(client_for, update, lead):
    anonymous = client_for(None)
    anonymous.get("/updates/")
    anonymous.get("/updates/")
    staff = client_for(lead)
    for path in public_paths(update):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers, path
        assert response.wsgi_request.user == lead, path


def test_a_request_for_another_host_is_never_served_from_the_fast_path(client, update, settings):
    settings.ALLOWED_HOSTS = ["testserver", "elsewhere.example"]
    client.get("/updates/")
    response = client.get("/updates/", headers={"Host": "elsewhere.example"})
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")
    assert "public" not in response.get("Cache-Control", "")


def test_a_post_to_a_public_page_is_never_answered_from_the_cache(client, update):
    client.get(f"/updates/{update.slug}/")
    client.get(f"/updates/{update.slug}/")
    assert client.post(f"/updates/{update.slug}/").status_code == 405


def test_only_the_page_parameter_tells_cached_pages_apart(client, update, monkeypatch):
    monkeypatch.setattr("reports.views.plan.PLAN_PAGE_SIZE", 1)  # three public actions: three pages
    first, page_two = client.get("/plan/"), client.get("/plan/?page=2")
    assert first.content != page_two.content
    second = client.get("/plan/?page=2")
    assert not hasattr(second.wsgi_request, "session")  # page 2 is its own entry, from the fast path
    assert second.content == page_two.content
    # A made-up parameter is sent to the page's own URL (issue 28: it makes no entry in any cache).
    assert client.get("/plan/?utm_source=newsletter").headers["Location"] == "/plan/"
    assert client.get("/plan/?page=2&utm_source=x").headers["Location"] == "/plan/?page=2"


def test_each_reader_is_answered_with_its_own_copy_of_the_stored_page(client, update):
    client.get("/updates/")
    first = client.get("/updates/")
    assert not hasattr(first.wsgi_request, "session")  # from the fast path
    first["X-Set-By-A-Later-Middleware"] = "1"
    first.set_cookie("crumb", "1")
    second = client.get("/updates/")
    assert not hasattr(second.wsgi_request, "session")
    assert "X-Set-By-A-Later-Middleware" not in second.headers and "crumb" not in second.cookies
    assert second.content == first.content
