"""The one cache mechanism (secamb_journey.generations): the trigger list derived from the models, every write
moving each scope's generation whatever its path, and each process reading it at most once a second."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Action, FiguresGeneration
from actions.tests.factories import ActionFactory
from reports.models import PublicContentGeneration
from secamb_journey import generations

pytestmark = pytest.mark.django_db


def tokens() -> tuple:
    return PublicContentGeneration.objects.get().token, FiguresGeneration.objects.get().token


def test_every_project_model_is_covered_by_the_triggers_or_excluded_with_a_reason():
    """Adding a model forces a decision: a cached page reads it (its app is in CONTENT_APPS), or EXCLUDED says
    why none does."""
    covered = {model._meta.label for model in generations.covered_models()}
    undecided = [
        model._meta.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR) and "site-packages" not in Path(config.path).parts
        for model in config.get_models(include_auto_created=True)
        if not generations.is_history(model)
        and model._meta.label not in covered
        and model._meta.label not in generations.EXCLUDED
    ]
    assert undecided == [], "add each to CONTENT_APPS' coverage or to EXCLUDED, with the reason"
    assert {"actions.Action", "actions.Action_themes", "measures.MeasureValue", "reports.PublishedUpdate"} <= covered
    assert all(apps.get_model(label) for label in generations.EXCLUDED)  # no stale exclusion


def test_every_covered_table_has_its_triggers_after_migrate():
    expected = set(generations.expected_triggers(connection.vendor))
    assert expected <= generations.present_triggers(connection)
    assert {table for _name, table in expected} >= {"actions_action", "measures_measurevalue", "auth_user_groups"}


def test_a_lost_trigger_is_made_again_and_a_stale_one_dropped():
    """As after a SQLite migration rebuilds a table (ensure_triggers runs after every migrate)."""
    name, table = sorted(generations.expected_triggers(connection.vendor))[0]
    on_table = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}{on_table}")
        cursor.execute(generations.expected_triggers(connection.vendor)[(name, table)].replace(name, "gen_stale", 1))
    generations.ensure_triggers(connection)
    present = generations.present_triggers(connection)
    assert (name, table) in present and ("gen_stale", table) not in present


@pytest.mark.parametrize(
    "write",
    [
        lambda action: action.save(),
        lambda action: Action.objects.filter(pk=action.pk).update(percent_complete=50),
        lambda action: ActionFactory.create_batch(2),
        lambda action: action.delete(),
        lambda action: connection.cursor().execute(
            "UPDATE actions_action SET title = 'Raw' WHERE id = %s", [action.pk]
        ),
    ],
    ids=["save", "update", "bulk", "delete", "raw SQL"],
)
def test_a_write_by_any_path_moves_both_generations(write):
    action = ActionFactory()
    before = tokens()
    write(action)
    after = tokens()
    assert after[0] != before[0] and after[1] != before[1]


def test_a_rolled_back_write_leaves_the_generations_where_they_were():
    action = ActionFactory()
    before = tokens()
    with pytest.raises(RuntimeError), transaction.atomic():
        action.save()
        raise RuntimeError("the writer fails after saving")
    assert tokens() == before


def test_a_missing_row_means_nothing_is_cached_until_a_write_makes_it_again():
    PublicContentGeneration.objects.all().delete()
    assert generations.current("public") is None
    ActionFactory()
    assert PublicContentGeneration.objects.count() == 1 and generations.current("public") is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # later tests need the migrations' data
def test_outside_a_transaction_each_process_reads_a_generation_at_most_once_a_second():
    generations.forget()
    first = generations.current("public")
    with CaptureQueriesContext(connection) as reads:
        assert generations.current("public") == first
        ActionFactory()
        assert generations.current("public") == first  # remembered, for a second at most
    assert not any("publiccontentgeneration" in query["sql"] for query in reads.captured_queries)
    generations.forget()  # as after a second, or after this process's own form post
    assert generations.current("public") not in (first, None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_today_is_read_like_a_generation_so_a_cached_page_moves_to_the_new_day_within_a_second():
    generations.forget()
    today = f"{timezone.localdate():%Y%m%d}"
    assert generations.today() == today
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("secamb_journey.generations.timezone.localdate", return_value=tomorrow):
        assert generations.today() == today  # remembered, for a second at most
        with transaction.atomic():  # inside a transaction, read afresh like a generation
            assert generations.today() == f"{tomorrow:%Y%m%d}"
        generations.forget()  # as after a second
        assert generations.today() == f"{tomorrow:%Y%m%d}"
