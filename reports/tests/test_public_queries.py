"""One update, the feed and open data ask the database the same number of questions at any size
(issue 8: the benchmark reports their counts at 10,000 actions; these tests keep them constant)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.choices import Status
from actions.tests.factories import ActionFactory
from reports.services import update_draft_for_period, update_publish
from secamb_journey.generations import cache_clear

pytestmark = pytest.mark.django_db

DRAFTED = datetime.datetime(2025, 12, 20, 9, 0, tzinfo=datetime.UTC)


def queries(client, path: str) -> int:
    cache_clear()  # anonymous visitors are served from the cache: count the queries of a miss
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def publish(month: int):
    update = update_draft_for_period(period=datetime.date(2025, month, 1), now=DRAFTED)
    return update_publish(update=update, publisher=None)


def test_one_update_takes_the_same_number_of_queries_whatever_the_number_of_actions(client):
    ActionFactory.create_batch(2, status=Status.ON_TRACK, is_public=True)
    few = queries(client, f"/updates/{publish(10).slug}/")
    ActionFactory.create_batch(30, status=Status.AT_RISK, is_public=True)
    assert queries(client, f"/updates/{publish(11).slug}/") == few


def test_the_feed_takes_the_same_number_of_queries_whatever_the_number_of_updates(client):
    publish(1)
    few = queries(client, "/updates/feed/")
    for month in range(2, 13):
        publish(month)
    assert queries(client, "/updates/feed/") == few
