"""Drafts and published updates, for communications editors and improvement leads: edit, preview, publish, withdraw.

Leads hold reports.change_publishedupdate: they review and edit drafts. Only communications editors hold
reports.publish_publishedupdate, so only they publish and withdraw (DESIGN.md: the editor publishes).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reports.forms import UpdateEditForm, UpdatePublishForm, UpdateWithdrawForm
from reports.models import PublishedUpdate, UpdateStatus
from reports.selectors.updates import editorial_updates
from reports.services.editorial import update_edit, update_publish, update_withdraw
from reports.services.periods import (
    period_label,
    period_previous,
    update_correction_start,
    update_draft_for_period,
)
from reports.views.public import update_page_context
from secamb_journey.access import staff_page

EDIT = "reports.change_publishedupdate"
PUBLISH = "reports.publish_publishedupdate"


@dataclass(frozen=True)
class UpdateAccess:
    update: PublishedUpdate
    may_edit: bool
    may_publish: bool


def get_update_for_user(request, slug: str, *, need: str = "edit") -> UpdateAccess:
    """The update at `slug` and what this user may do with it: 404 if there is none, 403 if `need`
    ("edit" or "publish") is something they may not do. The page decorator has checked they may edit.
    """
    update = get_object_or_404(
        PublishedUpdate.objects.select_related("published_by", "withdrawn_by", "corrects"), slug=slug
    )
    access = UpdateAccess(
        update=update, may_edit=request.user.has_perm(EDIT), may_publish=request.user.has_perm(PUBLISH)
    )
    if not getattr(access, f"may_{need}"):
        raise PermissionDenied("Only a communications editor can publish or withdraw an update.")
    return access


def apply_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def reports_home(request):
    # DESIGN.md sends leads to /reports/; the public updates are what lives there.
    return redirect("reports:editorial_updates")


def _month_to_start(updates) -> datetime.date | None:
    """Last month, if it has no update yet: the one a person may start now rather than wait for the 1st's task."""
    month = period_previous(timezone.localdate())
    return None if any(update.period == month for update in updates) else month


@staff_page(EDIT)
def update_list(request):
    updates = list(editorial_updates())
    month = _month_to_start(updates)
    return render(
        request,
        "reports/editorial/list.html",
        {
            "updates": updates,
            "can_publish": request.user.has_perm(PUBLISH),
            "month_to_start": month,
            "month_to_start_label": period_label(month) if month else "",
        },
    )


@staff_page(EDIT)
@require_POST
def update_start(request):
    """Draft last month's update now (the same service as the task on the 1st; idempotent), then edit it."""
    update = update_draft_for_period(period=period_previous(timezone.localdate()))
    messages.success(
        request, f"The draft for {period_label(update.period)} is ready, its figures frozen as at the end of the month."
    )
    return redirect("reports:editorial_update", slug=update.slug)


@staff_page(EDIT)
@require_http_methods(["GET", "POST"])
def update_detail(request, slug):
    access = get_update_for_user(request, slug)
    update = access.update
    form = None
    if update.status == UpdateStatus.DRAFT:
        initial = {"headline": update.headline, "narrative": update.narrative, "version": update.version}
        form = UpdateEditForm(
            request.POST if request.method == "POST" else None, initial=initial, can_publish=access.may_publish
        )
        # "Save and publish": the edits are saved first, so publishing never takes the stored text while
        # the editor's changes sit unsaved on the page.
        publishing = request.method == "POST" and "publish" in request.POST and access.may_publish
        if request.method == "POST" and form.is_valid():
            try:
                update_edit(
                    update=update,
                    editor=request.user,
                    headline=form.cleaned_data["headline"],
                    narrative=form.cleaned_data["narrative"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if publishing:
                    messages.success(request, "Draft saved. Check it, then publish it.")
                    return redirect("reports:editorial_publish", slug=update.slug)
                messages.success(request, "Draft saved. Preview it to see it as the public will.")
                return redirect("reports:editorial_update", slug=update.slug)
        if publishing:
            # Refused: the page shows the editor's unsaved text as they typed it, and says nothing went out.
            form.add_error(None, "Nothing was published: your changes are not saved yet. Put right what is below.")
    elif request.method == "POST":
        # A published or withdrawn update has no form: say why rather than silently ignoring the post.
        messages.error(request, f"This update is {update.get_status_display().lower()} and can no longer be edited.")
        return redirect("reports:editorial_update", slug=update.slug)
    correction = (
        PublishedUpdate.objects.filter(corrects=update).first() if update.status == UpdateStatus.WITHDRAWN else None
    )
    return render(
        request,
        "reports/editorial/detail.html",
        {"update": update, "form": form, "can_publish": access.may_publish, "correction": correction},
    )


@staff_page(EDIT)
def update_preview(request, slug):
    update = get_update_for_user(request, slug).update
    return render(request, "reports/updates/detail.html", update_page_context(update, preview=True))


@staff_page(EDIT)
@require_POST
def update_refresh(request, slug):
    update = get_update_for_user(request, slug).update
    if update.status != UpdateStatus.DRAFT:
        messages.error(request, "Only a draft's figures can be refreshed: a published update's figures never change.")
    else:
        update_draft_for_period(period=update.period)
        messages.success(request, "Figures refreshed from the live record. Your headline and narrative are unchanged.")
    return redirect("reports:editorial_update", slug=update.slug)


@dataclass(frozen=True)
class ConfirmStep:
    """Publishing or withdrawing an update: its form, the service call (update, form, user) -> update, what
    is said once it is done and what the confirmation page explains ({slug}: the update's)."""

    form_class: type
    step: Callable
    done: str
    explanation: str
    show_preview_link: bool = False


CONFIRM_STEPS = {
    "publish": ConfirmStep(
        UpdatePublishForm,
        lambda update, form, user: update_publish(update=update, publisher=user),
        done="Published. The public can read it at /updates/{slug}/.",
        explanation=(
            "Once published, the update is on the public site at /updates/{slug}/, in the updates feed and on the"
            " home page. Its headline, narrative and figures cannot then be changed; it can only be withdrawn with"
            " a public note."
        ),
        show_preview_link=True,
    ),
    "withdraw": ConfirmStep(
        UpdateWithdrawForm,
        lambda update, form, user: update_withdraw(update=update, editor=user, note=form.cleaned_data["note"]),
        done="Withdrawn. The public now sees your note in its place.",
        explanation=(
            "The update will leave the public site and the feed at once. The public will see the month, the date"
            " it was withdrawn and your note instead."
        ),
    ),
}


@staff_page(EDIT)
@require_http_methods(["GET", "POST"])
def update_confirm_view(request, slug, step: str):
    """Publish or withdraw (CONFIRM_STEPS[step], which the URL names): a confirmation page (GET), then one
    service call (POST) whose refusal is shown on the form. Only those who may publish reach either."""
    confirm = CONFIRM_STEPS[step]
    update = get_update_for_user(request, slug, need="publish").update
    form = confirm.form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            update = confirm.step(update, form, request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirm.done.format(slug=update.slug))
            return redirect("reports:editorial_update", slug=update.slug)
    context = {
        "update": update,
        "form": form,
        "explanation": confirm.explanation.format(slug=update.slug),
        "show_preview_link": confirm.show_preview_link,
    }
    return render(request, "reports/editorial/confirm.html", context)


@staff_page(EDIT)
@require_POST
def update_correct_view(request, slug):
    """Start the corrected update for a withdrawn one, and open it for editing."""
    withdrawn = get_update_for_user(request, slug, need="publish").update
    try:
        correction = update_correction_start(withdrawn=withdrawn, editor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("reports:editorial_update", slug=getattr(refusal, "existing_slug", withdrawn.slug))
    messages.success(
        request,
        "Corrected update started, with the withdrawn text and figures frozen afresh. Put right what was wrong.",
    )
    return redirect("reports:editorial_update", slug=correction.slug)
