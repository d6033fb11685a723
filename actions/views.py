"""Staff pages for actions: the register, my actions, one action, and the forms that change them.

Each view checks who is asking (anonymous: to the sign-in page and back; signed in without the
permission: 403; an unknown action or file: 404), binds a form, calls one service and redirects.
"""

import csv
import logging
from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from actions import exporting, importing, returns, selectors
from actions.access import get_action_for_user, get_evidence_for_user
from actions.choices import DONE_STATUSES, OPEN_STATUSES
from actions.figures_cache import cached_value
from actions.filters import SORT_FIELDS, ActionFilter
from actions.forms import ActionForm, AssureForm, ImportForm
from actions.forms_governance import ReturnCompletionForm
from actions.governance_selectors import action_governance, governance_context
from actions.models import Action, UploadKind
from actions.queue_decisions import queue_decisions
from actions.services.assurance import action_assure, action_return_completion
from actions.services.editing import StaleEdit, action_create, action_update
from actions.signals import made_internal
from actions.uploads import upload_for, upload_keep
from secamb_journey.access import staff_page
from secamb_journey.middleware import accepts_uploads

logger = logging.getLogger(__name__)

REGISTER_PAGE_SIZE = 25
MINE_PAGE_SIZE = 50
TIMELINE_PAGE_SIZE = 20
# The action page shows the latest changes; "?history=all" shows up to HISTORY_LIMIT (issue 15: reading
# and describing 100 history records with their people was a third of the page's time).
HISTORY_FIRST_VIEW = 10
HISTORY_LIMIT = 100


def _bound(request):
    """A form's data and files: bound on POST (even an empty one), unbound on GET."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@contextmanager
def saving(form, what: str, *, let_through: tuple[type[Exception], ...] = ()):
    """Run a service for a form: its refusal (ValidationError) and a database that will not take the
    write (down, read-only, out of space) both become errors on the form, so the page re-renders with
    what the person typed and they can simply try again. Services are atomic, so nothing was saved.

        with saving(form, "your progress update"):
            action_log_progress(...)
        if form.is_valid():  # no error was added: the write stands
            return redirect(...)

    `let_through`: refusals the view handles itself (a stale edit shows the stored values instead).
    """
    try:
        yield
    except let_through:
        raise
    except ValidationError as refusal:
        form.add_error(None, refusal)
    except DatabaseError:
        logger.exception("The database refused a write (%s)", what)
        form.add_error(None, f"We could not save {what} just now. Nothing was saved. Try again.")


# --- Reading -------------------------------------------------------------------------------------


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
        lambda: ActionFilter(request.GET or None, queryset=selectors.action_register_queryset(), request=request)
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    paginator = Paginator(_Rows(lambda: selectors.for_action_table(filterset.qs)), REGISTER_PAGE_SIZE)
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
        owned = selectors.for_action_table(selectors.actions_owned_by(user=user))
        # Open ones need their update: first, paged. Finished ones (complete, assured, embedded) after.
        page_obj = Paginator(owned.filter(status__in=OPEN_STATUSES), MINE_PAGE_SIZE).get_page(request.GET.get("page"))
        done = owned.filter(status__in=DONE_STATUSES)
        # Those they lead as executive (a board member's, mostly): a list of their own, not paged, few.
        led = list(selectors.for_action_table(selectors.actions_led_by(user=user))[:MINE_PAGE_SIZE])
        # Completions a lead returned to them, not assured, with the reason, first: their next job.
        returned = returns.open_returns(actions=selectors.actions_owned_by(user=user), limit=MINE_PAGE_SIZE)
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
    sections = queue_decisions(selectors.work_queue_for(user=request.user))
    # Completions returned to their owners, not assured, still to be answered (the latest first).
    returned = returns.with_open_return(actions=selectors.action_register_queryset()).order_by(
        "-returned_at", "reference"
    )
    sections.append(
        selectors.QueueSection(
            key="returned",
            title="Returned to their owners, not assured",
            count=returned.count(),
            actions=list(returned[: selectors.QUEUE_SECTION_SIZE]),
            register_query="",
        )
    )
    return render(request, "actions/queue.html", {"sections": sections, "section_size": selectors.QUEUE_SECTION_SIZE})


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
        lambda: Paginator(selectors.action_timeline(action=action), TIMELINE_PAGE_SIZE).get_page(
            request.GET.get("timeline_page")
        )
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
            "evidence_list": selectors.action_evidence(action=action) if access.may_see_evidence else [],
            "can_view_files": access.may_see_evidence,
            "history": SimpleLazyObject(lambda: selectors.action_history(action=action, limit=history_limit)),
            "history_all_query": history_all.urlencode(),
            "history_all_shown": history_limit == HISTORY_LIMIT,
            "can_log_progress": access.may_log_progress and not action.is_signed_off,
            "can_attach_evidence": access.may_attach_evidence,
            "can_assure": access.may_assure,
            "can_edit": access.may_edit,
            # Why a lead returned its completion, on top while the owner still has it to answer.
            "open_return": cached_value(
                "action-return", {"action": action.pk}, lambda: returns.open_return(action=action), request=request
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
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        logger.error("Evidence file %s for %s is missing from storage", evidence.file.name, action.reference)
        raise Http404("The evidence file is missing. Tell the service administrator.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Progress, evidence, assurance --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def assure(request, reference):
    """A confirmation page (GET) and the sign-off itself (POST). The rules are the model's and the
    service's: this view only shows their answer. The same page offers the other answer to the review:
    "Not assured: return to the owner" (return_completion).
    """
    access = get_action_for_user(request, reference)
    action, refusal = access.action, access.assurance_refusal
    form = AssureForm(_bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the sign-off"):
            action_assure(action=action, lead=request.user)
        if form.is_valid():
            messages.success(request, f"{action.reference} is signed off as assured.")
            return redirect(action)
    return _assure_page(request, action=action, refusal=refusal, form=form, return_form=ReturnCompletionForm())


def _assure_page(request, *, action, refusal, form, return_form):
    return_form.helper.form_action = reverse("actions:return_completion", args=[action.reference])
    evidence = selectors.action_evidence(action=action)
    return render(
        request,
        "actions/assure_form.html",
        {"action": action, "form": form, "return_form": return_form, "refusal": refusal, "evidence_list": evidence},
    )


@require_http_methods(["GET", "POST"])
@staff_page("actions.assure_action")
def return_completion(request, reference):
    """The lead's other answer to a completion: not assured, returned to the owner with a reason. The
    four-eyes rule is the sign-off's (action_return_refusal); the form is on the sign-off page.
    """
    access = get_action_for_user(request, reference)
    action, refusal = access.action, access.assurance_refusal
    if request.method == "GET":
        return redirect("actions:assure", reference=action.reference)
    return_form = ReturnCompletionForm(request.POST)
    if return_form.is_valid():
        with saving(return_form, "the return"):
            action_return_completion(action=action, lead=request.user, reason=return_form.cleaned_data["reason"])
        if return_form.is_valid():
            messages.success(request, f"{action.reference} is returned to its owner, not assured.")
            return redirect(action)
    return _assure_page(request, action=action, refusal=refusal, form=AssureForm(), return_form=return_form)


# --- Creating and editing -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_page("actions.add_action")
def action_new(request):
    form = ActionForm(_bound(request)[0])
    if request.method == "POST" and form.is_valid():
        with saving(form, "the new action"):
            action = action_create(creator=request.user, data=form.service_data())
        if form.is_valid():
            messages.success(request, f"Action {action.reference} created.")
            return redirect(action)
    return render(request, "actions/action_form.html", {"form": form, "action": None, "heading": form.title})


@require_http_methods(["GET", "POST"])
@staff_page("actions.change_action")
def action_edit(request, reference):
    action = get_action_for_user(request, reference, need="edit").action
    form = ActionForm(_bound(request)[0], instance=action)
    refusal = None
    was_public = action.is_public
    if request.method == "POST" and form.is_valid():
        try:
            with saving(form, "your changes", let_through=(StaleEdit,)):
                saved = action_update(
                    action=action,
                    editor=request.user,
                    data=form.service_data(),
                    expected_version=form.cleaned_data.get("version"),
                )
        except StaleEdit as stale:
            # Show what is stored now (with the version it is at), and say what changed meanwhile.
            refusal = stale.message
            action = get_action_for_user(request, reference).action
            form = ActionForm(instance=action)
        else:
            if form.is_valid():
                messages.success(request, f"Changes to {action.reference} saved.")
                if was_public and not saved.is_public:
                    made_internal.send(sender=Action, action=saved, request=request)
                return redirect(action)
    status = 409 if refusal else 200
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "action": action, "refusal": refusal, "heading": form.title},
        status=status,
    )


# --- Spreadsheets --------------------------------------------------------------------------------


@require_GET
@staff_page("actions.import_actions")
def export_csv(request):
    filterset = ActionFilter(request.GET or None, queryset=selectors.action_register_queryset(), request=request)
    actions = filterset.qs.prefetch_related("themes")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-plan-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    csv.writer(response).writerows(exporting.export_rows(actions))
    return response


@accepts_uploads
@require_http_methods(["GET", "POST"])
@staff_page("actions.import_actions")
def import_plan(request):
    """Upload (preview, nothing saved) and then confirm (save all or nothing). Between the two the file
    is kept server-side (actions.uploads: a PendingUpload row, expiring); the confirmation names the file's digest,
    so a preview in another tab cannot be confirmed for a different file.
    """
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = ImportForm(*_bound(request))
    preview = None
    file_name = ""
    digest = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(importing.MAX_IMPORT_BYTES + 1)
        file_name = upload.name
        try:
            preview = importing.check_action_plan(name=file_name, content=content, importer=request.user)
        except importing.ImportFileProblem as problem:
            form.add_error("file", str(problem))
        else:
            digest = upload_keep(kind=UploadKind.ACTION_PLAN, user=request.user, name=file_name, content=content).sha256
    return render(
        request,
        "actions/import.html",
        {"form": form, "preview": preview, "file_name": file_name, "digest": digest},
        status=200,
    )


def _import_confirm(request):
    stored = upload_for(kind=UploadKind.ACTION_PLAN, user=request.user, sha256=request.POST.get("confirm", ""))
    if stored is None:
        messages.error(request, "That preview has expired or belongs to another file. Upload the file again.")
        return redirect("actions:import")
    content = bytes(stored.content)
    try:
        created = importing.import_action_plan(name=stored.name, content=content, creator=request.user)
    except importing.ImportRefused as refused:
        return render(
            request,
            "actions/import.html",
            {
                "form": ImportForm(),
                "preview": refused.preview,
                "file_name": stored.name,
                "digest": stored.sha256,
                "refused": True,
            },
        )
    except importing.ImportFileProblem as problem:  # pragma: no cover -- it was readable at preview
        messages.error(request, str(problem))
        return redirect("actions:import")
    except DatabaseError:
        # The upload is kept and the preview is shown again: one press of the button retries.
        logger.exception("The database refused the import of %s", stored.name)
        messages.error(request, "We could not import the action plan just now. Nothing was saved. Try again.")
        return render(
            request,
            "actions/import.html",
            {
                "form": ImportForm(),
                "preview": importing.check_action_plan(name=stored.name, content=content, importer=request.user),
                "file_name": stored.name,
                "digest": stored.sha256,
            },
        )
    stored.delete()
    messages.success(request, f"{len(created)} actions imported or changed from {stored.name}.")
    return redirect("actions:register")
