"""The public home page: the trust's purpose, goals, pillars with their true progress, and themes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import Status
from actions.tests.factories import ActionFactory
from pillars.tests.factories import PillarFactory, StrategicGoalFactory
from reports.selectors import home_page_content
from reports.tests.cache_queries import ANY_GENERATION_LOOKUP
from reports.trust_profile import default_profile_load
from secamb_journey.generations import cache_clear
from themes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    default_profile_load()


def test_home_shows_the_purpose_goals_pillars_and_themes_in_the_trusts_words(client, strategy):
    page = client.get("/").content.decode()
    assert "our prime purpose is to respond to the immediate needs of our patients" in page
    for words in [
        "Delivering Modern Healthcare for our patients",
        "Everyone is listened to, respected and well supported",
        "Quality Improvement",
        "Sustainability and Partnerships",
        "Trust in the Leadership Team is lacking",
        "Significant concerns raised over culture",
    ]:
        assert words in page


def test_pillar_progress_counts_only_public_actions_and_says_how_many_are_done():
    pillar = PillarFactory(name="Responsive Care")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionFactory(pillar=pillar, status=Status.COMPLETE)
    ActionFactory(pillar=pillar, status=Status.ASSURED)
    ActionFactory(pillar=pillar, status=Status.ON_TRACK, due_date=yesterday)
    ActionFactory(pillar=pillar, status=Status.OFF_TRACK)
    ActionFactory(pillar=pillar, status=Status.ON_TRACK, is_public=False)  # internal: never counted
    (row,) = home_page_content()["pillars"]
    counts = row.counts
    assert (counts.total, counts.done, counts.overdue, counts.percent_done) == (4, 2, 1, 50)
    assert counts.by_status[Status.ON_TRACK] == 1 and counts.by_status[Status.OFF_TRACK] == 1


def test_home_page_renders_the_figures(client):
    pillar = PillarFactory(name="People and Culture")
    ActionFactory(pillar=pillar, status=Status.COMPLETE)
    ActionFactory.create_batch(3, pillar=pillar, status=Status.AT_RISK)
    page = client.get("/").content.decode()
    assert "1 of 4 actions complete or assured" in page
    assert "25% complete" in page


def test_a_pillar_with_no_actions_shows_nought_percent_not_an_error(client):
    PillarFactory(name="Quality Improvement")
    page = client.get("/").content.decode()
    assert "0 of 0 actions complete or assured" in page


def test_a_pillar_serves_only_the_current_goals_not_one_a_newer_strategy_retired(client):
    current = StrategicGoalFactory(title="Safe care for every patient")
    retired = StrategicGoalFactory(title="A goal of the old strategy", retired=True)
    PillarFactory(name="Safer Care").goals.set([current, retired])
    page = client.get("/").content.decode()
    assert "Serves: Safe care for every patient</p>" in page
    assert "A goal of the old strategy" not in page


def test_a_theme_is_answered_only_by_current_pillars_not_one_a_newer_strategy_retired(client):
    current = PillarFactory(name="Safer Care")
    retired = PillarFactory(name="A pillar of the old strategy", retired=True)
    ThemeFactory(title="Staffing levels").pillars.set([current, retired])
    page = client.get("/").content.decode()
    assert "(answered by Safer Care)" in page
    assert "A pillar of the old strategy" not in page


def test_home_page_queries_do_not_grow_with_the_number_of_actions(client, strategy):
    def queries():
        cache_clear()  # anonymous visitors are served from the cache: count the queries of a miss
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    ActionFactory.create_batch(3)
    few = queries()
    ActionFactory.create_batch(40)
    assert queries() == few


def test_the_home_page_is_served_to_the_public_from_the_cache_and_to_staff_live(client, client_for, lead, strategy):
    ActionFactory.create_batch(3)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    # One query only: the look-up of the public content generation that keys the cache.
    assert [q["sql"] for q in ctx.captured_queries] == [ANY_GENERATION_LOOKUP]
    # Staff are never served the public copy: their header names them.
    staff = client_for(lead)
    with CaptureQueriesContext(connection) as ctx:
        assert staff.get("/").status_code == 200
    assert len(ctx) > 0


def test_the_home_page_leads_with_the_figures_each_pillar_a_link_then_the_strategy(client, strategy):
    from pillars.models import Pillar

    pillar = Pillar.objects.order_by("number").first()
    ActionFactory(pillar=pillar, status=Status.COMPLETE)
    ActionFactory(pillar=pillar, status=Status.ON_TRACK)
    page = client.get("/").content.decode()
    overall = page.index("Overall progress")
    assert overall < page.index(f'href="#pillar-{pillar.slug}"') < page.index("Latest progress update")
    assert page.index("Latest progress update") < page.index("Our purpose")
    assert f'id="pillar-{pillar.slug}"' in page  # where each pillar's link lands
    assert "<strong>50%</strong> (1 of 2)" in page


def test_the_headline_percentage_says_when_it_is_as_at(client, strategy):

    page = client.get("/").content.decode()
    heading = page.split('id="progress">', 1)[1].split("</h2>", 1)[0]
    assert heading == f"Overall progress as at {timezone.localdate():%-d %B %Y}"
    assert page.index('id="progress"') < page.index("app-headline-figure")
