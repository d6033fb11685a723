"""Project-wide records: second-factor enrolment codes (secamb_journey/enrolment.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a lead or administrator so they can set up their
    authenticator app: a stolen password alone cannot enrol the thief's. Only its hash is stored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_enrolment_codes", editable=False
    )
    created_at = models.DateTimeField(editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a newer code replaced it, or after too many wrong tries.
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The code a person may redeem now: theirs, not used, not revoked.
            models.Index(fields=["user", "used_at", "revoked_at"], name="enrolment_code_usable_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="enrolment_code_expires")
        ]

    def __str__(self):
        return f"Enrolment code for {self.user}"
