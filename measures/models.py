"""Measures (KPIs and exit criteria), their values per period, and the points where their limits are recalculated."""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.models import Action
from pillars.models import Pillar, StrategicGoal
from secamb_journey.periods import period_words as words_for_period
from themes.models import Theme


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    WEEKLY = "weekly", "Weekly"
    QUARTERLY = "quarterly", "Quarterly"


class Improvement(models.TextChoices):
    """Which way is better. The SPC engine's names (measures.spc): increase, decrease, neutral."""

    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither higher nor lower is better"


class MeasureQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Measure(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True, help_text="For example: minutes, %, calls.")
    description = models.TextField(blank=True, help_text="What it shows, in plain words.")
    source = models.CharField(max_length=200, blank=True, help_text="Where the figures come from.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    improvement = models.CharField(max_length=10, choices=Improvement.choices, default=Improvement.INCREASE)
    target = models.FloatField(null=True, blank=True)
    # New measures are internal until someone makes them public (DESIGN.md, domain rules).
    is_public = models.BooleanField("public", default=False)
    exit_criterion = models.BooleanField(default=False, help_text="One of the exit criteria NHS England set.")
    illustrative = models.BooleanField(
        default=False, help_text="Made-up figures for demonstration; pages say so wherever the measure appears."
    )
    baseline_points = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Fix the mean and limits on the first this many points of each period."
    )
    screen_outliers = models.BooleanField(
        default=True, help_text="Leave unusually large moving ranges out of the limits (the reference's default)."
    )
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="measures")
    themes = models.ManyToManyField(Theme, blank=True, related_name="measures")
    goals = models.ManyToManyField(StrategicGoal, blank=True, related_name="measures", verbose_name="strategic goals")
    actions = models.ManyToManyField(
        Action, blank=True, related_name="measures", help_text="The actions meant to move this measure."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("import_measures", "Can import measures and their values from a file")]
        constraints = [
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="measure_frequency_valid"),
            models.CheckConstraint(condition=Q(improvement__in=Improvement.values), name="measure_improvement_valid"),
            models.CheckConstraint(
                condition=Q(baseline_points__isnull=True) | Q(baseline_points__gte=2), name="measure_baseline_2_or_more"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("measures:detail", args=[self.slug])

    def period_text(self, period: datetime.date) -> str:
        return period_text(self.frequency, period)

    def period_words(self, period: datetime.date) -> str:
        return period_words(self.frequency, period)


class MeasureValue(models.Model):
    """One value for one period, kept exactly as given (a double). A correction changes it in place;
    the history keeps every earlier value, who entered it and when.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    # The first day of the period: the 1st of the month, the Monday of the week, the 1st of the quarter.
    period = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            # One value per measure per period; also the index for reading a measure's values in order.
            models.UniqueConstraint(fields=["measure", "period"], name="measure_value_one_per_period"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.measure.period_words(self.period)} = {self.value!r}"


class Recalculation(models.Model):
    """A period from which the mean and limits start again (a "rebase"), and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="recalculations")
    period = models.DateField()
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="measure_recalculation_one_per_period"),
        ]

    def __str__(self):
        return f"{self.measure}: limits recalculated from {self.measure.period_words(self.period)}"


# --- Periods: text in and out ---------------------------------------------------------------------

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PERIOD_FORMATS = {
    Frequency.MONTHLY: "YYYY-MM, for example 2026-01",
    Frequency.WEEKLY: "the week's Monday as YYYY-MM-DD, for example 2026-01-05",
    Frequency.QUARTERLY: "YYYY-Qn, for example 2026-Q1",
}


def period_words(frequency: str, period: datetime.date) -> str:
    """The period as people say it ("November 2026"), for every page, message and summary."""
    return words_for_period(period, frequency)


def period_text(frequency: str, period: datetime.date) -> str:
    if frequency == Frequency.WEEKLY:
        return period.isoformat()
    if frequency == Frequency.QUARTERLY:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year:04d}-{period.month:02d}"


def parse_period(frequency: str, text: str) -> datetime.date:
    """The first day of the period `text` names, for a measure of this frequency; ValueError naming
    the format otherwise.
    """
    text = (text or "").strip()
    try:
        if frequency == Frequency.MONTHLY and (m := MONTH_RE.match(text)):
            return datetime.date(int(m[1]), int(m[2]), 1)
        if frequency == Frequency.QUARTERLY and (m := QUARTER_RE.match(text)):
            return datetime.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
        if frequency == Frequency.WEEKLY and (m := DAY_RE.match(text)):
            day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            if day.weekday() == 0:
                return day
    except ValueError:
        pass
    raise ValueError(f"Enter the period as {PERIOD_FORMATS[Frequency(frequency)]}")


def period_next(frequency: str, period: datetime.date) -> datetime.date:
    if frequency == Frequency.WEEKLY:
        return period + datetime.timedelta(days=7)
    months = 3 if frequency == Frequency.QUARTERLY else 1
    month = period.month - 1 + months
    return datetime.date(period.year + month // 12, month % 12 + 1, 1)


class ImportRun(models.Model):
    """A large measures file confirmed for import and imported in the background (measures.tasks), so the
    person's request does not wait on it. The file waits here until the task has read it; the task marks
    the run done in the same transaction as the import, so a retried or repeated task imports nothing twice
    (measures.importing.import_run). One queued run per person and file: confirming twice finds the first.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be imported"
        DONE = "done", "Imported"
        REFUSED = "refused", "Refused: nothing was imported"
        FAILED = "failed", "Failed: nothing was imported"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(blank=True)  # emptied once imported
    rows = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    result = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "sha256"], condition=Q(state="queued"), name="measure_import_one_queued_per_file"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("measures:import_run", args=[self.pk])
