"""Staff figures are computed once per change: every way of writing moves the figures generation (its
triggers, secamb_journey.generations), so the next read computes afresh; and nothing else does
(actions.figures_cache)."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.choices import Status
from actions.figures_cache import FIGURES_CACHE_SECONDS, figures_generation, forget_cached_figures
from actions.models import Action, FiguresGeneration, ProgressUpdate
from actions.services.progress import action_log_progress
from actions.tests.factories import UserFactory
from measures.models import Measure
from measures.tests.factories import MeasureFactory
from reports.governance_figures import dashboard_governance
from reports.selectors.dashboard import dashboard_goal, dashboard_overview, dashboard_pillar, dashboard_theme
from reports.tests.dashboard_data import DASHBOARD_PAGES, Programme, days
from secamb_journey.roles import Role

pytestmark = pytest.mark.django_db


def action_reads(function, **kwargs) -> tuple[object, int]:
    """The function's result and how many of its queries read the actions table."""
    with CaptureQueriesContext(connection) as queries:
        result = function(**kwargs)
    return result, sum("actions_action" in q["sql"] for q in queries.captured_queries)


def by_status(figures) -> dict:
    return dict(figures.counts.by_status)


def test_the_dashboard_is_computed_once_then_served_until_something_changes():
    Programme()
    first, reads = action_reads(dashboard_overview)
    assert reads > 0
    again, reads = action_reads(dashboard_overview)
    assert reads == 0
    assert by_status(again["overall"].figures) == by_status(first["overall"].figures)


def test_each_drill_down_governance_and_measures_are_cached_by_their_arguments():
    programme = Programme()
    quality = dashboard_pillar(pillar=programme.quality)
    responsive = dashboard_pillar(pillar=programme.responsive)
    assert quality["card"].label == "Quality Improvement" and responsive["card"].label == "Responsive Care"
    assert quality["card"].counts.total == 4 and responsive["card"].counts.total == 3
    for function, kwargs in [
        (dashboard_pillar, {"pillar": programme.quality}),
        (dashboard_theme, {"theme": programme.culture}),
        (dashboard_goal, {"goal": programme.goal}),
        (dashboard_governance, {}),
    ]:
        function(**kwargs)
        _, reads = action_reads(function, **kwargs)
        assert reads == 0, function


def test_the_measures_summary_is_rendered_once_per_change():
    measure = MeasureFactory(name="Response times")
    first = Template("{% load measures %}{% measures_summary %}").render(Context())
    assert "Response times" in first
    with CaptureQueriesContext(connection) as queries:
        again = Template("{% load measures %}{% measures_summary %}").render(Context())
    assert again == first
    assert not any("measures_" in q["sql"] for q in queries.captured_queries)
    Measure.objects.filter(pk=measure.pk).update(name="Response times (category 1)")
    assert "Response times (category 1)" in Template("{% load measures %}{% measures_summary %}").render(Context())


def test_each_process_keeps_what_it_read_and_each_caller_gets_its_own_copy():
    Programme()
    first = dashboard_overview()
    caches["default"].clear()  # the shared cache lost it (Redis restarted, say): this process still has it
    again, reads = action_reads(dashboard_overview)
    assert reads == 0
    again["overall"].counts.by_status.clear()  # a caller changing what it was given...
    third, _ = action_reads(dashboard_overview)
    assert by_status(third["overall"].figures) == by_status(first["overall"].figures)  # ...changes no one else's


def test_no_figure_is_served_older_than_the_cache_seconds_across_both_tiers(monkeypatch, settings):
    """Kept FIGURES_CACHE_SECONDS - LOCAL_SECONDS in the shared cache, and LOCAL_SECONDS in each process
    from the moment it read it there: never older than FIGURES_CACHE_SECONDS (the clock-driven flags).
    The shared cache is Django's in-memory one here, whose clock the test can move (Redis keeps its own)."""
    import time

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock-test"},
    }
    Programme()
    started = time.time()
    now = [started]
    monkeypatch.setattr(time, "time", lambda: now[0])
    computed_at, oldest = 0, 0
    for seconds in range(0, 2 * FIGURES_CACHE_SECONDS, 7):  # a read every 7 s, by this process
        now[0] = started + seconds
        _, reads = action_reads(dashboard_overview)
        if reads:
            computed_at = seconds
        oldest = max(oldest, seconds - computed_at)
    assert 0 < oldest < FIGURES_CACHE_SECONDS


def test_a_caller_who_gives_the_moment_is_never_served_from_the_cache():
    Programme()
    now = timezone.now()
    dashboard_overview(now=now)
    _, reads = action_reads(dashboard_overview, now=now)
    assert reads > 0


def test_a_new_day_computes_afresh_without_any_write():
    programme = Programme()
    today = timezone.localdate()
    overdue_today = dashboard_overview(today=today)["overall"].counts.overdue
    # SD-001 is due in 10 days: eleven days on it is overdue too, with nothing written meanwhile.
    later = dashboard_overview(today=today + datetime.timedelta(days=11))["overall"].counts.overdue
    assert later == overdue_today + 1
    assert programme.sd1.due_date == days(10)


def test_without_the_generations_row_figures_are_computed_every_time():
    Programme()
    FiguresGeneration.objects.all().delete()
    dashboard_overview()
    _, reads = action_reads(dashboard_overview)
    assert reads > 0
    assert figures_generation() is None


# --- Every way of writing is seen by the next read -------------------------------------------------


def _through_the_service(programme, client_for):
    action_log_progress(
        action=programme.md1,
        author=programme.md1.owner,
        narrative="Slipping.",
        status=Status.AT_RISK,
        percent_complete=40,
    )


def _through_a_queryset_update(programme, client_for):
    Action.objects.filter(pk=programme.md1.pk).update(status=Status.AT_RISK)


def _through_bulk_create(programme, client_for):
    Action.objects.bulk_create(
        [
            Action(
                reference="IJ-900",
                title="Bulk created",
                action_type="improvement",
                pillar=programme.quality,
                owner=programme.md1.owner,
                executive_lead=programme.md1.executive_lead,
                status=Status.AT_RISK,
                due_date=days(30),
                original_due_date=days(30),
            )
        ]
    )


def _through_a_history_revert(programme, client_for):
    # simple-history's revert (the admin's is refused; an operator's shell is not): an old row saved.
    Action.objects.filter(pk=programme.md1.pk).update(status=Status.AT_RISK)
    programme.md1.status = Status.AT_RISK
    programme.md1.save()  # a history row saying at risk
    forget_cached_figures()
    dashboard_overview()  # cached at "at risk"
    before = programme.md1.history.order_by("history_date", "history_id").first()
    before.instance.save()  # back to on track


def _through_the_admin(programme, client_for):
    administrator = UserFactory(username="admin", is_staff=True, is_superuser=True)
    response = client_for(administrator).post(
        f"/admin/pillars/pillar/{programme.quality.pk}/change/",
        {
            "number": programme.quality.number,
            "slug": programme.quality.slug,
            "name": "Quality and Safety",
            "description": "",
            "goals": [programme.goal.pk],
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _through_the_plan_import(programme, client_for):
    from actions.importing.plan import import_action_plan

    lead = UserFactory(username="imp-lead", roles=[Role.LEAD])
    UserFactory(username="imp-owner", roles=[Role.OWNER])
    heading = "Reference,Title,Description,Type,CQC regulation,Pillar,Themes,Owner,Executive lead,Due date,Public"
    row = "IJ-901,Imported,,,,Quality Improvement,,imp-owner,imp-lead,31/03/2027,no"
    import_action_plan(name="plan.csv", content=f"{heading}\n{row}\n".encode(), creator=lead)


def _through_a_progress_bulk_create(programme, client_for):
    # A progress update alone (no status change): stale figures read the latest progress.
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action=programme.md1,
                author=programme.md1.owner,
                narrative="Bulk.",
                status=Status.ON_TRACK,
                percent_complete=50,
            )
        ]
    )


WRITES = {
    "service": _through_the_service,
    "queryset update": _through_a_queryset_update,
    "bulk_create": _through_bulk_create,
    "history revert": _through_a_history_revert,
    "admin": _through_the_admin,
    "plan import": _through_the_plan_import,
    "progress bulk_create": _through_a_progress_bulk_create,
}


@pytest.mark.parametrize("how", WRITES)
def test_a_change_by_every_path_moves_the_generation_and_is_seen_by_the_next_read(how, client_for):
    programme = Programme()
    before = dashboard_overview()
    token = figures_generation()
    WRITES[how](programme, client_for)
    assert figures_generation() != token
    after, reads = action_reads(dashboard_overview)
    assert reads > 0  # computed afresh, not served from the cache
    if how == "admin":
        assert [card.label for card in after["pillar_cards"]][0] == "Quality and Safety"
    elif how == "history revert":
        assert after["overall"].counts.by_status[Status.AT_RISK] == before["overall"].counts.by_status[Status.AT_RISK]
    elif how in ("plan import",):
        assert after["overall"].counts.total == before["overall"].counts.total + 1
    elif how != "progress bulk_create":
        assert after["overall"].counts.by_status[Status.AT_RISK] == (
            before["overall"].counts.by_status[Status.AT_RISK] + 1
        )


def test_a_sign_in_does_not_move_the_generation_but_a_change_of_name_does(client_for):
    person = UserFactory(username="someone")
    token = figures_generation()
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert figures_generation() == token
    person.last_name = "Renamed"
    person.save(update_fields=["last_name"])
    assert figures_generation() != token


def test_a_write_rolled_back_leaves_the_generation_where_it_was():
    from django.db import transaction

    programme = Programme()
    token = figures_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Action.objects.filter(pk=programme.md1.pk).update(status=Status.AT_RISK)
        raise RuntimeError
    assert figures_generation() == token


def test_the_registers_filter_form_is_rendered_once_per_change_and_per_query_string(client_for, lead):
    programme = Programme()
    client = client_for(lead)
    assert "Newcomer" not in client.get("/actions/").content.decode()
    UserFactory(username="newcomer", first_name="Nia", last_name="Newcomer", roles=[Role.OWNER])
    assert "Newcomer" in client.get("/actions/").content.decode()  # a new owner is offered at once
    chosen = client.get(f"/actions/?pillar={programme.responsive.slug}").content.decode()
    assert f'<option value="{programme.responsive.slug}" selected>' in chosen
    assert f'<option value="{programme.responsive.slug}" selected>' not in client.get("/actions/").content.decode()


@pytest.mark.parametrize("path", DASHBOARD_PAGES)
def test_a_dashboard_page_is_rendered_once_per_change_and_the_next_request_shows_a_change(path, client_for, board):
    programme = Programme()
    client = client_for(board)
    assert "Renamed by an update" not in client.get(path).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert not [q for q in queries.captured_queries if "actions_action" in q["sql"]]  # served, not computed
    # A change no signal sees: the page's fragment is rendered afresh at the next request.
    Action.objects.filter(pk=programme.md1.pk).update(title="Renamed by an update")
    assert "Renamed by an update" in client.get(path).content.decode()


def test_the_dashboards_cached_part_is_the_same_for_every_viewer_and_the_leavers_link_is_not(client_for, board, lead):
    Programme()
    as_board = client_for(board).get("/dashboard/").content.decode()
    as_lead = client_for(lead).get("/dashboard/").content.decode()  # served from the board member's render
    assert "MD-001" in as_board and "MD-001" in as_lead
    # The leavers' figure links to the list only for someone who may change owners (outside the fragment).
    link = 'href="/actions/needs-owner/" id="needs-new-owner"'
    assert link in as_lead and link not in as_board


def test_my_actions_is_each_persons_own_and_shows_a_change_at_the_next_request(client_for, owner, other_owner):
    from actions.tests.factories import ActionFactory

    first = ActionFactory(owner=owner, title="Owned by the first")
    ActionFactory(owner=other_owner, title="Owned by the second")
    as_first = client_for(owner).get("/actions/mine/").content.decode()
    as_second = client_for(other_owner).get("/actions/mine/").content.decode()
    assert "Owned by the first" in as_first and "Owned by the second" not in as_first
    assert "Owned by the second" in as_second and "Owned by the first" not in as_second
    with CaptureQueriesContext(connection) as queries:
        client_for(owner).get("/actions/mine/")
    assert not [q for q in queries.captured_queries if "actions_action" in q["sql"]]  # served, not computed
    Action.objects.filter(pk=first.pk).update(title="Renamed by an update")
    assert "Renamed by an update" in client_for(owner).get("/actions/mine/").content.decode()
    assert "Renamed by an update" not in client_for(other_owner).get("/actions/mine/").content.decode()


def test_the_action_pages_log_evidence_and_history_are_served_until_a_change_and_evidence_stays_need_to_know(
    client_for, owner, other_owner, lead
):
    from actions.tests.factories import ActionFactory, EvidenceFactory

    action = ActionFactory(owner=owner)
    evidence = EvidenceFactory(action=action)
    url = f"/actions/{action.reference}/"
    as_lead = client_for(lead).get(url).content.decode()
    assert evidence.original_name in as_lead and "No progress has been logged yet." in as_lead
    # Someone who may not see the files is never served the list rendered for one who may.
    as_other = client_for(other_owner).get(url).content.decode()
    assert "You cannot see this action's evidence." in as_other and evidence.original_name not in as_other
    with CaptureQueriesContext(connection) as queries:
        client_for(lead).get(url)
    served = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in served if "actions_progressupdate" in sql or "actions_historicalaction" in sql]
    # A progress entry written by bulk_create (no signal, no service) is on the page at the next request.
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action=action, author=owner, narrative="Logged in bulk.", status=Status.ON_TRACK, percent_complete=5
            )
        ]
    )
    assert "Logged in bulk." in client_for(lead).get(url).content.decode()


def test_the_registers_rows_are_served_until_a_change_and_each_query_string_has_its_own(client_for, lead):
    programme = Programme()
    client = client_for(lead)
    assert "Renamed by an update" not in client.get("/actions/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/actions/")
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().startswith('SELECT "actions_action"."id"')]
    Action.objects.filter(pk=programme.md1.pk).update(title="Renamed by an update")
    assert "Renamed by an update" in client.get("/actions/").content.decode()
    quality = client.get(f"/actions/?pillar={programme.quality.slug}").content.decode()
    responsive = client.get(f"/actions/?pillar={programme.responsive.slug}").content.decode()
    assert "MD-001" in quality and "MD-001" not in responsive


def test_the_action_pages_governance_trail_is_read_once_per_change_and_a_new_revision_shows_at_once(
    client_for, owner, lead
):
    from actions.services.governance import due_date_revise
    from actions.tests.factories import ActionFactory

    action = ActionFactory(owner=owner, due_date=days(10))
    url = f"/actions/{action.reference}/"
    client = client_for(lead)
    assert "Supplier delayed the kit." not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries.captured_queries if "actions_duedaterevision" in q["sql"]]  # served
    due_date_revise(action=action, lead=lead, new_date=days(40), reason="Supplier delayed the kit.", notify=False)
    assert "Supplier delayed the kit." in client.get(url).content.decode()
