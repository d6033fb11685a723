"""Staff pages for reading actions: the register, my actions, the work queue, one action, its evidence."""

import logging

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from actions.access import get_action_for_user, get_evidence_for_user
from actions.choices import DONE_STATUSES, OPEN_STATUSES
from actions.figures_cache import cached_value
from actions.filters import SORT_FIELDS, ActionFilter
from actions.selectors.governance import action_governance, governance_context
from actions.selectors.history import action_history
from actions.selectors.queue import QUEUE_SECTION_SIZE, QueueSection, actions_led_by, work_queue_for
from actions.selectors.queue_decisions import queue_decisions
from actions.selectors.register import (
    action_evidence,
    action_register_queryset,
    action_timeline,
    actions_owned_by,
    for_action_table,
)
from actions.selectors.returns import open_return, open_returns, with_open_return
from secamb_journey.access import staff_page

logger = logging.getLogger(__name__)


REGISTER_PAGE_SIZE = 25
MINE_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 20
# The action page shows the latest changes; "?history=all" shows up to HISTORY_LIMIT (issue 15: reading
# and describing 100 history records with their people was a third of the page's time).
HISTORY_FIRST_VIEW = 10
HISTORY_LIMIT = 100


def _sort_links(request, current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (reversing if it is already the sort), and
    its aria-sort state. The filters stay in the URL; the page goes back to the first.
    """
    links = {}
    for field, param in SORT_FIELDS:
        query = request.GET.copy()
        query.pop("page", None)
        ascending = current == param
        query["sort"] = f"-{param}" if ascending else param
        state = "ascending" if ascending else "descending" if current == f"-{param}" else "none"
        links[param] = {"href": f"?{query.urlencode()}", "state": state, "field": field}
    return links


@require_GET
@staff_page("actions.view_action")
def register(request):
    # The filter form, the rows and the count are the same for every viewer: each is rendered or counted
    # once per figures generation and query string (actions/register.html, issue 15). So the filters are
    # built (the form, its checks, the queryset) only when one of those is worked out afresh, or when
    # the URL carries a filter whose value may be wrong (its error is shown).
    filterset = SimpleLazyObject(
        lambda: ActionFilter(request.GET or None, queryset=action_register_queryset(), request=request)
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    paginator = Paginator(_Rows(lambda: for_action_table(filterset.qs)), REGISTER_PAGE_SIZE)
    paginator.count = cached_value(
        "register-count", {"filters": export_query.urlencode()}, lambda: filterset.qs.count(), request=request
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    in_the_url = [name for name in ActionFilter.base_filters if name in request.GET]
    active_filters = [name for name in in_the_url if name != "sort" and request.GET.get(name) not in (None, "")]
    return render(
        request,
        "actions/register.html",
        {
            "filterset": filterset,
            "filter_form": SimpleLazyObject(lambda: filterset.form),
            "filters_open": bool(active_filters) or (bool(in_the_url) and bool(filterset.form.errors)),
            "page_obj": page_obj,
            "actions": page_obj.object_list,
            "sort_links": _sort_links(request, request.GET.get("sort", "")),
            "active_filters": active_filters,
            "export_query": export_query.urlencode(),
            "can_export": request.user.has_perm("actions.import_actions"),
            "can_create": request.user.has_perm("actions.add_action"),
        },
    )


class _Rows:
    """A register's rows for a Paginator whose count is given: the queryset is made (and its filters
    checked) only when a page's rows are read, not to work out the page number or the links."""

    ordered = True  # the register always sorts (ActionFilter's sort, or the queryset's default order)

    def __init__(self, make):
        self._make = make

    def __getitem__(self, key):
        return SimpleLazyObject(lambda: self._make()[key])


@require_GET
@staff_page("actions.view_action")
def my_actions(request):
    user = request.user

    def lists() -> dict:
        owned = for_action_table(actions_owned_by(user=user))
        # Open ones need their update: first, paged. Finished ones (complete, assured, embedded) after.
        page_obj = Paginator(owned.filter(status__in=OPEN_STATUSES), MINE_PAGE_SIZE).get_page(request.GET.get("page"))
        done = owned.filter(status__in=DONE_STATUSES)
        # Those they lead as executive (a board member's, mostly): a list of their own, not paged, few.
        led = list(for_action_table(actions_led_by(user=user))[:MINE_PAGE_SIZE])
        # Completions a lead returned to them, not assured, with the reason, first: their next job.
        returned = open_returns(actions=actions_owned_by(user=user), limit=MINE_PAGE_SIZE)
        return {
            "page_obj": page_obj,
            "actions": page_obj.object_list,
            "done_actions": list(done[:MINE_PAGE_SIZE]),
            "done_count": done.count(),
            "led_actions": led,
            "returned": returned,
        }

    # The lists are this person's own, rendered once per figures generation for them (issue 15):
    # computed only when the page's fragment is (actions/mine.html).
    return render(request, "actions/mine.html", {"lists": SimpleLazyObject(lists)})


@require_GET
@staff_page("actions.assure_action")
def work_queue(request):
    """An improvement lead's start page: what awaits them, with counts, most urgent first."""
    sections = queue_decisions(work_queue_for(user=request.user))
    # Completions returned to their owners, not assured, still to be answered (the latest first).
    returned = with_open_return(actions=action_register_queryset()).order_by("-returned_at", "reference")
    sections.append(
        QueueSection(
            key="returned",
            title="Returned to their owners, not assured",
            one="Returned to its owner, not assured",
            count=returned.count(),
            actions=list(returned[:QUEUE_SECTION_SIZE]),
            register_query="",
        )
    )
    return render(request, "actions/queue.html", {"sections": sections, "section_size": QUEUE_SECTION_SIZE})


@require_GET
@staff_page("actions.view_action")
def action_detail(request, reference):
    access = get_action_for_user(request, reference, for_reading=True)
    action = access.action
    # Years of monthly updates make a long log: it is paged, newest first, so the page stays fast.
    # The log and the history are the same for everyone who may see the action: each is rendered once
    # per figures generation, action and query string (actions/detail.html, issue 15), so they are
    # read only when their part of the page is rendered (lazily).
    timeline = SimpleLazyObject(
        lambda: Paginator(action_timeline(action=action), TIMELINE_PAGE_SIZE).get_page(request.GET.get("timeline_page"))
    )
    # The governance trail (revisions, committee decisions, reopenings) is the same for every viewer and
    # moves the figures generation when it changes: read once per change (issue 15); the buttons it
    # decides are still worked out for this viewer.
    trail = cached_value(
        "action-governance", {"action": action.pk}, lambda: action_governance(action=action), request=request
    )
    history_limit = HISTORY_LIMIT if request.GET.get("history") == "all" else HISTORY_FIRST_VIEW
    history_all = request.GET.copy()
    history_all["history"] = "all"
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "themes": list(action.themes.all()),
            "timeline": SimpleLazyObject(lambda: timeline.object_list),
            "timeline_page": timeline,
            "evidence_list": action_evidence(action=action) if access.may_see_evidence else [],
            "can_view_files": access.may_see_evidence,
            "history": SimpleLazyObject(lambda: action_history(action=action, limit=history_limit)),
            "history_all_query": history_all.urlencode(),
            "history_all_shown": history_limit == HISTORY_LIMIT,
            "can_log_progress": access.may_log_progress and not action.is_signed_off,
            "can_attach_evidence": access.may_attach_evidence,
            "can_assure": access.may_assure,
            "can_edit": access.may_edit,
            # Why a lead returned its completion, on top while the owner still has it to answer.
            "open_return": cached_value(
                "action-return", {"action": action.pk}, lambda: open_return(action=action), request=request
            ),
            **governance_context(action=action, user=request.user, trail=trail),
        },
    )


@require_GET
@staff_page("actions.view_evidence")
def evidence_download(request, reference, evidence_id):
    """Evidence files are never at a public URL: this view streams one to a viewer with a need to know."""
    access, evidence = get_evidence_for_user(request, reference, evidence_id)
    action = access.action
    # Asked first: object storage (azure, s3) opens lazily and would fail only mid-response.
    try:
        if not evidence.file.storage.exists(evidence.file.name):
            raise FileNotFoundError(evidence.file.name)
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        logger.error("Evidence file %s for %s is missing from storage", evidence.file.name, action.reference)
        raise Http404("The evidence file is missing. Tell the service administrator.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
