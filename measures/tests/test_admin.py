"""The admin: a measure saves through the service; values are read only and no history is reverted."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from measures.models import Measure, MeasureValue
from measures.tests.factories import MeasureFactory, add_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.nhs.uk", "a-long-admin-password")
    client.force_login(admin)
    return client


def test_a_measure_saved_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post(
        "/admin/measures/measure/add/",
        {
            "slug": "cat1-mean",
            "name": "Category 1 mean",
            "unit": "minutes",
            "frequency": "monthly",
            "improvement": "decrease",
            "target": "7",
            "screen_outliers": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(slug="cat1-mean")
    assert measure.target == 7.0 and measure.is_public is False  # internal until made public


def test_values_cannot_be_added_changed_or_reverted_in_the_admin(admin_client):
    measure = MeasureFactory()
    (value,) = add_values(measure, [7.5])
    value = MeasureValue.objects.get(measure=measure)
    assert admin_client.get("/admin/measures/measurevalue/add/").status_code == 403
    history = value.history.first()
    url = f"/admin/measures/measurevalue/{value.pk}/history/{history.history_id}/"
    assert admin_client.post(url, {"value": "1"}).status_code == 403
    assert MeasureValue.objects.get(pk=value.pk).value == 7.5
    assert datetime.date(2024, 1, 1) == value.period


@pytest.mark.parametrize("target", ["1e308", "5e-324", "1500000000000"])
def test_a_target_out_of_range_is_refused_in_the_admin_with_the_range(admin_client, target):
    response = admin_client.post(
        "/admin/measures/measure/add/",
        {
            "slug": "cat1-mean",
            "name": "Category 1 mean",
            "frequency": "monthly",
            "improvement": "decrease",
            "target": target,
            "screen_outliers": "on",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert "The target: enter a number between -1,000,000,000,000 and 1,000,000,000,000" in response.content.decode()
    assert not Measure.objects.exists()
