"""The board dashboard and its drill-down pages, for board members and improvement leads."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from pillars.models import Pillar, StrategicGoal
from reports.governance_figures import dashboard_governance
from reports.selectors.dashboard import dashboard_goal, dashboard_overview, dashboard_pillar, dashboard_theme
from secamb_journey.access import staff_page
from themes.models import Theme


def dashboard_view(view):
    """GET only, and a staff page for those who may see the dashboard."""
    return require_GET(staff_page("reports.view_dashboard")(view))


# Everyone who may see the dashboard may see every pillar, theme and goal, and do nothing but read
# them: the helpers exist so a page never fetches an object unscoped, and so an unknown slug is a 404.
def get_pillar_for_user(request, slug: str) -> Pillar:
    return get_object_or_404(Pillar, slug=slug)


def get_theme_for_user(request, slug: str) -> Theme:
    return get_object_or_404(Theme.objects.prefetch_related("pillars"), slug=slug)


def get_goal_for_user(request, slug: str) -> StrategicGoal:
    return get_object_or_404(StrategicGoal, slug=slug)


@dashboard_view
def overview(request):
    return render(request, "reports/dashboard/overview.html", {**dashboard_overview(), **dashboard_governance()})


# A pillar's and a theme's drill-downs are one template, reports/dashboard/drilldown.html.


@dashboard_view
def pillar_detail(request, slug):
    context = dashboard_pillar(pillar=get_pillar_for_user(request, slug))
    card = context["card"]
    context.update(summary=card, direction=card.direction, chart=card.chart)
    return render(request, "reports/dashboard/drilldown.html", context)


@dashboard_view
def theme_detail(request, slug):
    context = dashboard_theme(theme=get_theme_for_user(request, slug))
    return render(request, "reports/dashboard/drilldown.html", context)


@dashboard_view
def goal_detail(request, slug):
    goal = get_goal_for_user(request, slug)
    return render(request, "reports/dashboard/goal.html", dashboard_goal(goal=goal))
