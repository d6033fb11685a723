"""Improvement actions, their append-only progress log and their evidence files."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.choices import (
    CQC_TYPES,
    DONE_STATUSES,
    SIGNED_OFF_STATUSES,
    ActionType,
    Status,
)
from actions.models.states import (
    awaiting_ratification_q,
    brought_forward_q,
    cqc_q,
    days_overdue,
    done_q,
    due_soon_q,
    due_soon_until,
    embedded_q,
    is_overdue_on,
    open_q,
    overdue_q,
    public_q,
    reopened_open_q,
    reopened_q,
    review_due_q,
    slipped_q,
    stale_cutoff,
    stale_q,
    status_is_done,
)
from pillars.models import Pillar
from themes.models import Theme


class CqcRegulation(models.TextChoices):
    """Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, fundamental standards."""

    REG_9 = "9", "Regulation 9: Person-centred care"
    REG_10 = "10", "Regulation 10: Dignity and respect"
    REG_11 = "11", "Regulation 11: Need for consent"
    REG_12 = "12", "Regulation 12: Safe care and treatment"
    REG_13 = "13", "Regulation 13: Safeguarding service users from abuse and improper treatment"
    REG_15 = "15", "Regulation 15: Premises and equipment"
    REG_16 = "16", "Regulation 16: Receiving and acting on complaints"
    REG_17 = "17", "Regulation 17: Good governance"
    REG_18 = "18", "Regulation 18: Staffing"
    REG_19 = "19", "Regulation 19: Fit and proper persons employed"
    REG_20 = "20", "Regulation 20: Duty of candour"


class KeyQuestion(models.TextChoices):
    """The CQC's five key questions."""

    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"


class CoreService(models.TextChoices):
    """The core services the CQC inspects at an ambulance trust."""

    EMERGENCY_AND_URGENT_CARE = "emergency_urgent_care", "Emergency and urgent care"
    EOC = "emergency_operations_centres", "Emergency operations centres"
    NHS_111 = "nhs_111", "NHS 111"
    RESILIENCE = "resilience", "Resilience"
    PATIENT_TRANSPORT = "patient_transport", "Patient transport"


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(open_q())

    def done(self):
        return self.filter(done_q())

    def overdue(self, *, today=None):
        return self.filter(overdue_q(today or timezone.localdate()))

    def due_soon(self, *, today=None):
        return self.filter(due_soon_q(today or timezone.localdate()))

    def stale(self, *, now=None):
        return self.filter(stale_q(now or timezone.now()))

    def public(self):
        return self.filter(public_q())

    def cqc(self):
        return self.filter(cqc_q())

    def slipped(self):
        return self.filter(slipped_q())

    def brought_forward(self):
        return self.filter(brought_forward_q())

    def awaiting_ratification(self):
        return self.filter(awaiting_ratification_q())

    def review_due(self, *, today=None):
        return self.filter(review_due_q(today or timezone.localdate()))

    def embedded(self):
        return self.filter(embedded_q())

    def reopened(self):
        return self.filter(reopened_q())

    def reopened_open(self):
        return self.filter(reopened_open_q())


class Action(models.Model):
    reference = models.CharField(
        max_length=12,
        unique=True,
        help_text="Short and stable, for example MD-01 (must-do), SD-04 (should-do), WN-02 (warning notice), IJ-17.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    action_type = models.CharField("type", max_length=20, choices=ActionType.choices)
    cqc_regulation = models.CharField(
        "CQC regulation",
        max_length=3,
        choices=CqcRegulation.choices,
        blank=True,
        help_text="The regulation it answers, if any.",
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="actions")
    themes = models.ManyToManyField(Theme, related_name="actions", blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions")
    executive_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_actions")
    # The agreed due date: what "overdue" is judged against. It changes only through a revision
    # (actions.services.governance.due_date_revise), which keeps the reason and who agreed it.
    due_date = models.DateField()
    # The due date first set, kept for ever: "slipped" compares the agreed date with it.
    original_due_date = models.DateField(editable=False)
    # Regulatory mapping: what the CQC found, which regulations it breached, and where.
    cqc_finding = models.TextField("CQC finding", blank=True, help_text="What the CQC found, in its words.")
    regulations = models.ManyToManyField(
        "actions.Regulation",
        related_name="actions",
        blank=True,
        help_text="The regulations breached (Health and Social Care Act 2008 (Regulated Activities) Regulations 2014).",
    )
    key_question = models.CharField("key question", max_length=20, choices=KeyQuestion.choices, blank=True)
    core_service = models.CharField("core service", max_length=30, choices=CoreService.choices, blank=True)
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the finding comes from, for example the section 29A warning notice of 10 September 2021.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(default=0)
    is_public = models.BooleanField(
        "public",
        # Internal until someone makes it public (DESIGN.md): publishing is a choice, never a default.
        default=False,
        help_text="Public actions appear on the public site and in open data; internal ones never do.",
    )
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assured_actions",
        editable=False,
    )
    assured_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Governance after assurance: ratified at a committee, then embedded after a sustainability review.
    ratified_at = models.DateTimeField(null=True, blank=True, editable=False)
    sustainability_review_due = models.DateField(null=True, blank=True, editable=False)
    embedded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="embedded_actions",
        editable=False,
    )
    embedded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When a lead last reopened it (each reopening is an ActionReopening row too).
    reopened_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Denormalised from the progress log so "stale" is one indexed comparison, not a subquery.
    last_progress_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped by every edit; a form carries the version it was read at, so a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[themes, regulations], excluded_fields=["updated_at"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        permissions = [
            ("assure_action", "Can sign off a complete action as assured"),
            ("import_actions", "Can import and export the action plan"),
            ("view_any_evidence", "Can download the evidence of any action, not only those they own or lead"),
        ]
        indexes = [
            # Overdue and due-soon lists: open actions by due date.
            models.Index(fields=["status", "due_date"], name="action_status_due_idx"),
            # "My actions": one owner's actions by due date.
            models.Index(fields=["owner", "due_date"], name="action_owner_due_idx"),
            # Pillar cards and drill-downs: counts by status within a pillar.
            models.Index(fields=["pillar", "status"], name="action_pillar_status_idx"),
            # Stale actions: open actions with no progress since a cut-off.
            models.Index(fields=["last_progress_at"], name="action_last_progress_idx"),
            # The dashboard's and home page's counts (reports.selectors.action_figures, grouped by pillar,
            # type and status, with the overdue, stale and due-soon filters; action_status_counts of
            # public actions): every column they read, so a count scans this index and never the rows
            # (18 ms -> 7 ms at 10,000 actions on SQLite; issue 8, `manage.py bench`).
            models.Index(
                fields=["pillar", "action_type", "status", "due_date", "last_progress_at", "created_at", "is_public"],
                name="action_figures_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100), name="action_percent_0_100"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(action_type__in=ActionType.values), name="action_type_valid"),
            models.CheckConstraint(
                condition=(
                    Q(action_type=ActionType.WARNING_NOTICE, reference__startswith="WN-")
                    | Q(action_type=ActionType.MUST_DO, reference__startswith="MD-")
                    | Q(action_type=ActionType.SHOULD_DO, reference__startswith="SD-")
                    | Q(action_type=ActionType.IMPROVEMENT, reference__startswith="IJ-")
                ),
                name="action_reference_matches_type",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DONE_STATUSES) | Q(percent_complete=100), name="action_done_is_100_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=SIGNED_OFF_STATUSES)
                | (Q(assured_by__isnull=False) & Q(assured_at__isnull=False)),
                name="action_assured_has_signoff",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.EMBEDDED)
                | (Q(ratified_at__isnull=False) & Q(embedded_by__isnull=False) & Q(embedded_at__isnull=False)),
                name="action_embedded_has_review",
            ),
            models.CheckConstraint(
                condition=Q(key_question__in=["", *KeyQuestion.values]), name="action_key_question_valid"
            ),
            models.CheckConstraint(
                condition=Q(core_service__in=["", *CoreService.values]), name="action_core_service_valid"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.reference])

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_done(self) -> bool:
        return status_is_done(self.status)

    def is_overdue_on(self, day: datetime.date) -> bool:
        return is_overdue_on(status=self.status, due_date=self.due_date, day=day)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def days_overdue_on(self, day: datetime.date) -> int:
        """How many days past its due date the action is on `day`: 0 unless it is overdue then."""
        return days_overdue(status=self.status, due_date=self.due_date, day=day)

    def is_due_soon_on(self, day: datetime.date) -> bool:
        return not self.is_done and day <= self.due_date <= due_soon_until(day)

    @property
    def is_due_soon(self) -> bool:
        return self.is_due_soon_on(timezone.localdate())

    def is_stale_at(self, now: datetime.datetime) -> bool:
        return not self.is_done and (self.last_progress_at or self.created_at) < stale_cutoff(now)

    @property
    def is_slipped(self) -> bool:
        """slipped_q on this action."""
        return self.due_date > self.original_due_date

    @property
    def slipped_days(self) -> int:
        """How many days later than the original the agreed due date is (0 unless slipped)."""
        return (self.due_date - self.original_due_date).days if self.is_slipped else 0

    @property
    def is_brought_forward(self) -> bool:
        """brought_forward_q on this action."""
        return self.due_date < self.original_due_date

    @property
    def brought_forward_days(self) -> int:
        """How many days earlier than the original the agreed due date is (0 unless brought forward)."""
        return (self.original_due_date - self.due_date).days if self.is_brought_forward else 0

    @property
    def is_awaiting_ratification(self) -> bool:
        """awaiting_ratification_q on this action."""
        return self.status == Status.ASSURED and self.ratified_at is None

    @property
    def is_awaiting_review(self) -> bool:
        """awaiting_review_q on this action."""
        return self.status == Status.ASSURED and self.ratified_at is not None

    def is_review_due_on(self, day: datetime.date) -> bool:
        """review_due_q on this action."""
        return self.is_awaiting_review and (
            self.sustainability_review_due is None or self.sustainability_review_due <= day
        )

    @property
    def is_embedded(self) -> bool:
        """embedded_q on this action."""
        return self.status == Status.EMBEDDED

    @property
    def is_reopened(self) -> bool:
        """reopened_q on this action."""
        return self.reopened_at is not None

    @property
    def is_reopened_open(self) -> bool:
        """reopened_open_q on this action."""
        return not self.is_done and self.is_reopened

    @property
    def is_signed_off(self) -> bool:
        return self.status in SIGNED_OFF_STATUSES

    @property
    def is_stale(self) -> bool:
        return self.is_stale_at(timezone.now())

    @property
    def is_cqc(self) -> bool:
        return self.action_type in CQC_TYPES

    def can_log_progress(self, user) -> bool:
        """The owner, or anyone who may edit actions (improvement leads)."""
        return user.is_authenticated and (user.pk == self.owner_id or user.has_perm("actions.change_action"))

    def may_see_evidence(self, user) -> bool:
        """Evidence is need-to-know: the action's owner and executive lead, and those who oversee every
        action (improvement leads, board members: actions.view_any_evidence), never any other owner.
        """
        return (
            user.is_authenticated
            and user.has_perm("actions.view_evidence")
            and (user.pk in (self.owner_id, self.executive_lead_id) or user.has_perm("actions.view_any_evidence"))
        )

    def assurance_refusal(self, user) -> str | None:
        """Why `user` may not sign this action off as assured, its role and its status aside from
        independence, or None. Four eyes (the owner, the completer) is one rule, asked after this one:
        actions.signoff.action_signoff_problem.
        """
        if not user.has_perm("actions.assure_action"):
            return "Only an improvement lead can sign off an action as assured."
        if self.status == Status.ASSURED:
            return "This action is already assured."
        if self.status != Status.COMPLETE:
            return "Only a complete action can be assured. Its owner must first log it as complete, with evidence."
        return None
