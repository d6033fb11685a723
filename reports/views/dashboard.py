"""The board dashboard and its drill-down pages, for board members and improvement leads."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from pillars.models import Pillar, StrategicGoal
from reports.governance_figures import dashboard_governance
from reports.selectors import dashboard_goal, dashboard_overview, dashboard_pillar, dashboard_theme
from themes.models import Theme


def dashboard_view(view):
    """GET only; anonymous visitors go to sign in, signed-in people without the permission get 403."""
    return require_GET(login_required(permission_required("reports.view_dashboard", raise_exception=True)(view)))


# Everyone who may see the dashboard may see every pillar, theme and goal: the helpers exist so a
# page never fetches an object unscoped, and so an unknown slug is a 404.
def get_pillar_for_user(user, slug: str) -> Pillar:
    return get_object_or_404(Pillar, slug=slug)


def get_theme_for_user(user, slug: str) -> Theme:
    return get_object_or_404(Theme.objects.prefetch_related("pillars"), slug=slug)


def get_goal_for_user(user, slug: str) -> StrategicGoal:
    return get_object_or_404(StrategicGoal, slug=slug)


@dashboard_view
def overview(request):
    return render(request, "reports/dashboard/overview.html", {**dashboard_overview(), **dashboard_governance()})


@dashboard_view
def pillar_detail(request, slug):
    pillar = get_pillar_for_user(request.user, slug)
    return render(request, "reports/dashboard/pillar.html", dashboard_pillar(pillar=pillar))


@dashboard_view
def theme_detail(request, slug):
    theme = get_theme_for_user(request.user, slug)
    return render(request, "reports/dashboard/theme.html", dashboard_theme(theme=theme))


@dashboard_view
def goal_detail(request, slug):
    goal = get_goal_for_user(request.user, slug)
    return render(request, "reports/dashboard/goal.html", dashboard_goal(goal=goal))
