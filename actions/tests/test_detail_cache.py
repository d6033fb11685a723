"""The action's page reads the action from the figures cache (issue 15): once per change, never stale,
and what the viewer may do is worked out afresh on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from actions.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _action_rows_read(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return sum(1 for q in ctx.captured_queries if 'FROM "actions_action"' in q["sql"])


def test_the_page_reads_the_action_once_per_change_and_shows_a_change_made_any_way(client_for, owner, board):
    action = ActionFactory(owner=owner, title="Seal every medicines pouch")
    path = f"/actions/{action.reference}/"
    client = client_for(board)
    client.get(path)
    assert _action_rows_read(client, path) == 0  # from the cache: no change since
    Action.objects.filter(pk=action.pk).update(title="Seal every medicines pouch, every shift")  # no signal
    assert "every shift" in client.get(path).content.decode()


def test_a_new_owner_is_seen_at_once_and_the_old_one_may_no_longer_log_progress(client_for, owner, other_owner):
    action = ActionFactory(owner=owner)
    path = f"/actions/{action.reference}/"
    assert "Log progress" in client_for(owner).get(path).content.decode()
    assert "Log progress" not in client_for(other_owner).get(path).content.decode()
    Action.objects.filter(pk=action.pk).update(owner=other_owner)
    assert "Log progress" not in client_for(owner).get(path).content.decode()
    assert "Log progress" in client_for(other_owner).get(path).content.decode()
    # And the refusal holds where it matters, at the form, which reads the action itself.
    assert client_for(owner).get(f"{path}progress/").status_code == 403


def test_an_unknown_reference_is_404_every_time(client_for, board):
    client = client_for(board)
    assert client.get("/actions/MD-999/").status_code == 404
    assert client.get("/actions/MD-999/").status_code == 404
