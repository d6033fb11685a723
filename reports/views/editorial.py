"""Drafts and published updates, for communications editors and improvement leads: edit, preview, publish, withdraw.

Leads hold reports.change_publishedupdate: they review and edit drafts. Only communications editors hold
reports.publish_publishedupdate, so only they publish and withdraw (DESIGN.md: the editor publishes).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from reports.forms import UpdateEditForm, UpdatePublishForm, UpdateWithdrawForm
from reports.models import PublishedUpdate, UpdateStatus
from reports.selectors import editorial_updates
from reports.services import update_draft_for_period, update_edit, update_publish, update_withdraw
from reports.views.public import update_page_context

EDIT = "reports.change_publishedupdate"
PUBLISH = "reports.publish_publishedupdate"


def get_update_for_user(user, slug: str, *, permission: str = EDIT) -> PublishedUpdate:
    """The update at `slug` if this user may work on it: 403 without the permission, 404 if there is none."""
    if not user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(PublishedUpdate.objects.select_related("published_by", "withdrawn_by"), slug=slug)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def reports_home(request):
    # DESIGN.md sends leads to /reports/; the public updates are what lives there.
    return redirect("reports:editorial_updates")


@login_required
def update_list(request):
    if not request.user.has_perm(EDIT):
        raise PermissionDenied
    return render(
        request,
        "reports/editorial/list.html",
        {"updates": editorial_updates(), "can_publish": request.user.has_perm(PUBLISH)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_detail(request, slug):
    update = get_update_for_user(request.user, slug)
    form = None
    if update.status == UpdateStatus.DRAFT:
        initial = {"headline": update.headline, "narrative": update.narrative, "version": update.version}
        form = UpdateEditForm(request.POST if request.method == "POST" else None, initial=initial)
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
                _apply_errors(form, error)
            else:
                messages.success(request, "Draft saved. Preview it to see it as the public will.")
                return redirect("reports:editorial_update", slug=update.slug)
    elif request.method == "POST":
        # A published or withdrawn update has no form: say why rather than silently ignoring the post.
        messages.error(request, f"This update is {update.get_status_display().lower()} and can no longer be edited.")
        return redirect("reports:editorial_update", slug=update.slug)
    return render(
        request,
        "reports/editorial/detail.html",
        {"update": update, "form": form, "can_publish": request.user.has_perm(PUBLISH)},
    )


@login_required
def update_preview(request, slug):
    update = get_update_for_user(request.user, slug)
    return render(request, "reports/updates/detail.html", update_page_context(update, preview=True))


@login_required
@require_POST
def update_refresh(request, slug):
    update = get_update_for_user(request.user, slug)
    if update.status != UpdateStatus.DRAFT:
        messages.error(request, "Only a draft's figures can be refreshed: a published update's figures never change.")
    else:
        update_draft_for_period(period=update.period)
        messages.success(request, "Figures refreshed from the live record. Your headline and narrative are unchanged.")
    return redirect("reports:editorial_update", slug=update.slug)


@login_required
@require_http_methods(["GET", "POST"])
def update_publish_view(request, slug):
    update = get_update_for_user(request.user, slug, permission=PUBLISH)
    form = UpdatePublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            update = update_publish(update=update, publisher=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Published. The public can read it at /updates/{update.slug}/.")
            return redirect("reports:editorial_update", slug=update.slug)
    return render(request, "reports/editorial/publish.html", {"update": update, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def update_withdraw_view(request, slug):
    update = get_update_for_user(request.user, slug, permission=PUBLISH)
    form = UpdateWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            update = update_withdraw(update=update, editor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Withdrawn. The public now sees your note in its place.")
            return redirect("reports:editorial_update", slug=update.slug)
    return render(request, "reports/editorial/withdraw.html", {"update": update, "form": form})
