"""An administrator redacts published words (issue 28, finding 8): sees them, says why, confirms."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.models import RedactedField
from reports.forms import RedactionForm
from reports.redactions import REDACT_PERMISSION, redactable_record, redactable_text, redaction_apply
from secamb_journey.access import staff_page


@staff_page(REDACT_PERMISSION)
@require_http_methods(["GET", "POST"])
def redact(request, field, record_id):
    try:
        record = redactable_record(field=field, record_id=record_id)
    except (KeyError, ValueError, ObjectDoesNotExist):
        raise Http404("No such words to redact.") from None
    form = RedactionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            redaction_apply(record=record, field=field, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, "Redacted. The public pages show the reason in place of the words.")
            return redirect("actions:detail", reference=record.action.reference)
    context = {
        "record": record,
        "form": form,
        "text": redactable_text(record, field=field),
        "field_label": RedactedField(field).label,
    }
    return render(request, "reports/redact.html", context)
