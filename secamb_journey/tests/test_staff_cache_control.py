"""Every page a signed-in person gets says `Cache-Control: private, no-store`: walked over every URL in
the URL conf (the same walk and world as test_url_permissions), as every staff role."""

import pytest
from django.test import Client
from django.urls import reverse

from secamb_journey.tests.test_url_permissions import (
    SKIPPED_NAMES,
    SKIPPED_PREFIXES,
    SKIPPED_ROUTES,
    _arguments,
    _walk,
    build_world,
)

pytestmark = pytest.mark.django_db


def _cacheable_answers(people: dict, world) -> tuple[list[str], int]:
    from django.urls import get_resolver

    problems, checked = [], 0
    for name, route, parameters in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_ROUTES) or not name or name.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        url = reverse(name, kwargs=_arguments(name, parameters, world))
        for role, user in people.items():
            client = Client()
            client.force_login(user)
            response = client.get(url)
            if response.status_code != 200:
                continue
            checked += 1
            directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
            if not {"private", "no-store"} <= directives:
                problems.append(f"GET {url} ({name}) as {role}: Cache-Control {response.get('Cache-Control')!r}")
    return problems, checked


def test_every_page_a_signed_in_person_gets_is_private_and_not_stored(owner, lead, board, comms):
    world = build_world(owner, board)
    problems, checked = _cacheable_answers({"owner": owner, "lead": lead, "board": board, "comms": comms}, world)
    assert checked > 40  # the walk reached the staff pages, not only a few
    assert not problems, "\n".join(problems)


def test_the_dashboard_and_editorial_pages_in_particular(client_for, lead, comms, board, owner):
    world = build_world(owner, board)
    for person, url in (
        (lead, "/dashboard/"),
        (comms, "/reports/updates/"),
        (comms, f"/reports/updates/{world.draft_slug}/"),
    ):
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_anonymous_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
