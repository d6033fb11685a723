"""The demo measures tell a story, are labelled illustrative, and seeding twice changes nothing."""

import datetime

import pytest
from django.core.management import call_command

from measures.demo import DEMO_MEASURES, seed_demo_measures, seed_scale_measures
from measures.models import Measure, MeasureValue, Recalculation
from measures.selectors import measures_summary

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


def test_seed_demo_adds_about_a_dozen_illustrative_measures_most_public(seeded):
    measures = list(Measure.objects.all())
    assert 10 <= len(measures) <= 14 and all(m.illustrative for m in measures)
    assert sum(m.is_public for m in measures) > len(measures) / 2
    assert all(24 <= m.values.count() <= 36 or m.frequency == "quarterly" for m in measures)
    assert all(m.pillars.exists() for m in measures)
    assert Measure.objects.filter(actions__isnull=False).distinct().count() >= 8
    names = {m.name for m in measures}
    expected = {
        "Category 1 mean response time",
        "Category 2 90th centile response time",
        "NHS 111 calls answered within 60 seconds",
        "Sickness absence rate",
        "Freedom to Speak Up concerns raised",
        "Staff engagement score",
        "Staff turnover (rolling 12 months)",
    }
    assert expected <= names


def test_the_demo_has_an_improvement_after_a_recalculation_and_a_concern(seeded):
    charts = {mc.measure.slug: mc for mc in measures_summary(public_only=False)}
    cat1 = charts["cat1-mean"]
    assert Recalculation.objects.filter(measure=cat1.measure).exists()
    assert cat1.variation_icon == "improvement_low"
    assert charts["cat2-mean"].variation_icon == "concern_high"
    assert {mc.assurance_icon for mc in charts.values()} >= {"consistent_fail", "inconsistent", None}


def test_seeding_measures_twice_changes_nothing(seeded):
    before = (Measure.objects.count(), MeasureValue.objects.count(), Recalculation.objects.count())
    assert seed_demo_measures() == 0
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (Measure.objects.count(), MeasureValue.objects.count(), Recalculation.objects.count()) == before
    assert before[0] == len(DEMO_MEASURES)


def test_the_demo_values_end_last_month():
    seed_demo_measures(today=TODAY)
    last = MeasureValue.objects.filter(measure__slug="cat1-mean").order_by("-period").first()
    assert last.period == datetime.date(2026, 10, 1)


def test_the_scale_data_set_is_built_in_bulk_and_idempotent():
    assert seed_scale_measures(5, 60, today=TODAY) == 5
    assert MeasureValue.objects.count() == 300
    assert seed_scale_measures(5, 60, today=TODAY) == 0
