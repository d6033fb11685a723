"""Evidence files: attached to an action, waiting in an upload, or held for a decision."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models.action import Action


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

    DESCRIPTION_MAX_LENGTH = 500

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=DESCRIPTION_MAX_LENGTH)
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
