"""The public plan: every public action by pillar (/plan/), and one action (/plan/<ref>/)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports.plan import PLAN_PAGE_SIZE, public_plan_action, public_plan_actions
from reports.public_cache import public_cache, rendered_page


@require_safe
# The live record of public actions, not a publication: Last-Modified is when it was rendered (issue 15).
@public_cache
def plan_list(request):
    page = Paginator(public_plan_actions(), PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    rendered_page(request, number=page.number)
    return render(request, "reports/plan/list.html", {"page_obj": page, "actions": page.object_list})


@require_safe
@public_cache
def plan_detail(request, reference):
    plan = public_plan_action(reference=reference)
    if plan is None:
        raise Http404("No public action has that reference.")
    return render(request, "reports/plan/detail.html", {"plan": plan, "action": plan.action})
