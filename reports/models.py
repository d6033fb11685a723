"""Dated progress figures for trends, and the periodic public update frozen from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.choices import ActionType
from pillars.models import Pillar
from secamb_journey.models import GenerationRow
from themes.models import Theme


class SnapshotScope(models.TextChoices):
    OVERALL = "overall", "Whole programme"
    PILLAR = "pillar", "Pillar"
    THEME = "theme", "Theme"
    ACTION_TYPE = "action_type", "Action type"


class ProgressSnapshot(models.Model):
    """The figures for one scope (the programme, a pillar, a theme or an action type) on one day."""

    taken_on = models.DateField()
    scope = models.CharField(max_length=20, choices=SnapshotScope.choices)
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="snapshots")
    action_type = models.CharField(max_length=20, choices=ActionType.choices, blank=True)
    total = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    on_track = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    off_track = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    assured = models.PositiveIntegerField(default=0)
    embedded = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    mean_percent_complete = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "scope"]
        permissions = [("view_dashboard", "Can see the board dashboard")]
        indexes = [
            # Trend charts: one scope's snapshots over a date range.
            models.Index(fields=["scope", "taken_on"], name="snapshot_scope_taken_idx"),
        ]
        constraints = [
            # One row per scope per day, so taking a snapshot twice is a refresh, never a duplicate.
            models.UniqueConstraint(
                fields=["taken_on", "pillar"],
                condition=Q(scope=SnapshotScope.PILLAR),
                name="snapshot_one_per_pillar_day",
            ),
            models.UniqueConstraint(
                fields=["taken_on", "theme"], condition=Q(scope=SnapshotScope.THEME), name="snapshot_one_per_theme_day"
            ),
            models.UniqueConstraint(
                fields=["taken_on", "action_type"],
                condition=Q(scope=SnapshotScope.ACTION_TYPE),
                name="snapshot_one_per_type_day",
            ),
            models.UniqueConstraint(
                fields=["taken_on"], condition=Q(scope=SnapshotScope.OVERALL), name="snapshot_one_overall_per_day"
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=SnapshotScope.OVERALL, pillar__isnull=True, theme__isnull=True, action_type="")
                    | Q(scope=SnapshotScope.PILLAR, pillar__isnull=False, theme__isnull=True, action_type="")
                    | Q(scope=SnapshotScope.THEME, pillar__isnull=True, theme__isnull=False, action_type="")
                    | (Q(scope=SnapshotScope.ACTION_TYPE, pillar__isnull=True, theme__isnull=True) & ~Q(action_type=""))
                ),
                name="snapshot_scope_matches_key",
            ),
            models.CheckConstraint(condition=Q(mean_percent_complete__lte=100), name="snapshot_percent_0_100"),
        ]

    def __str__(self):
        key = self.pillar or self.theme or self.get_action_type_display() or "programme"
        return f"{self.taken_on} {key}"

    @property
    def done(self) -> int:
        return self.complete + self.assured + self.embedded

    @property
    def percent_done(self) -> int:
        """Share of actions complete or assured, as a whole percentage."""
        return round(100 * self.done / self.total) if self.total else 0


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PublishedUpdate(models.Model):
    """The public progress update for one month: figures frozen when drafted, plus an edited narrative."""

    # The longest each text may be (reports.services.editorial refuses longer; the forms say so first).
    HEADLINE_MAX_LENGTH = 200
    NARRATIVE_MAX_LENGTH = 20_000
    WITHDRAWAL_NOTE_MAX_LENGTH = 1000

    # One update a month that the public may read or that is being drafted (update_one_live_per_period);
    # a withdrawn one stays beside the correction that replaces it.
    period = models.DateField(help_text="The first day of the month the update reports on.")
    slug = models.SlugField(unique=True)
    headline = models.CharField(max_length=HEADLINE_MAX_LENGTH)
    narrative = models.TextField(blank=True, help_text="Markdown. Links, lists and emphasis; no HTML.")
    # The frozen figures. Written when the draft is made (or refreshed while still a draft) and never
    # after publication, so a later change to an action cannot change what the public read.
    figures = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT)
    drafted_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="published_updates"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawn_updates"
    )
    withdrawal_note = models.TextField(blank=True)
    # A corrected update names the withdrawn one it replaces; the public page links to its notice.
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period"]
        permissions = [("publish_publishedupdate", "Can publish or withdraw a public update")]
        indexes = [
            # The public list: published updates, newest first.
            models.Index(fields=["status", "-period"], name="update_status_period_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=~Q(status=UpdateStatus.WITHDRAWN), name="update_one_live_per_period"
            ),
            models.CheckConstraint(condition=~Q(corrects=models.F("id")), name="update_does_not_correct_itself"),
            models.CheckConstraint(condition=Q(status__in=UpdateStatus.values), name="update_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=UpdateStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="update_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=UpdateStatus.WITHDRAWN) | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_note="")),
                name="update_withdrawn_has_note",
            ),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse("reports:public_update", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == UpdateStatus.PUBLISHED


class ReminderRun(models.Model):
    """One week's reminder e-mails. The row is the claim that makes a second run in the same week a no-op."""

    week_starting = models.DateField(unique=True, help_text="The Monday of the week the reminders were for.")
    owners_emailed = models.PositiveIntegerField(default=0)
    leads_emailed = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_starting"]

    def __str__(self):
        return f"Reminders for the week of {self.week_starting}"


class PublicContentGeneration(GenerationRow):
    """One row whose token changes, in the same transaction, whenever what the public reads changes.

    Every process that caches a public page keys it by this token (reports.public_cache), so a
    publication or withdrawal made anywhere (a web worker, the Celery worker, a management command,
    the admin) is seen by every process at its next request, whatever cache is configured or whether
    Redis is up: the database is the one thing they all share. A random token rather than a counter,
    so a database restored from a backup can never meet pages cached from a different timeline.
    """

    label = "Public content"

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="public_content_generation_single_row")]


class NoticeSent(models.Model):
    """One e-mail notice sent to one person: the ledger that makes a retried task skip who already has it.

    `notice` says what was sent ("weekly-owner-reminder", "action-change:<action id>"), `period` which
    occasion (the week, or the task run whose retries must not repeat it). Written in the same transaction
    as the sending of that one message, so a failure part-way through a batch leaves exactly the people
    who were sent it here, and the retry sends to the rest (reports.notices.send_once).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notice = models.CharField(max_length=100)
    period = models.CharField(max_length=64)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "notice", "period"], name="notice_sent_once")]
        indexes = [models.Index(fields=["sent_at"], name="notice_sent_at")]

    def __str__(self):
        return f"{self.notice} ({self.period}) to {self.recipient_id}"


class BoardPackAsk(models.TextChoices):
    """What the paper asks the board to do, as a board paper's cover says it."""

    NOTE = "note", "Note"
    DISCUSS = "discuss", "Discuss"
    APPROVE = "approve", "Approve"


class BoardPackQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # A pack is what the board was sent: frozen. A bulk update would go round save()'s refusal.
        raise BoardPackFrozen("A board pack cannot be changed: generate a new version instead.")


class BoardPackFrozen(Exception):
    """Raised on any attempt to change a stored board pack."""


class BoardPack(models.Model):
    """The Improvement Journey paper for one meeting (or an ad-hoc date), frozen when generated.

    `figures` holds every number the pack shows (the next pack reads it for "then and now"), `html` the
    rendered pack (the page at /board-packs/<id>/ shows exactly this) and `pdf` the PDF made from the
    same HTML at the same moment, so the file the board was sent is the file anyone downloads later,
    whatever has changed since, and whatever WeasyPrint or a template becomes. A regenerated pack is a
    new row with the next version; earlier versions stay.
    """

    meeting = models.ForeignKey(
        "actions.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="board_packs"
    )
    # The day the figures are as of (the generation day); an ad-hoc pack is known by it.
    as_of = models.DateField()
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=300)
    ask = models.CharField(max_length=10, choices=BoardPackAsk.choices)
    figures = models.JSONField(default=dict)
    html = models.TextField()
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-id"]
        permissions = [("view_board_packs", "Can read board packs")]
        indexes = [
            # The list at /board-packs/, newest first; and "the previous pack" for what changed.
            models.Index(fields=["-generated_at"], name="board_pack_generated_idx"),
        ]
        constraints = [
            # One pack per meeting and version: the task and a command racing make one, never two.
            models.UniqueConstraint(
                fields=["meeting", "version"], condition=Q(meeting__isnull=False), name="board_pack_meeting_version"
            ),
            models.UniqueConstraint(
                fields=["as_of", "version"], condition=Q(meeting__isnull=True), name="board_pack_adhoc_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="board_pack_version_from_1"),
            models.CheckConstraint(condition=Q(ask__in=BoardPackAsk.values), name="board_pack_ask_valid"),
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs):
        # The one save() rule in the codebase, and deliberately: a frozen record has no legitimate
        # update path (no service, admin, import or task changes a pack), so refusing it here is
        # the only place that catches every caller.
        if not self._state.adding:
            raise BoardPackFrozen("A board pack cannot be changed: generate a new version instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:board_pack", args=[self.pk])

    def get_pdf_url(self):
        return reverse("reports:board_pack_pdf", args=[self.pk])

    @property
    def days_before_meeting(self) -> int | None:
        """How long before its meeting the pack was made (the schedule's days, or sooner by hand)."""
        return (self.meeting.date - self.as_of).days if self.meeting_id else None

    @property
    def pdf_filename(self) -> str:
        what = f"meeting-{self.meeting_id}" if self.meeting_id else "ad-hoc"
        return f"board-pack-{self.as_of:%Y-%m-%d}-{what}-v{self.version}.pdf"
