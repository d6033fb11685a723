"""How actions are governed: due-date revisions, committees and their decisions, reopenings, and the
regulations an action answers. The rules that write these live in actions/services/.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.choices import Status


class Regulation(models.Model):
    """One regulation of the Health and Social Care Act 2008 (Regulated Activities) Regulations 2014.
    Seeded (9 to 20A) by a data migration.
    """

    number = models.CharField(max_length=4, unique=True, help_text="For example 12, or 20A.")
    title = models.CharField(max_length=200)
    # Regulations sort by number, and 20A comes after 20: a plain order column says so.
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "number"]

    def __str__(self):
        return f"Regulation {self.number}: {self.title}"


class RevisionState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"


class DueDateRevision(models.Model):
    """A change of an action's due date: asked for with a reason, then agreed or refused by a lead who
    does not own the action. Only an agreed revision moves the action's due date.
    """

    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="due_date_revisions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="due_date_revisions_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=RevisionState.choices, default=RevisionState.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="due_date_revisions_decided",
    )
    decided_on = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            # An action's revisions in order (the action page, the public plan, open data).
            models.Index(fields=["action", "requested_at"], name="revision_action_requested_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RevisionState.values), name="revision_state_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_has_reason"),
            models.CheckConstraint(
                condition=Q(state=RevisionState.REQUESTED)
                | (Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="revision_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(state=RevisionState.REFUSED) | ~Q(refusal_reason=""), name="revision_refusal_has_reason"
            ),
            # One open request at a time per action, so two leads cannot agree two different dates.
            models.UniqueConstraint(
                fields=["action"], condition=Q(state=RevisionState.REQUESTED), name="revision_one_open_per_action"
            ),
        ]

    def __str__(self):
        return f"{self.action.reference}: {self.previous_due_date} → {self.new_due_date} ({self.get_state_display()})"

    @property
    def is_slip(self) -> bool:
        """actions.changes.revision_slip_q on this revision: it moves the date later."""
        return self.new_due_date > self.previous_due_date

    @property
    def is_brought_forward(self) -> bool:
        """actions.changes.revision_brought_forward_q on this revision: it moves the date earlier."""
        return self.new_due_date < self.previous_due_date

    @property
    def days_moved(self) -> int:
        """How many days the date moved, later or earlier (is_slip or is_brought_forward says which)."""
        return abs((self.new_due_date - self.previous_due_date).days)


class Committee(models.Model):
    """A committee that ratifies assured actions, such as the Quality Governance Committee."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    # Who sits on it: they are sent each board pack made for its meetings (reports.services.board_pack).
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="committees")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:detail", args=[self.pk])


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "committee__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="meeting_one_per_committee_day"),
        ]

    def __str__(self):
        return f"{self.committee.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("committees:meeting", args=[self.pk])


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    RATIFIED = "ratified", "Ratified"
    RETURNED = "returned", "Returned"


class CommitteeDecision(models.Model):
    """An assured action put to a committee meeting, and the meeting's decision once recorded."""

    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="committee_decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    put_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    put_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True, help_text="Why the committee returned it.")
    minute_reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting__date", "id"]
        indexes = [
            # A committee's agenda: what awaits its decision.
            models.Index(fields=["decision", "meeting"], name="decision_pending_meeting_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="decision_valid"),
            models.CheckConstraint(
                condition=Q(decision=Decision.PENDING)
                | (Q(recorded_by__isnull=False) & Q(recorded_at__isnull=False) & ~Q(minute_reference="")),
                name="decision_recorded_has_who_when_minute",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.RETURNED) | ~Q(reason=""), name="decision_returned_has_reason"
            ),
            models.UniqueConstraint(fields=["action", "meeting"], name="decision_one_per_action_meeting"),
            # An action awaits one meeting's decision at a time.
            models.UniqueConstraint(
                fields=["action"], condition=Q(decision=Decision.PENDING), name="decision_one_pending_per_action"
            ),
        ]

    def __str__(self):
        return f"{self.action.reference} at {self.meeting}: {self.get_decision_display()}"


class ActionReopening(models.Model):
    """A lead reopened an assured or embedded action: the reason and the status it went back to."""

    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="reopenings")
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    previous_status = models.CharField(max_length=20, choices=Status.choices)
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["-reopened_at", "-id"]
        indexes = [
            # Reopenings within a period (the dashboard, the public update).
            models.Index(fields=["reopened_at"], name="reopening_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason"),
            models.CheckConstraint(
                condition=Q(status__in=[Status.AT_RISK, Status.OFF_TRACK]), name="reopening_to_at_risk_or_off_track"
            ),
        ]

    def __str__(self):
        return f"{self.action.reference} reopened {self.reopened_at:%Y-%m-%d}"


class RedactedField(models.TextChoices):
    """The published words an administrator may redact (issue 28, finding 8)."""

    REVISION_REASON = "revision_reason", "Reason for a due-date revision"
    REOPENING_REASON = "reopening_reason", "Reason for a reopening"
    DECISION_REASON = "decision_reason", "Reason a committee returned an action"
    HIGHLIGHT = "highlight", "Public highlight of a progress entry"
    UPDATE_FIGURES = "update_figures", "Words frozen in a published update"


class Redaction(models.Model):
    """Words removed from a published record by an administrator: who, when, why, and the SHA-256 of
    what was removed (never the words themselves). Written by reports.redactions.redaction_apply.
    """

    field = models.CharField(max_length=30, choices=RedactedField.choices)
    # The row redacted (a revision, reopening, decision or published update, as `field` says).
    record_id = models.PositiveBigIntegerField()
    action = models.ForeignKey(
        "actions.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="redactions"
    )
    reason = models.TextField()
    original_sha256 = models.CharField(max_length=64)
    replacement = models.TextField()
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    redacted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-redacted_at", "-id"]
        permissions = [("redact_text", "Can redact published words (a name typed by mistake)")]
        constraints = [
            models.CheckConstraint(condition=Q(field__in=RedactedField.values), name="redaction_field_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="redaction_has_reason"),
            models.CheckConstraint(
                condition=Q(original_sha256__regex=r"^[0-9a-f]{64}$"), name="redaction_sha256_is_hex"
            ),
        ]

    def __str__(self):
        return f"{self.get_field_display()} #{self.record_id}, redacted {self.redacted_at:%Y-%m-%d}"
