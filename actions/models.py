"""Improvement actions, their append-only progress log and their evidence files."""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# The choices are actions.choices' (the governance models need them without importing this module);
# they are read from here too, as they always were.
from actions.choices import (  # noqa: E402, F401 -- re-exported
    CQC_TYPES,
    DONE_STATUSES,
    OPEN_STATUSES,
    REFERENCE_PREFIXES,
    SIGNED_OFF_STATUSES,
    STATUS_BRAG,
    STATUS_TAG_COLOURS,
    ActionType,
    Status,
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


# --- The derived states, each defined once --------------------------------------------------------
# "Complete", "overdue" (and by how many days), "due soon", "stale", "slipped", "brought forward",
# "awaiting ratification", "review due", "embedded", "reopened and open" and "public" are never stored
# (DESIGN.md, domain rules). Each is written here once, as a Q expression the database evaluates
# (querysets, aggregates, snapshots, reminders, the published update's frozen figures) and, beside it,
# the same rule on one action in Python (templates, e-mails). What changed in a window ("slipped
# since", "brought forward since") is actions/changes.py; the four-eyes rule is
# actions.signoff.action_signoff_problem. actions/tests/test_rules.py holds the two to the same
# boundary dates. `prefix` reaches the rule through a relation, e.g. prefix="action__".


def cqc_q(prefix: str = "") -> Q:
    """A CQC action: a warning notice, a must-do or a should-do (Action.is_cqc)."""
    return Q(**{f"{prefix}action_type__in": CQC_TYPES})


def done_q(prefix: str = "") -> Q:
    """Complete, assured or embedded: the action's work is done. Overdue, due soon and stale never apply."""
    return Q(**{f"{prefix}status__in": DONE_STATUSES})


def open_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES})


def overdue_q(today: datetime.date, prefix: str = "") -> Q:
    """Open, and its due date has passed (due today is not yet overdue)."""
    return open_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last due date that counts as "due soon" on `today` (inclusive)."""
    return today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


def due_soon_q(today: datetime.date, prefix: str = "") -> Q:
    """Open, and due from today up to and including DUE_SOON_DAYS from today."""
    return open_q(prefix) & Q(**{f"{prefix}due_date__gte": today, f"{prefix}due_date__lte": due_soon_until(today)})


def stale_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Progress (or, with none, creation) before this moment is too old: STALE_AFTER_DAYS ago."""
    return now - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def stale_q(now: datetime.datetime, prefix: str = "") -> Q:
    """Open, and no progress logged for STALE_AFTER_DAYS (counted from creation when none was ever logged)."""
    cutoff = stale_cutoff(now)
    return open_q(prefix) & (
        Q(**{f"{prefix}last_progress_at__lt": cutoff})
        | Q(**{f"{prefix}last_progress_at__isnull": True, f"{prefix}created_at__lt": cutoff})
    )


def slipped_q(prefix: str = "") -> Q:
    """Slipped: the agreed due date is later than the original one. The one definition of "slipped"."""
    return Q(**{f"{prefix}due_date__gt": F(f"{prefix}original_due_date")})


def brought_forward_q(prefix: str = "") -> Q:
    """Brought forward: the agreed due date is earlier than the original one (never "negative slippage")."""
    return Q(**{f"{prefix}due_date__lt": F(f"{prefix}original_due_date")})


def awaiting_ratification_q(prefix: str = "") -> Q:
    """Assured (signed off by a lead) and not yet ratified by a committee."""
    return Q(**{f"{prefix}status": Status.ASSURED, f"{prefix}ratified_at__isnull": True})


def awaiting_review_q(prefix: str = "") -> Q:
    """Assured and ratified, not yet embedded: waiting for its sustainability review, due or not."""
    return Q(**{f"{prefix}status": Status.ASSURED, f"{prefix}ratified_at__isnull": False})


def review_due_q(today: datetime.date, prefix: str = "") -> Q:
    """Ratified, not yet embedded, and its sustainability review falls due on or before `today` (or no
    date was ever set for it: then nothing holds the review back, as actions.services allows)."""
    return awaiting_review_q(prefix) & (
        Q(**{f"{prefix}sustainability_review_due__lte": today})
        | Q(**{f"{prefix}sustainability_review_due__isnull": True})
    )


def embedded_q(prefix: str = "") -> Q:
    """Embedded (blue): the change has lasted, shown at a sustainability review after ratification."""
    return Q(**{f"{prefix}status": Status.EMBEDDED})


def reopened_q(prefix: str = "") -> Q:
    """Reopened after sign-off at least once."""
    return Q(**{f"{prefix}reopened_at__isnull": False})


def reopened_open_q(prefix: str = "") -> Q:
    """Reopened after sign-off at least once, and open now (not done again yet)."""
    return open_q(prefix) & reopened_q(prefix)


def public_q(prefix: str = "") -> Q:
    """Marked public by a person: the only actions (and their highlights) the public may read."""
    return Q(**{f"{prefix}is_public": True})


def status_is_done(status: str) -> bool:
    return status in DONE_STATUSES


def is_overdue_on(*, status: str, due_date: datetime.date, day: datetime.date) -> bool:
    """overdue_q for one action's values, also for a status it had on a past day (synthetic history)."""
    return not status_is_done(status) and due_date < day


def days_overdue(*, status: str, due_date: datetime.date, day: datetime.date) -> int:
    """How many days overdue on `day`: 1 the day after the due date, 0 when not overdue."""
    return (day - due_date).days if is_overdue_on(status=status, due_date=due_date, day=day) else 0


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
    # (actions.services.due_date_revise), which keeps the reason and who agreed it.
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


class EntryKind(models.TextChoices):
    """What a progress entry records, where its words alone would not say it for certain."""

    PROGRESS = "progress", "Progress"
    # A lead reviewed a completion, was not convinced, and returned it to the owner with a reason.
    RETURN = "return", "Not assured: returned to the owner"


class ProgressUpdate(models.Model):
    """One entry in an action's progress log. Append-only: a correction is a new entry."""

    NARRATIVE_MAX_LENGTH = 5000

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates")
    narrative = models.TextField(help_text="What has been done since the last update, and what happens next. Internal.")
    status = models.CharField(max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField()
    public_highlight = models.CharField(
        max_length=280,
        blank=True,
        help_text="Optional. One or two plain sentences the public may read in a published update.",
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.PROGRESS, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        indexes = [
            # An action's timeline, newest first, and its latest entry.
            models.Index(fields=["action", "-created_at"], name="progress_action_created_idx"),
            # Public highlights and completions within a reporting period.
            models.Index(fields=["created_at"], name="progress_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100), name="progress_percent_0_100"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="progress_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="progress_kind_valid"),
        ]

    def __str__(self):
        return f"{self.action.reference} at {self.created_at:%Y-%m-%d %H:%M}: {self.get_status_display()}"


def evidence_upload_to(instance, filename):
    # Never the uploader's file name on disk: it is kept in `original_name` for display only.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"evidence/{instance.action.reference}/{uuid.uuid4().hex}{suffix}"


class EvidenceKind(models.TextChoices):
    COMPLETION = "completion", "Evidence of completion"
    # Shown at the sustainability review, months after ratification: the change has lasted.
    SUSTAINABILITY = "sustainability", "Evidence of sustained change"


class Evidence(models.Model):
    """A file attached to an action. Private: served only to signed-in staff who may see the action."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.COMPLETION)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name_plural = "evidence"
        indexes = [
            # An action's evidence list, newest first.
            models.Index(fields=["action", "-uploaded_at"], name="evidence_action_uploaded_idx"),
        ]

    def __str__(self):
        return f"{self.action.reference}: {self.original_name}"


class UploadKind(models.TextChoices):
    ACTION_PLAN = "action_plan", "Action plan"
    MEASURES = "measures", "Measures"


class PendingUpload(models.Model):
    """An uploaded file between its preview and its confirmation (the action plan import, the measures
    import). Kept here, on the server, rather than in the session (which would carry the whole file in
    the session row read on every request); it expires after actions.uploads.UPLOAD_KEPT_FOR and is
    deleted once imported.
    """

    kind = models.CharField(max_length=20, choices=UploadKind.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The confirmation: this person's upload with this digest.
            models.Index(fields=["uploaded_by", "sha256"], name="plan_upload_user_sha_idx"),
            # Clearing out expired uploads.
            models.Index(fields=["uploaded_at"], name="plan_upload_uploaded_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


def held_evidence_upload_to(instance, filename):
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"held-evidence/{uuid.uuid4().hex}{suffix}"


class HeldEvidence(models.Model):
    """An evidence file chosen on a form that came back with an error, kept (in the default storage, as
    evidence is) for the person who chose it, on that action, so they need not choose it again. Attached
    when the corrected form is sent; deleted then, when removed, or once expired (actions.uploads).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=held_evidence_upload_to, max_length=255)
    name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Clearing out expired files.
            models.Index(fields=["uploaded_at"], name="held_evidence_uploaded_idx"),
        ]

    def __str__(self):
        return f"{self.name} (held for {self.action_id})"


class FiguresGeneration(models.Model):
    """One row whose token changes, in the same transaction, whenever a figure staff pages show may change.

    The staff pages' figures (the dashboard and its drill-downs, the register's counts and filter
    options, the measures' summary) are cached in Django's cache keyed by this token and today's date
    (actions.figures_cache), so they are computed once per change rather than once per request. The
    token is moved by database triggers (migration 0009_figures_generation), not by Python: every
    writer is seen, the services, the admin, an import, a history revert, a queryset .update() or
    bulk_create, a management command or the Celery worker, in whichever process. Random, as
    PublicContentGeneration's, so a rolled-back or restored database never meets figures cached from
    another timeline.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="figures_generation_single_row")]

    def __str__(self):
        return f"Figures generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


# Governance: due-date revisions, committees and their decisions, reopenings, regulations. Imported
# here so Django registers them with this app, and read from here as the app's other models are.
from actions.governance_models import (  # noqa: E402, F401 -- re-exported
    ActionReopening,
    Committee,
    CommitteeDecision,
    Decision,
    DueDateRevision,
    Meeting,
    RedactedField,
    Redaction,
    Regulation,
    RevisionState,
)


class ChangeNotice(models.Model):
    """An e-mail telling people that an action changed, waiting to be sent: the outbox (issue 28, finding 11).

    Written by the service in the same transaction as the change it tells of, so a change that rolls
    back leaves none and one that commits always leaves one, whatever the broker is doing. actions.tasks
    sends it: at once after the commit when the broker takes the task, otherwise (or when that run
    failed) the periodic run a minute later, and again each minute until it goes. A run claims the
    notice first (`claimed_until`), so two runs never send it both; `sent_to` records each person as
    their message goes, so a run that failed part-way, or died, is finished without telling anyone twice.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [[what, from, to], ...] in words, as the e-mail says them.
    changes = models.JSONField()
    # Ids of people told besides the owner and executive lead (the previous owner).
    also_notify = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A run sending it holds it until then; a run that died lets go when it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Ids of the people already sent it: the once-per-person ledger.
    sent_to = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The periodic run: the notices not yet sent, oldest first.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="change_notice_unsent_idx"),
            # Clearing out notices sent long ago.
            models.Index(fields=["sent_at"], name="change_notice_sent_idx"),
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%Y-%m-%d %H:%M}" if self.sent_at else f"not sent, {self.attempts} attempts"
        return f"Change notice {self.pk} ({state})"
