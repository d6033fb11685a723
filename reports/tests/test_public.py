"""The public pages of published updates: what an anonymous visitor reads, and what never reaches them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.choices import Status
from actions.tests.factories import ActionFactory
from measures.tests.factories import MeasureFactory, add_values
from reports.models import PublishedUpdate
from reports.services import update_draft_for_period, update_publish, update_withdraw
from reports.tests.cache_queries import ANY_GENERATION_LOOKUP
from reports.tests.updates_world import (
    DRAFTED,
    OCTOBER,
    SECRET_WORDS,
    at,
    build_unpublished_updates,
    build_world,
    publish_months,
)
from secamb_journey.generations import cache_clear
from secamb_journey.tests.test_no_none import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def published(world, comms):
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    return update_publish(update=update, publisher=comms, at=at(3, month=11))


def test_nothing_that_is_not_public_reaches_an_anonymous_visitor(client, world, published, comms):
    """Drafts, withdrawn updates, internal actions, internal narratives and owners' names: on no page, in
    no feed entry and in no open data file.
    """
    build_unpublished_updates()
    # Measures (issue 12): an internal measure never reaches the public; a public one does.
    public_measure = MeasureFactory(slug="cat1-public", name="Category 1 public measure", is_public=True)
    internal = MeasureFactory(slug="internal-measure", name="INTERNAL MEASURE secret", is_public=False)
    add_values(public_measure, [8.1, 7.9, 8.3])
    add_values(internal, [123456.789, 2.5])
    pages = {
        path: client.get(path)
        for path in [
            "/",
            "/updates/",
            "/updates/october-2026/",
            "/updates/october-2026/completed/",
            "/updates/october-2026/assured/",
            "/updates/october-2026/highlights/",
            "/updates/feed/",
            "/open-data/",
            "/open-data/actions.csv",
            "/open-data/actions.json",
            "/plan/",  # the public plan (issue 13)
            "/plan/MD-101/",
            "/performance/",
            "/performance/cat1-public/",
            "/open-data/measures.csv",
            "/open-data/measures/cat1-public.json",
        ]
    }
    for path, response in pages.items():
        assert response.status_code == 200, path
        text = response.content.decode()
        for secret in [*SECRET_WORDS, "INTERNAL MEASURE", "internal-measure", "123456"]:
            assert secret not in text, f"{secret!r} reached an anonymous visitor at {path}"
    assert "Category 1 public measure" in pages["/performance/"].content.decode()
    assert "cat1-public" in pages["/open-data/measures.csv"].content.decode()
    for path in ["/performance/internal-measure/", "/open-data/measures/internal-measure.json"]:
        assert client.get(path).status_code == 404, path
    # And what is public is there: the published update, its highlight, the public actions.
    assert "Every vehicle in Kent now has a sealed medicines pouch." in pages["/updates/october-2026/"].content.decode()
    assert published.headline in pages["/updates/feed/"].content.decode()
    assert "MD-101" in pages["/open-data/actions.csv"].content.decode()
    assert "Every vehicle in Kent now has a sealed medicines pouch." in pages["/plan/MD-101/"].content.decode()
    assert client.get("/plan/IJ-900/").status_code == 404  # an internal action has no public page
    # The draft and the withdrawn update answer 404 at their own addresses, showing none of their content.
    assert client.get("/updates/september-2026/").status_code == 404
    withdrawn = client.get("/updates/august-2026/")
    assert withdrawn.status_code == 404
    assert "WITHDRAWN" not in withdrawn.content.decode()
    assert "two figures were wrong" in withdrawn.content.decode()  # the public note is all that shows


def test_an_update_page_shows_the_narrative_pillar_progress_compliance_highlights_and_publication_date(
    client, published
):
    page = client.get("/updates/october-2026/").content.decode()
    assert "Published on 3 November 2026" in page
    assert "Figures as at 31 October 2026" in page  # drafted on 1 November: frozen as the month ended
    assert "public actions are now complete or assured" in page  # the narrative, rendered
    # Pillar progress as a <progress> element with the figure in words: readable without JavaScript.
    assert 'aria-label="Responsive Care: 50% complete"' in page
    assert "1 of 2 actions complete or assured" in page
    assert "CQC warning notice" in page and "CQC should-do" in page
    assert "Track safeguarding referrals within 24 hours" in page  # completed in October
    assert "Share learning from incidents every month" in page  # assured in October
    assert "first update we have published" in page


def test_the_update_page_shows_the_change_since_the_last_published_update(client, world, comms):
    september = update_draft_for_period(period=datetime.date(2026, 9, 1), now=at(1, month=10))
    update_publish(update=september, publisher=comms)
    october = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    update_publish(update=october, publisher=comms)
    page = client.get("/updates/october-2026/").content.decode()
    assert "our update for September 2026" in page
    text = visible_text(page)
    assert re.search(r"Actions overdue \d+, up 1 action\b", text)  # one more overdue, beside the figure
    # The narrative says how many are done; the change section does not say it again.
    assert text.count("public actions are") == 1


def test_the_list_shows_published_updates_newest_first_and_withdrawal_notes(client, world, published, comms):
    build_unpublished_updates()
    september = PublishedUpdate.objects.get(slug="september-2026")
    update_publish(update=september, publisher=comms)
    page = client.get("/updates/").content.decode()
    assert page.index(published.headline) < page.index("DRAFT-HEADLINE-SEPTEMBER")
    assert "The update for August 2026 was withdrawn on 5 September 2026." in page
    assert "two figures were wrong" in page


def test_the_list_is_paginated(client, comms):
    for month in range(1, 13):
        update = update_draft_for_period(period=datetime.date(2025, month, 1), now=DRAFTED)
        update_publish(update=update, publisher=comms)
    first = client.get("/updates/").content.decode()
    assert "December 2025" in first and "January 2025" not in first
    assert 'href="?page=2"' in first
    second = client.get("/updates/?page=2").content.decode()
    assert "January 2025" in second and "December 2025" not in second


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_updates(client, comms):
    def queries():
        cache_clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/updates/").status_code == 200
        return len(ctx)

    publish_months(publisher=comms, months=(1, 2))
    few = queries()
    publish_months(publisher=comms, months=range(3, 13))
    assert queries() == few


def test_an_unknown_update_answers_404(client):
    assert client.get("/updates/no-such-month/").status_code == 404


def test_public_pages_are_cached_for_anonymous_visitors(client, published):
    assert client.get("/updates/october-2026/").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/updates/october-2026/")
    assert page.status_code == 200 and published.headline in page.content.decode()
    # One query only: the look-up of the public content generation that keys the cache.
    assert [q["sql"] for q in ctx.captured_queries] == [ANY_GENERATION_LOOKUP]


def test_withdrawing_clears_the_cache_at_once(client, published, comms, django_capture_on_commit_callbacks):
    assert published.headline in client.get("/updates/").content.decode()
    assert client.get("/updates/october-2026/").status_code == 200
    assert published.headline in client.get("/updates/feed/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        update_withdraw(update=published, editor=comms, note="Withdrawn while we correct a figure.")

    assert client.get("/updates/october-2026/").status_code == 404
    assert published.headline not in client.get("/updates/").content.decode()
    assert published.headline not in client.get("/updates/feed/").content.decode()


def test_publishing_clears_the_cache_at_once(client, world, comms, django_capture_on_commit_callbacks):
    assert "first update will appear here" in client.get("/updates/").content.decode()
    update = update_draft_for_period(period=OCTOBER, now=DRAFTED)
    with django_capture_on_commit_callbacks(execute=True):
        update_publish(update=update, publisher=comms)
    assert update.headline in client.get("/updates/").content.decode()


def test_signed_in_staff_are_never_served_a_cached_page(client_for, client, published, comms):
    client.get("/updates/october-2026/")  # cached for the public
    page = client_for(comms).get("/updates/october-2026/").content.decode()
    assert "Sign out" in page and "Sasha Patel" in page


def test_the_home_page_shows_the_latest_published_update(client, published):
    build_unpublished_updates()
    page = client.get("/").content.decode()
    assert published.headline in page
    assert "DRAFT-HEADLINE-SEPTEMBER" not in page


def test_the_json_open_data_is_served_from_the_cache_with_its_type_until_a_write(client, world):
    first = client.get("/open-data/actions.json")
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/open-data/actions.json")
    assert second["Content-Type"] == "application/json"
    assert second.content == first.content  # the same `generated_at`: the cached copy
    assert [q["sql"] for q in ctx.captured_queries] == [ANY_GENERATION_LOOKUP]
    # An action made public after the first read moves the generation: the next read lists it.
    ActionFactory(title="ADDED-AFTER-THE-FIRST-READ", is_public=True)
    assert "ADDED-AFTER-THE-FIRST-READ" in client.get("/open-data/actions.json").content.decode()


def test_link_checkers_may_ask_for_just_the_headers(client, published):
    for path in ("/updates/", "/updates/october-2026/", "/updates/feed/", "/open-data/actions.csv"):
        assert client.head(path).status_code == 200, path


def test_highlights_are_grouped_by_pillar_with_each_action_once():
    from reports.selectors.updates import update_figures

    update = PublishedUpdate(
        figures={
            "pillars": [{"name": "Quality Improvement"}, {"name": "People and Culture"}],
            "highlights": [
                {
                    "reference": "MD-2",
                    "title": "Appraisals",
                    "pillar": "People and Culture",
                    "text": "A",
                    "on": "2026-10-02",
                },
                {
                    "reference": "MD-1",
                    "title": "Medicines",
                    "pillar": "Quality Improvement",
                    "text": "B",
                    "on": "2026-10-03",
                },
                {
                    "reference": "MD-2",
                    "title": "Appraisals",
                    "pillar": "People and Culture",
                    "text": "C",
                    "on": "2026-10-09",
                },
            ],
        }
    )
    grouped = update_figures(update).highlights_by_pillar
    assert [pillar for pillar, _ in grouped] == ["Quality Improvement", "People and Culture"]
    people = grouped[1][1]
    assert [a["reference"] for a in people] == ["MD-2"]
    assert [note.text for note in people[0]["notes"]] == ["A", "C"]


def test_a_long_month_shows_its_first_entries_and_links_to_each_list_in_full_paged(client, world, comms, monkeypatch):
    """At the benchmark's scale a month completes hundreds of actions: the update's own page shows the
    first of each list and links to the list in full, paged; a real month fits on the page with no link."""
    from reports.views import public as views

    for n in range(7):
        ActionFactory(
            reference=f"MD-7{n:02d}",
            title=f"Long month action {n}",
            status=Status.COMPLETE,
            percent_complete=100,
            completed_at=at(4 + n),
        )
    update = update_publish(
        update=update_draft_for_period(period=OCTOBER, now=DRAFTED), publisher=comms, at=at(3, month=11)
    )
    completed = [a.reference for a in update_figures_of(update).completed]
    assert len(completed) >= 8

    page = client.get("/updates/october-2026/").content.decode()
    assert all(reference in page for reference in completed)  # everything fits: no link
    assert "/updates/october-2026/completed/" not in page

    monkeypatch.setattr(views, "UPDATE_LIST_SHOWN", 3)
    monkeypatch.setattr(views, "UPDATE_SECTION_PER_PAGE", 5)
    cache_clear()
    page = client.get("/updates/october-2026/").content.decode()
    assert [reference in page for reference in completed] == [True] * 3 + [False] * (len(completed) - 3)
    assert f"See all {len(completed)} actions completed this month" in page
    assert 'href="/updates/october-2026/completed/"' in page

    first = client.get("/updates/october-2026/completed/").content.decode()
    second = client.get("/updates/october-2026/completed/?page=2").content.decode()
    assert [reference in first for reference in completed[:5]] == [True] * 5
    assert not any(reference in first for reference in completed[5:])
    assert all(reference in second for reference in completed[5:10])
    assert "Completed in October 2026" in first and 'href="?page=2"' in first

    assert client.get("/updates/october-2026/nonsense/").status_code == 404


def test_an_update_list_answers_404_for_a_draft_or_withdrawn_update(client, world, comms):
    build_unpublished_updates()
    for path in ("/updates/september-2026/completed/", "/updates/august-2026/highlights/"):
        assert client.get(path).status_code == 404, path


def update_figures_of(update):
    from reports.selectors.updates import update_figures

    return update_figures(update)
