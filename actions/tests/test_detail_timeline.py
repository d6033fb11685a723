"""A long progress log is paged on the action's page, newest first, and nothing is lost between pages."""

import datetime

import pytest
from django.utils import timezone

from actions.choices import Status
from actions.services.progress import action_log_progress
from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_twenty_entries_a_page_newest_first_and_pages_through_all(client_for, owner, board):
    action = ActionFactory(owner=owner)
    start = timezone.now() - datetime.timedelta(days=90)
    for n in range(45):
        action_log_progress(
            action=action,
            author=owner,
            narrative=f"Update number {n:02d}.",
            status=Status.ON_TRACK,
            percent_complete=n,
            at=start + datetime.timedelta(days=n),
            notify=False,
        )
    client = client_for(board)
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/actions/{action.reference}/", {"timeline_page": page})
        entries = [entry.narrative for entry in response.context["timeline"]]
        seen.extend(entries)
    assert len(seen) == 45 and len(set(seen)) == 45
    assert seen[0] == "Update number 44." and seen[-1] == "Update number 00."
    first = client.get(f"/actions/{action.reference}/").content.decode()
    assert "Entries 1 to 20 of 45, newest first." in first
    assert "timeline_page=2" in first
