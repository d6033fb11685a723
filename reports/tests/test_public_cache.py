"""The public content generation: moved on by every write to a published update, in the writer's transaction."""

import pytest
from django.db import transaction

from reports.models import PublicContentGeneration
from reports.public_cache import public_cache_clear, public_cache_generation
from reports.services import update_draft_for_period
from reports.tests.updates_world import DRAFTED, OCTOBER, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_the_migration_makes_the_one_row():
    assert PublicContentGeneration.objects.count() == 1
    assert public_cache_generation() != "none"


def test_a_save_of_an_update_by_any_writer_moves_the_generation_on(world):
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    before = public_cache_generation()
    update.headline = "Edited around the services, as the admin does"
    update.save()
    assert public_cache_generation() != before
    before = public_cache_generation()
    update.delete()
    assert public_cache_generation() != before


def test_a_rolled_back_change_leaves_the_generation_where_it_was(world):
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    before = public_cache_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        update.save()
        raise RuntimeError("the writer fails after saving")
    assert public_cache_generation() == before


def test_a_missing_row_is_made_again_when_the_generation_moves():
    PublicContentGeneration.objects.all().delete()
    assert public_cache_generation() == "none"
    public_cache_clear()
    assert PublicContentGeneration.objects.count() == 1 and public_cache_generation() != "none"
