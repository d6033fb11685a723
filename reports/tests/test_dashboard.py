"""The board dashboard: who may see it, and that its figures are those of the actions built here."""

import datetime
import re

import pytest
from django.utils import timezone

from actions.choices import ActionType, Status
from pillars.tests.factories import PillarFactory
from reports.snapshots import month_start, months_before
from reports.tests.dashboard_data import DASHBOARD_PAGES, Programme, had_state, make_action
from reports.tests.test_board_wording import ARROW

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return Programme()


# The pillars, the theme grid, the lists and the trends moved from the first screen to this page (issue 14).
PILLARS = "/dashboard/pillars/"


def by_label(rows):
    return {row.label: row for row in rows}


# --- The first screen ---------------------------------------------------------------------------


def answer(page: str, name: str) -> str:
    """One of the first screen's answers (a card), by its id: overall, behind, since, cqc, measures."""
    start = page.index(f'id="answer-{name}"')
    return page[start : page.index("</section>", start)]


def test_board_member_sees_first_the_pillar_furthest_behind_and_the_overdue_must_do_actions(
    client_for, board, programme
):
    response = client_for(board).get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    board_answers = response.context["board"]
    # Responsive Care: none of its 3 actions done (0%), against Quality Improvement's 2 of 4.
    assert board_answers.furthest_behind.obj == programme.responsive
    behind = answer(page, "behind")
    assert "Pillar furthest behind" in behind and "Responsive Care" in behind
    assert "0% complete or assured" in behind
    assert 'href="/actions/?pillar=responsive-care&amp;overdue=yes">1 overdue</a>' in behind
    # Why: its overdue action is named, with how long it has been overdue.
    assert 'href="/actions/MD-003/">MD-003</a> (5 days)' in behind
    # Two must-do actions are overdue (MD-001, MD-003); MD-002 is assured, so never overdue.
    must_do = {row.action_type: row for row in board_answers.cqc_types}[ActionType.MUST_DO]
    assert (must_do.total, must_do.overdue, must_do.slipped) == (3, 2, 0)
    cqc = answer(page, "cqc")
    assert re.search(r'href="/actions/\?type=must_do&amp;overdue=yes">2 overdue<', cqc)
    # Named, most overdue first.
    assert [c.action.reference for c in board_answers.cqc_concerns] == ["MD-003", "MD-001"]
    assert cqc.index("MD-003") < cqc.index("MD-001")


def test_the_whole_programme_answer_gives_progress_overdue_and_open_actions_by_status(client_for, board, programme):
    page = client_for(board).get("/dashboard/").content.decode()
    overall = answer(page, "overall")
    # Done: WN-001 (complete) and MD-002 (assured), 2 of 7 = 29%. Overdue: MD-001 and MD-003.
    assert "29% complete or assured" in overall
    assert 'href="/actions/?status=complete&amp;status=assured&amp;status=embedded">2 of 7 actions</a>' in overall
    assert 'href="/actions/?overdue=yes">2 overdue</a>' in overall
    assert 'href="/actions/?status=on_track">2<span class="nhsuk-u-visually-hidden"> on track</span>' in overall
    assert 'href="/actions/?status=off_track">1<span class="nhsuk-u-visually-hidden"> off track</span>' in overall


def test_everything_else_is_one_click_away_not_further_down_the_page(client_for, board, programme):
    page = client_for(board).get("/dashboard/").content.decode()
    for href in [
        "/dashboard/pillars/",
        "/dashboard/cqc/",
        "/measures/",
        "/dashboard/pillars/quality-improvement/",
        "/dashboard/themes/culture/",
        "/dashboard/goals/delivering-modern-healthcare/",
    ]:
        assert f'href="{href}"' in page, href
    # The long sections live on those pages now, not below the answers.
    for moved in ['id="themes"', 'id="trend"', 'id="governance"', "app-theme-grid", '<svg class="app-chart__svg"']:
        assert moved not in page, moved


def test_the_pillar_furthest_behind_is_the_one_with_more_overdue_when_progress_ties(client_for, board, programme):
    from reports.tests.dashboard_data import make_action

    # Quality Improvement falls to 2 of 8 done (25%)... and Responsive Care rises to 1 of 4 (25%).
    for n in range(4):
        make_action(reference=f"IJ-1{n}", action_type=ActionType.IMPROVEMENT, pillar=programme.quality)
    make_action(reference="IJ-200", action_type=ActionType.IMPROVEMENT, pillar=programme.responsive, status="complete")
    context = client_for(board).get(PILLARS).context
    quality, responsive = context["pillar_cards"]
    assert quality.counts.percent_done == responsive.counts.percent_done == 25
    assert (quality.counts.overdue, responsive.counts.overdue) == (1, 1)
    # Equal on both: the lower pillar number is shown, so the answer never flickers between requests.
    assert context["furthest_behind"].obj == programme.quality
    assert client_for(board).get("/dashboard/").context["board"].furthest_behind.obj == programme.quality


def test_an_empty_programme_says_so_rather_than_naming_a_pillar(client_for, board):
    response = client_for(board).get("/dashboard/")
    assert response.context["board"].furthest_behind is None
    assert "No pillar has any actions yet." in response.content.decode()


# --- Pillar cards, CQC compliance, the theme grid -------------------------------------------------


def test_each_pillar_card_shows_progress_status_counts_overdue_and_stale(client_for, lead, programme):
    cards = by_label(client_for(lead).get(PILLARS).context["pillar_cards"])
    quality, responsive = cards["Quality Improvement"], cards["Responsive Care"]
    assert (quality.counts.total, quality.counts.done, quality.counts.percent_done, quality.counts.overdue) == (
        4,
        2,
        50,
        1,
    )
    assert quality.counts.by_status == {
        "not_started": 0,
        "on_track": 1,
        "at_risk": 1,
        "off_track": 0,
        "complete": 1,
        "assured": 1,
        "embedded": 0,
    }
    assert (quality.figures.stale, quality.figures.due_soon) == (0, 1)
    assert (responsive.counts.total, responsive.counts.done, responsive.counts.overdue) == (3, 0, 1)
    assert responsive.figures.stale == 1  # MD-003: nothing logged for 40 days


def test_every_pillar_card_count_links_to_the_register_filtered_to_those_actions(client_for, board, programme):
    page = client_for(board).get(PILLARS).content.decode()
    for href in [
        "/actions/?pillar=quality-improvement&amp;status=on_track",
        "/actions/?pillar=quality-improvement&amp;status=assured",
        "/actions/?pillar=quality-improvement&amp;status=complete&amp;status=assured&amp;status=embedded",
        "/actions/?pillar=quality-improvement&amp;overdue=yes",
        "/actions/?pillar=responsive-care&amp;stale=yes",
        "/actions/?pillar=quality-improvement",
    ]:
        assert f'href="{href}"' in page, href
    due_soon = (
        f"/actions/?pillar=quality-improvement&amp;status=not_started&amp;status=on_track&amp;status=at_risk"
        f"&amp;status=off_track&amp;due_after={timezone.localdate():%Y-%m-%d}"
        f"&amp;due_before={timezone.localdate() + datetime.timedelta(days=30):%Y-%m-%d}"
    )
    assert f'href="{due_soon}">1 due in the next 30 days' in page


def test_cqc_warning_notices_must_do_and_should_do_are_shown_separately(client_for, board, programme):
    response = client_for(board).get("/dashboard/cqc/")
    rows = {row.obj: row.counts for row in response.context["cqc"]}
    assert list(rows) == [ActionType.WARNING_NOTICE, ActionType.MUST_DO, ActionType.SHOULD_DO]
    summary = {t: (c.total, c.complete, c.assured, c.overdue) for t, c in rows.items()}
    assert summary == {
        ActionType.WARNING_NOTICE: (1, 1, 0, 0),
        ActionType.MUST_DO: (3, 0, 1, 2),
        ActionType.SHOULD_DO: (1, 0, 0, 0),
    }
    page = response.content.decode()
    assert 'href="/actions/?type=must_do&amp;status=assured&amp;status=embedded">1<' in page
    assert 'href="/actions/?type=warning_notice&amp;status=complete">1<' in page
    assert 'href="/actions/?type=should_do">1<' in page
    # What "slipped" means is said once, in the status key, not after each type's line.
    assert page.count("agreed due date is later than the original") == 1
    assert "(agreed due date later than the original)" not in page


def test_theme_by_pillar_grid_counts_open_and_overdue_actions_where_they_sit(client_for, board, programme):
    response = client_for(board).get(PILLARS)
    grid = {
        row.theme.short_name: {cell.pillar.name: (cell.open, cell.overdue) for cell in row.cells}
        for row in response.context["theme_grid"]
    }
    # Culture: MD-001 (overdue) and SD-001 in Quality Improvement; MD-002 is assured, so not open.
    assert grid["Culture"] == {"Quality Improvement": (2, 1), "Responsive Care": (0, 0)}
    # Great place to work: SD-001 (it answers both themes) and MD-003 (overdue); WN-001 is complete.
    assert grid["Great place to work"] == {"Quality Improvement": (1, 0), "Responsive Care": (1, 1)}
    page = response.content.decode()
    open_statuses = "status=not_started&amp;status=on_track&amp;status=at_risk&amp;status=off_track"
    assert f'href="/actions/?theme=culture&amp;pillar=quality-improvement&amp;{open_statuses}">2 open' in page
    assert 'href="/actions/?theme=great-place-to-work&amp;pillar=responsive-care&amp;overdue=yes">1 overdue' in page


# --- Lists: overdue, due soon, stale -------------------------------------------------------------


def test_overdue_and_due_soon_actions_are_listed_each_linking_to_the_action(client_for, board, programme):
    response = client_for(board).get(PILLARS)
    context = response.context
    assert [a.reference for a in context["overdue_actions"].actions] == ["MD-003", "MD-001"]  # most overdue first
    assert context["overdue_actions"].total == 2
    assert [a.reference for a in context["due_soon_actions"].actions] == ["SD-001"]
    page = response.content.decode()
    for reference in ["MD-003", "MD-001", "SD-001"]:
        assert f'href="/actions/{reference}/"' in page


def test_actions_with_no_progress_for_over_thirty_days_are_flagged_stale(client_for, board, programme, settings):
    response = client_for(board).get(PILLARS)
    stale = response.context["stale_actions"]
    assert [a.reference for a in stale.actions] == ["MD-003"]
    assert stale.link == "/actions/?stale=yes"
    page = response.content.decode()
    assert "No progress logged for over 30 days" in page
    assert page.count("No recent progress</strong>") >= 2  # in the stale list, and against MD-003 when overdue


def test_the_stale_threshold_is_a_setting_and_matches_the_register_rule(client_for, board, programme, settings):
    from actions.models import Action

    # Now progress 2 or 3 days ago is stale too, and so is IJ-001, created 5 days ago with none logged.
    settings.STALE_AFTER_DAYS = 1
    context = client_for(board).get(PILLARS).context
    stale = sorted(a.reference for a in context["stale_actions"].actions)
    assert stale == ["IJ-001", "IJ-002", "MD-001", "MD-003", "SD-001"]
    assert stale == sorted(Action.objects.stale().values_list("reference", flat=True))
    assert context["overall"].figures.stale == 5


def test_long_lists_show_the_first_few_and_link_to_the_rest(client_for, board, programme):
    from reports.selectors import DASHBOARD_LIST_LIMIT
    from reports.tests.dashboard_data import days, make_action

    for n in range(DASHBOARD_LIST_LIMIT + 3):
        make_action(
            reference=f"SD-{100 + n}",
            action_type=ActionType.SHOULD_DO,
            pillar=programme.quality,
            status=Status.AT_RISK,
            due_date=days(-2),
        )
    response = client_for(board).get(PILLARS)
    overdue = response.context["overdue_actions"]
    assert (len(overdue.actions), overdue.total, overdue.more) == (DASHBOARD_LIST_LIMIT, DASHBOARD_LIST_LIMIT + 5, 5)
    assert f"See all {DASHBOARD_LIST_LIMIT + 5} in the action register" in response.content.decode()


# --- Direction of travel and trend ----------------------------------------------------------------


def test_direction_of_travel_compares_each_pillar_with_a_month_ago(client_for, board, programme, lead):
    month_ago = months_before(timezone.localdate(), 1)
    before = month_ago - datetime.timedelta(days=1)
    # Quality Improvement then: MD-002 assured, WN-001 on track, MD-001 and SD-001 overdue: 25%; now 50%.
    had_state(programme.md1, on=before, due_date=month_ago - datetime.timedelta(days=3))
    had_state(programme.md2, on=before)
    had_state(programme.wn1, on=before, status=Status.ON_TRACK, percent_complete=50)
    had_state(programme.sd1, on=before, due_date=month_ago - datetime.timedelta(days=2))
    # Responsive Care then: MD-003 assured (33%); now 0%.
    had_state(
        programme.md3,
        on=before,
        status=Status.ASSURED,
        percent_complete=100,
        assured_by=lead,
        assured_at=timezone.now(),
    )
    had_state(programme.ij1, on=before)
    had_state(programme.ij2, on=before)
    response = client_for(board).get(PILLARS)
    cards = by_label(response.context["pillar_cards"])
    quality, responsive = cards["Quality Improvement"].direction, cards["Responsive Care"].direction
    assert (quality.direction, quality.change, quality.overdue_change) == ("better", 25, -1)
    assert (responsive.direction, responsive.change) == ("worse", -33)
    page = response.content.decode()
    # The arrow is drawn, "to" is read (templates/includes/arrow.html).
    assert "Better</strong>" in page and f"25%{ARROW}50% complete or assured" in page and "up 25 points" in page
    assert "Worse</strong>" in page and f"33%{ARROW}0% complete or assured" in page and "down 33 points" in page


def test_direction_of_travel_is_same_when_nothing_moved_and_unknown_for_a_pillar_with_no_actions_then(
    client_for, board, programme
):
    month_ago = months_before(timezone.localdate(), 1)
    before = month_ago - datetime.timedelta(days=1)
    for action in (programme.md2, programme.wn1, programme.sd1):
        had_state(action, on=before)
    had_state(programme.md1, on=before, due_date=month_ago - datetime.timedelta(days=1))  # overdue then as now
    cards = by_label(client_for(board).get(PILLARS).context["pillar_cards"])
    assert cards["Quality Improvement"].direction.direction == "same"
    # A pillar whose first action came this week has no figures from a month ago to compare with.
    later = PillarFactory(name="Digital Care", slug="digital-care", number=3)
    make_action(reference="IJ-090", action_type=ActionType.IMPROVEMENT, pillar=later)
    cards = by_label(client_for(board).get(PILLARS).context["pillar_cards"])
    assert cards["Digital Care"].direction.known is False


def test_trend_chart_is_server_rendered_svg_with_a_text_alternative_and_a_table(client_for, board, programme):
    today = timezone.localdate()
    # Quality Improvement two months ago: 1 of 4 done (25%); WN-001 completed last month: 50% since.
    for action in (programme.md1, programme.md2, programme.sd1):
        had_state(action, on=month_start(today, back=2))
    had_state(programme.wn1, on=month_start(today, back=2), status=Status.ON_TRACK, percent_complete=50)
    had_state(programme.wn1, on=month_start(today, back=1) + datetime.timedelta(days=10))
    response = client_for(board).get(PILLARS)
    page = response.content.decode()
    card = by_label(response.context["pillar_cards"])["Quality Improvement"]
    assert [p.value for p in card.chart.points] == [25, 50, 50]
    assert '<svg class="app-chart__svg"' in page and 'role="img"' in page
    assert 'aria-describedby="chart-quality-improvement-desc"' in page
    assert re.search(
        r"id=\"chart-quality-improvement-desc\">The share of Quality Improvement actions complete "
        r"or assured rose from 25% in \w+ \d{4} to 50% in \w+ \d{4}",
        page,
    )
    # The same figures in a table, month by month; a month with no figures says so in words.
    rows = response.context["trend_table"].rows
    assert len(rows) == 12 and rows[-1][0] == month_start(today)
    assert '25% <span class="nhsuk-body-s">(1 of 4)</span>' in page
    assert '50% <span class="nhsuk-body-s">(2 of 4)</span>' in page
    assert "No figures" in page
    # Colour is never the only signal, and the CSP forbids inline styles.
    assert "style=" not in page


def test_a_trend_line_starts_at_the_first_month_with_figures_rather_than_at_zero(client_for, board, programme):
    today = timezone.localdate()
    for action in (programme.md1, programme.md2, programme.wn1, programme.sd1):
        had_state(action, on=month_start(today, back=4))
    card = by_label(client_for(board).get(PILLARS).context["pillar_cards"])["Quality Improvement"]
    assert len(card.chart.segments) == 1 and len(card.chart.points) == 5
    assert "No figures for 7 of the 12 months" in card.chart.description


# --- Drill-down pages ---------------------------------------------------------------------------


def test_pillar_page_breaks_its_actions_down_by_status_type_and_theme(client_for, board, programme):
    response = client_for(board).get("/dashboard/pillars/quality-improvement/")
    assert response.status_code == 200
    context = response.context
    assert (context["card"].counts.total, context["card"].counts.percent_done) == (4, 50)
    types = {
        row.obj: (row.counts.total, row.counts.complete, row.counts.assured, row.counts.overdue)
        for row in context["types"]
    }
    assert types[ActionType.MUST_DO] == (2, 0, 1, 1)
    assert types[ActionType.IMPROVEMENT] == (0, 0, 0, 0)
    themes = {row.label: (row.counts.total, row.counts.open, row.counts.overdue) for row in context["themes"]}
    assert themes == {"Culture": (3, 2, 1), "Great place to work": (2, 1, 0)}
    assert [a.reference for a in context["overdue_actions"].actions] == ["MD-001"]
    page = response.content.decode()
    assert 'href="/actions/?pillar=quality-improvement&amp;type=must_do&amp;overdue=yes">1<' in page
    assert 'href="/actions/?pillar=quality-improvement&amp;theme=culture&amp;overdue=yes">1<' in page
    assert 'href="/dashboard/themes/culture/"' in page
    assert 'href="/dashboard/goals/delivering-modern-healthcare/"' in page


def test_theme_page_shows_where_its_actions_sit_by_pillar(client_for, lead, programme):
    response = client_for(lead).get("/dashboard/themes/great-place-to-work/")
    assert response.status_code == 200
    context = response.context
    summary = context["summary"].counts
    # WN-001 (complete), SD-001 (at risk) in Quality Improvement; MD-003 (off track, overdue) in Responsive Care.
    assert (summary.total, summary.done, summary.overdue) == (3, 1, 1)
    pillars = {row.label: (row.counts.total, row.counts.open, row.counts.overdue) for row in context["pillars"]}
    assert pillars == {"Quality Improvement": (2, 1, 0), "Responsive Care": (1, 1, 1)}
    assert [a.reference for a in context["stale_actions"].actions] == ["MD-003"]
    page = response.content.decode()
    assert 'href="/actions/?theme=great-place-to-work&amp;pillar=responsive-care&amp;overdue=yes">1<' in page
    assert 'href="/actions/?theme=great-place-to-work&amp;stale=yes">1 with no progress' in page


def test_goal_page_shows_each_pillar_that_serves_it(client_for, board, programme):
    response = client_for(board).get("/dashboard/goals/delivering-modern-healthcare/")
    assert response.status_code == 200
    context = response.context
    assert [card.label for card in context["pillar_cards"]] == ["Quality Improvement", "Responsive Care"]
    assert context["overall_percent_done"] == 29  # 2 of 7
    assert [a.reference for a in context["overdue_actions"].actions] == ["MD-003", "MD-001"]
    page = response.content.decode()
    assert 'href="/actions/?pillar=responsive-care&amp;overdue=yes">Responsive Care: 1</a>' in page


# --- Who may see it -----------------------------------------------------------------------------

PAGES = DASHBOARD_PAGES


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, programme, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["owner", "comms", "outsider"])
def test_people_without_the_dashboard_permission_are_refused(client_for, request, programme, path, persona):
    assert client_for(request.getfixturevalue(persona)).get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["board", "lead"])
def test_board_members_and_improvement_leads_may_see_every_page(client_for, request, programme, path, persona):
    assert client_for(request.getfixturevalue(persona)).get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/dashboard/pillars/no-such-pillar/", "/dashboard/themes/no-such-theme/", "/dashboard/goals/no-such-goal/"]
)
def test_an_unknown_pillar_theme_or_goal_is_not_found(client_for, board, programme, path):
    assert client_for(board).get(path).status_code == 404


def test_the_dashboard_only_answers_get(client_for, board, programme):
    assert client_for(board).post("/dashboard/").status_code == 405
