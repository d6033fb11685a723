"""An action's append-only progress log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.choices import (
    Status,
)
from actions.models.action import Action


class EntryKind(models.TextChoices):
    """What a progress entry records, where its words alone would not say it for certain."""

    PROGRESS = "progress", "Progress"
    # A lead reviewed a completion, was not convinced, and returned it to the owner with a reason.
    RETURN = "return", "Not assured: returned to the owner"


# The narrative of the progress entry a return writes (its kind is EntryKind.RETURN): the log says what
# happened, in these words, and actions.selectors.returns reads the reason back after them.
RETURN_NARRATIVE_PREFIX = "Not assured: returned to the owner: "


class ProgressUpdate(models.Model):
    """One entry in an action's progress log. Append-only: a correction is a new entry."""

    NARRATIVE_MAX_LENGTH = 5000
    HIGHLIGHT_MAX_LENGTH = 280

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates")
    narrative = models.TextField(help_text="What has been done since the last update, and what happens next. Internal.")
    status = models.CharField(max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField()
    public_highlight = models.CharField(
        max_length=HIGHLIGHT_MAX_LENGTH,
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
