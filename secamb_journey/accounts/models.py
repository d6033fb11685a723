"""Who a person is at the identity provider: the link from the provider's stable subject to our account."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeactivationReason(models.TextChoices):
    INACTIVE = "inactive", "Not signed in for a long time"
    PROVIDER_DISABLED = "provider_disabled", "Disabled at the identity provider"


class ProviderIdentity(models.Model):
    """One account at the identity provider (issuer + subject), linked to one of our users.

    Accounts are matched on the subject, which the provider never reuses or changes, and never on an
    e-mail address, which can be reassigned to someone else.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provider_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # The provider groups this person had at their last sign-in (for the administrator's eyes only).
    groups = models.JSONField(default=list, blank=True)
    last_sign_in_at = models.DateTimeField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(max_length=32, choices=DeactivationReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "identity provider account"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_identity_issuer_subject_uniq"),
            models.CheckConstraint(
                condition=Q(deactivated_at__isnull=True, deactivation_reason="")
                | Q(deactivated_at__isnull=False) & ~Q(deactivation_reason=""),
                name="accounts_identity_deactivation_has_reason",
            ),
        ]
        indexes = [
            # The daily leavers task: accounts whose last sign-in is before the cut-off.
            models.Index(fields=["last_sign_in_at"], name="accounts_identity_last_idx"),
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
