"""Published updates are read-only in the admin: what the public read never changes, and history is
never reverted (a revert would put a withdrawn update back to published)."""

import datetime

import pytest

from actions.tests.factories import UserFactory
from reports.models import PublishedUpdate, UpdateStatus
from reports.services import update_draft_for_period, update_publish, update_withdraw


@pytest.fixture
def admin_as(client_for, db):
    return client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))


@pytest.fixture
def published(comms):
    update = update_draft_for_period(period=datetime.date(2026, 5, 1))
    return update_publish(update=update, publisher=comms)


def test_a_published_updates_headline_and_narrative_cannot_be_changed_in_the_admin(admin_as, published):
    page = admin_as.get(f"/admin/reports/publishedupdate/{published.pk}/change/")
    assert 'name="headline"' not in page.content.decode()
    admin_as.post(
        f"/admin/reports/publishedupdate/{published.pk}/change/",
        {"headline": "Rewritten", "narrative": "Rewritten", "period": "2026-05-01", "slug": published.slug},
    )
    published.refresh_from_db()
    assert published.headline != "Rewritten" and published.narrative != "Rewritten"


def test_a_published_update_cannot_be_deleted_in_the_admin(admin_as, published):
    assert admin_as.post(f"/admin/reports/publishedupdate/{published.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PublishedUpdate.objects.filter(pk=published.pk).exists()


def test_history_revert_cannot_put_a_withdrawn_update_back(admin_as, published, comms):
    as_published = published.history.first()
    update_withdraw(update=published, editor=comms, note="Figures were wrong.")
    url = f"/admin/reports/publishedupdate/{published.pk}/history/{as_published.history_id}/"
    assert admin_as.get(url).status_code == 200
    response = admin_as.post(url, {"headline": published.headline, "status": UpdateStatus.PUBLISHED})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.status == UpdateStatus.WITHDRAWN
