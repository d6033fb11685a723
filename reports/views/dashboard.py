"""The board dashboard and its drill-down pages, for board members and improvement leads."""

from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from pillars.models import Pillar, StrategicGoal
from reports.selectors.board import board_overview, dashboard_cqc
from reports.selectors.dashboard import dashboard_goal, dashboard_overview, dashboard_pillar, dashboard_theme
from secamb_journey.access import staff_page
from themes.models import Theme


def lazily(selector, **kwargs) -> SimpleLazyObject:
    """A selector's figures computed only if the template asks for them: each page's figures are
    inside a `{% figures_cache %}` fragment rendered once per figures generation (issue 15), so a page
    served from the cache never computes them nor unpickles them. The fragment is the cache here, so
    the selector's own cache is skipped (one fewer look-up of the generation)."""
    return SimpleLazyObject(lambda: selector.uncached(**kwargs))


def dashboard_view(view):
    """GET only, and a staff page for those who may see the dashboard."""
    return require_GET(staff_page("reports.view_dashboard")(view))


# Everyone who may see the dashboard may see every pillar, theme and goal, and do nothing but read
# them: the helpers exist so a page never fetches an object unscoped, and so an unknown slug is a 404.
def get_pillar_for_user(request, slug: str) -> Pillar:
    return get_object_or_404(Pillar, slug=slug)


def get_theme_for_user(request, slug: str) -> Theme:
    return get_object_or_404(Theme, slug=slug)


def get_goal_for_user(request, slug: str) -> StrategicGoal:
    return get_object_or_404(StrategicGoal, slug=slug)


@dashboard_view
def overview(request):
    """The first screen: the board's questions answered (issue 14); the detail is on the pages below."""
    return render(request, "reports/dashboard/overview.html", {"board": lazily(board_overview)})


@dashboard_view
def pillars_overview(request):
    return render(request, "reports/dashboard/pillars.html", {"figures": lazily(dashboard_overview)})


@dashboard_view
def cqc(request):
    return render(request, "reports/dashboard/cqc.html", {"figures": lazily(dashboard_cqc)})


# A pillar's and a theme's drill-downs are one template, reports/dashboard/drilldown.html.


@dashboard_view
def pillar_detail(request, slug):
    pillar = get_pillar_for_user(request, slug)

    def figures():
        context = dashboard_pillar.uncached(pillar=pillar)
        card = context["card"]
        return {**context, "summary": card, "direction": card.direction, "chart": card.chart}

    return render(request, "reports/dashboard/drilldown.html", {"pillar": pillar, "figures": SimpleLazyObject(figures)})


@dashboard_view
def theme_detail(request, slug):
    theme = get_theme_for_user(request, slug)
    return render(
        request, "reports/dashboard/drilldown.html", {"theme": theme, "figures": lazily(dashboard_theme, theme=theme)}
    )


@dashboard_view
def goal_detail(request, slug):
    goal = get_goal_for_user(request, slug)
    return render(request, "reports/dashboard/goal.html", {"goal": goal, "figures": lazily(dashboard_goal, goal=goal)})
