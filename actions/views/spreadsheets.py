"""Spreadsheets: the register as CSV, and importing an action plan."""

import csv
import logging

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from actions import exporting
from actions.filters import ActionFilter
from actions.forms.editing import ImportForm
from actions.importing.plan import (
    MAX_IMPORT_BYTES,
    ImportFileProblem,
    ImportRefused,
    check_action_plan,
    import_action_plan,
)
from actions.models import UploadKind
from actions.selectors.register import (
    action_register_queryset,
)
from actions.uploads import upload_for, upload_keep
from actions.views.common import bound
from secamb_journey.access import staff_page
from secamb_journey.middleware import accepts_uploads

logger = logging.getLogger(__name__)


@require_GET
@staff_page("actions.import_actions")
def export_csv(request):
    filterset = ActionFilter(request.GET or None, queryset=action_register_queryset(), request=request)
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
    form = ImportForm(*bound(request))
    preview = None
    file_name = ""
    digest = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_IMPORT_BYTES + 1)
        file_name = upload.name
        try:
            preview = check_action_plan(name=file_name, content=content, importer=request.user)
        except ImportFileProblem as problem:
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
        created = import_action_plan(name=stored.name, content=content, creator=request.user)
    except ImportRefused as refused:
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
    except ImportFileProblem as problem:  # pragma: no cover -- it was readable at preview
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
                "preview": check_action_plan(name=stored.name, content=content, importer=request.user),
                "file_name": stored.name,
                "digest": stored.sha256,
            },
        )
    stored.delete()
    messages.success(request, f"{len(created)} actions imported or changed from {stored.name}.")
    return redirect("actions:register")
