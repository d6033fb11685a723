"""The trust profile page, for communications editors: the trust's names and public words, with a preview,
protection from stale edits and a history. Administrators have the same in the admin; both go through the
model's validators, as the loader does (docs/adr/0008).
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reports.forms import MARKDOWN_FIELDS, TrustProfileForm
from reports.services.editorial import render_markdown
from reports.views.editorial import apply_errors
from secamb_journey.access import staff_page
from secamb_journey.models import TrustProfile
from secamb_journey.profile import (
    CHANGE,
    EDITABLE_FIELDS,
    StaleProfileEdit,
    profile_version,
    trust_profile_edit,
)

PAGE = "reports/editorial/trust_profile.html"
# What the history shows of each version, in the admin's order.
HISTORY_FIELDS = ("full_name", "short_name", "ods_code", *EDITABLE_FIELDS[2:])


def get_trust_profile_for_user(request) -> TrustProfile | None:
    """The profile, for someone who may change it (403 otherwise); None before any is loaded."""
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied("Only a communications editor or an administrator can change the trust profile.")
    return TrustProfile.objects.filter(pk=TrustProfile.SINGLETON).first()


def _form(data, profile: TrustProfile, **kwargs) -> TrustProfileForm:
    # The form's validation writes onto its instance: a copy keeps `profile` as stored, for the page.
    return TrustProfileForm(data, instance=copy.copy(profile), **kwargs)


@staff_page(CHANGE)
@require_http_methods(["GET", "POST"])
def trust_profile_page(request):
    profile = get_trust_profile_for_user(request)
    if profile is None:
        return render(request, PAGE, {"profile": None})
    context = {"profile": profile, "preview": None, "refusal": None, "theirs": []}
    status = 200
    if request.method == "POST" and "preview" in request.POST:
        # Nothing saved, nothing checked: the editor's words as the home page would show them, and the form as typed.
        form = _form(None, profile, initial=request.POST.dict())
        context["preview"] = [
            (form.fields[name].label, render_markdown(request.POST.get(name, ""))) for name in MARKDOWN_FIELDS
        ]
    else:
        form = _form(request.POST or None, profile, initial={"read": profile_version(profile)})
        if request.method == "POST" and form.is_valid():
            try:
                saved = trust_profile_edit(
                    editor=request.user,
                    data={name: form.cleaned_data[name] for name in EDITABLE_FIELDS},
                    read=form.cleaned_data["read"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleProfileEdit as stale:
                # Their version above, the editor's words kept in the form, now reading the current version.
                profile = context["profile"] = stale.current
                data = request.POST.copy()
                data["read"] = profile_version(profile)
                form = _form(data, profile)
                context["refusal"] = stale.message
                names = stale.changed or [n for n in EDITABLE_FIELDS if data.get(n) != getattr(profile, n)]
                context["theirs"] = [(form.fields[name].label, getattr(profile, name)) for name in names]
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if saved.updated_at == profile.updated_at:
                    messages.info(request, "Nothing was changed, so nothing was saved.")
                else:
                    messages.success(request, "Saved. The public pages show the new words within a second.")
                return redirect("reports:editorial_trust_profile")
    context["form"] = form
    context["last"] = profile.history.select_related("history_user").first()
    return render(request, PAGE, context, status=status)


@staff_page(CHANGE)
@require_http_methods(["GET"])
def trust_profile_history(request):
    """Every saved version, newest first: when, who, why, and what each changed from the one before."""
    get_trust_profile_for_user(request)
    records = list(TrustProfile.history.select_related("history_user").order_by("-history_date", "-history_id"))
    versions = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        names = set(record.diff_against(older).changed_fields) if older else HISTORY_FIELDS
        changed = [
            (TrustProfile._meta.get_field(name).verbose_name, getattr(record, name))
            for name in HISTORY_FIELDS
            if name in names
        ]
        versions.append({"record": record, "changed": changed, "first": older is None})
    return render(request, "reports/editorial/trust_profile_history.html", {"versions": versions})
