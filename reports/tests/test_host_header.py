"""The Host header cannot poison what is cached: absolute addresses come from SITE_URL, and a request to
another host never fills a public cache entry (issue 18)."""

import json
import xml.etree.ElementTree as ET

import pytest

from reports.services import update_draft_for_period, update_publish
from reports.tests.updates_world import DRAFTED, OCTOBER, at, build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://journey.example.nhs.uk"
ATTACKER = "127.0.0.1:6666"
PUBLIC_PATHS = ("/", "/updates/", "/updates/october-2026/", "/updates/feed/", "/open-data/", "/open-data/actions.json")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["journey.example.nhs.uk", "127.0.0.1", "testserver"]


@pytest.fixture
def published(comms):
    build_world()
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    return update_publish(update=update, publisher=comms, at=at(3, month=11))


def _addresses(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    if path == "/updates/feed/":
        feed = ET.fromstring(response.content)  # noqa: S314 -- our own feed, parsed in a test
        found = [link.get("href") for link in feed.iter(f"{ATOM}link")]
        return found + [element.text for element in feed.iter(f"{ATOM}id")]
    return [json.loads(response.content)["documentation"]]


@pytest.mark.parametrize("path", ["/updates/feed/", "/open-data/actions.json"])
def test_a_request_to_another_host_right_after_a_publication_leaves_every_address_on_site_url(client, published, path):
    poisoned = _addresses(client, path, HTTP_HOST=ATTACKER)
    normal = _addresses(client, path, HTTP_HOST="journey.example.nhs.uk", secure=True)
    for address in poisoned + normal:
        assert address.startswith(SITE + "/"), address


def test_the_feed_names_its_entries_by_site_url(client, published):
    addresses = _addresses(client, "/updates/feed/", HTTP_HOST=ATTACKER)
    assert f"{SITE}/updates/october-2026/" in addresses
    assert f"{SITE}/updates/feed/" in addresses


def test_a_request_to_another_host_never_fills_a_public_cache_entry(client, published):
    for path in PUBLIC_PATHS:
        assert client.get(path, HTTP_HOST=ATTACKER).status_code == 200, path
    for path in PUBLIC_PATHS:  # each rendered afresh for the site's own host: nothing was kept
        own = client.get(path, HTTP_HOST="journey.example.nhs.uk", secure=True)
        assert own.status_code == 200 and own.wsgi_request.public_cache_page, path
        assert ATTACKER.split(":")[0] not in own.content.decode(), path


@pytest.mark.parametrize(
    ("host", "forwarded", "use_forwarded", "expected"),
    [
        ("journey.example.nhs.uk", None, False, True),
        ("JOURNEY.example.nhs.uk:443", None, False, True),  # the default port of SITE_URL's scheme
        ("journey.example.nhs.uk:8443", None, False, False),
        ("127.0.0.1", None, False, False),
        # Behind a proxy that sets X-Forwarded-Host, that header decides, not Host.
        ("journey.example.nhs.uk", "127.0.0.1", True, False),
        ("127.0.0.1", "journey.example.nhs.uk", True, True),
    ],
)
def test_a_request_is_for_the_site_only_when_addressed_to_site_urls_host(
    rf, settings, host, forwarded, use_forwarded, expected
):
    from secamb_journey.site_url import is_site_host

    settings.USE_X_FORWARDED_HOST = use_forwarded
    headers = {"HTTP_HOST": host, "wsgi.url_scheme": "https"}
    if forwarded:
        headers["HTTP_X_FORWARDED_HOST"] = forwarded
    assert is_site_host(rf.get("/", **headers)) is expected


def test_a_host_that_is_not_allowed_is_refused_not_answered(rf):
    from django.core.exceptions import DisallowedHost

    from secamb_journey.site_url import is_site_host

    with pytest.raises(DisallowedHost):
        is_site_host(rf.get("/", HTTP_HOST="evil.example.com"))
