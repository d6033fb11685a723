"""Admin for actions. Every write goes through actions.services, as from the staff pages: an edit
bumps the version (so a lead's older form is refused, not silently overwritten) and tells the owner
and executive lead. The progress log and evidence are read-only here; history is read, never reverted.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from actions.forms.fields import reason_field
from actions.models import (
    Action,
    ActionReopening,
    ChangeNotice,
    Committee,
    CommitteeDecision,
    DueDateRevision,
    Evidence,
    Meeting,
    ProgressUpdate,
    RedactedField,
    Redaction,
    Regulation,
)
from actions.services.editing import CREATE_FIELDS, EDITABLE_FIELDS, action_create, action_update
from secamb_journey.admin_readonly import ReadOnlyHistoryAdmin, ViewOnlyAdmin, ViewOnlyHistoryAdmin


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fields = ["created_at", "author", "status", "percent_complete", "narrative", "public_highlight"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # progress is logged through the service, which enforces the rules

    def has_change_permission(self, request, obj=None):
        return False


class ActionAdminForm(forms.ModelForm):
    # The version the editor read; action_update refuses the save if anyone has saved since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new due date is a revision (issue 13): action_update records it, with this reason, as agreed by
    # the editor, who must be independent of the action (actions.signoff.action_signoff_problem).
    due_date_reason = reason_field("Reason for a new due date", rows=2)

    class Meta:
        model = Action
        fields = list(CREATE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self):
        # A reference already used is refused by the service, under its lock, with the reference named.
        pass

    def service_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


@admin.register(Action)
class ActionAdmin(ReadOnlyHistoryAdmin):
    form = ActionAdminForm
    list_display = ["reference", "title", "action_type", "pillar", "owner", "status", "percent_complete", "due_date"]
    list_filter = ["action_type", "pillar", "status", "is_public", "themes"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["owner", "executive_lead"]
    filter_horizontal = ["themes", "regulations"]
    inlines = [ProgressUpdateInline]
    list_select_related = ["pillar", "owner"]
    # Status and percent follow the progress log, and assurance has its own four-eyes sign-off, so
    # the admin cannot set them; the reference and type are fixed once the action exists.
    # Governance dates follow the committee and review services; the original due date is kept for ever.
    service_owned = [
        "status",
        "percent_complete",
        "completed_at",
        "assured_by",
        "assured_at",
        "last_progress_at",
        "original_due_date",
        "ratified_at",
        "sustainability_review_due",
        "embedded_by",
        "embedded_at",
        "reopened_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(CREATE_FIELDS)
        editable = [name for name in EDITABLE_FIELDS if name != "due_date"]
        return ["reference", "action_type", "due_date", "due_date_reason", *editable, "version", *self.service_owned]

    def get_readonly_fields(self, request, obj=None):
        return self.service_owned if obj is None else ["reference", "action_type", *self.service_owned]

    def get_form(self, request, obj=None, **kwargs):
        # `version` is the form's own hidden field, not a model field the admin may edit.
        fields = kwargs.pop("fields", None) or self.get_fields(request, obj)
        return super().get_form(
            request, obj, fields=[f for f in fields if f not in ("version", "due_date_reason")], **kwargs
        )

    def has_delete_permission(self, request, obj=None):
        return False  # its progress log and history are the record; an action is never deleted

    def save_form(self, request, form, change):
        return form.instance

    def save_model(self, request, obj, form, change):
        data = form.service_data()
        if change:
            saved = action_update(
                action=obj, editor=request.user, data=data, expected_version=form.cleaned_data.get("version") or 0
            )
        else:
            saved = action_create(creator=request.user, data=data)
        obj.__dict__.update(saved.__dict__)

    def save_related(self, request, form, formsets, change):
        # Themes are set by the service, not by form.save_m2m(); the only inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A refusal by the service (a stale edit, a bad reference) is said on the page, and nothing is
        # saved (the admin's transaction is rolled back before it gets here): the stale-edit message
        # asks the editor to make their changes again on current values.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class RedactLinkMixin:
    """Issue 28, finding 8: the record's published reason can be redacted by an administrator (the
    `actions.redact_text` permission), on the page named here, which shows the words and asks why."""

    redacted_field: str
    redacted_attribute = "reason"

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return [*shown, "redact_link"] if request.user.has_perm("actions.redact_text") else shown

    @admin.display(description="Redact")
    def redact_link(self, obj):
        text = getattr(obj, self.redacted_attribute)
        if not text or text.startswith("Removed on "):
            return ""
        url = reverse("reports:redact", args=[self.redacted_field, obj.pk])
        return format_html('<a href="{}">Redact the words</a>', url)


@admin.register(DueDateRevision)
class DueDateRevisionAdmin(RedactLinkMixin, ViewOnlyAdmin):
    redacted_field = RedactedField.REVISION_REASON
    list_display = ["action", "previous_due_date", "new_due_date", "state", "requested_by", "decided_by", "decided_on"]
    list_filter = ["state"]
    search_fields = ["action__reference", "reason"]
    list_select_related = ["action", "requested_by", "decided_by"]


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(RedactLinkMixin, ViewOnlyAdmin):
    redacted_field = RedactedField.DECISION_REASON
    list_display = ["action", "meeting", "decision", "minute_reference", "recorded_by", "recorded_at"]
    list_filter = ["decision", "meeting__committee"]
    search_fields = ["action__reference", "minute_reference"]
    list_select_related = ["action", "meeting__committee", "recorded_by"]


@admin.register(ActionReopening)
class ActionReopeningAdmin(RedactLinkMixin, ViewOnlyAdmin):
    redacted_field = RedactedField.REOPENING_REASON
    list_display = ["action", "reopened_at", "reopened_by", "previous_status", "status"]
    search_fields = ["action__reference", "reason"]
    list_select_related = ["action", "reopened_by"]


@admin.register(Redaction)
class RedactionAdmin(ViewOnlyAdmin):
    """The record of redactions: who, when, why and the fingerprint of the words, never the words."""

    list_display = ["field", "record_id", "action", "redacted_by", "redacted_at", "reason"]
    list_filter = ["field"]
    search_fields = ["action__reference", "reason"]
    list_select_related = ["action", "redacted_by"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["date"]
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Committees and their meeting dates are kept by administrators, like the schedules."""

    list_display = ["name"]
    search_fields = ["name"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["committee", "date"]
    list_filter = ["committee"]
    date_hierarchy = "date"
    list_select_related = ["committee"]


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "order"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(RedactLinkMixin, ViewOnlyAdmin):
    redacted_field = RedactedField.HIGHLIGHT
    redacted_attribute = "public_highlight"
    list_display = ["action", "created_at", "author", "status", "percent_complete"]
    list_filter = ["status"]
    search_fields = ["action__reference", "narrative"]
    list_select_related = ["action", "author"]


@admin.register(Evidence)
class EvidenceAdmin(ViewOnlyHistoryAdmin):
    """Read-only: evidence is uploaded through the action page (which checks the file's kind), and an
    action may have been marked complete on the strength of it, so it is never deleted here."""

    list_display = ["action", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["action__reference", "original_name", "description"]
    list_select_related = ["action", "uploaded_by"]


@admin.register(ChangeNotice)
class ChangeNoticeAdmin(ViewOnlyAdmin):
    """The outbox of change e-mails, to read: a notice that keeps failing shows its attempts and last
    error here, and is tried again each minute (actions.tasks.send_unsent_change_notices)."""

    list_display = ["pk", "action", "created_at", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["action__reference"]
    list_select_related = ["action"]
    date_hierarchy = "created_at"
