"""The measure pages take the same number of queries whatever the number of measures and values."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.tests.factories import ActionFactory
from measures.tests.factories import MeasureFactory, add_values
from pillars.tests.factories import PillarFactory

pytestmark = pytest.mark.django_db


def _grow(count: int, values: int, pillar) -> None:
    for _ in range(count):
        measure = MeasureFactory()
        measure.pillars.add(pillar)
        measure.actions.add(ActionFactory())
        add_values(measure, [7.0 + (i % 5) / 10 for i in range(values)], rebase_at=[values // 2])


def _counts(client, paths):
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_measure_pages_have_constant_query_counts_at_two_sizes(client_for, board, client):
    pillar = PillarFactory()
    first = MeasureFactory(slug="watched")
    first.pillars.add(pillar)
    add_values(first, [7.0, 7.2], start=datetime.date(2020, 1, 1))
    staff_paths = ["/measures/", "/measures/watched/", f"/measures/?pillar={pillar.slug}", "/dashboard/"]
    public_paths = ["/performance/", "/performance/watched/", "/open-data/measures.csv"]
    _grow(2, 3, pillar)
    small = {**_counts(client_for(board), staff_paths), **_counts(client, public_paths)}
    _grow(15, 30, pillar)
    add_values(first, [7.1] * 40, start=datetime.date(2021, 1, 1), rebase_at=[10, 20])
    large = {**_counts(client_for(board), staff_paths), **_counts(client, public_paths)}
    assert large == small
    assert max(v for k, v in small.items() if k != "/dashboard/") <= 20, small
