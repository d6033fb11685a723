"""Project-wide records: second-factor enrolment codes (secamb_journey/enrolment.py), the trust profile."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


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


ODS_CODE = RegexValidator(r"^[A-Z0-9]{3,5}$", "An ODS organisation code is 3 to 5 capital letters or digits, like RYD.")


class TrustProfile(models.Model):
    """The trust that runs the tracker, and its public words: one row, edited in the admin or loaded from
    a profile file (`manage.py load_trust_profile`). Nothing in the code names a trust; every page reads this.

    The three texts are Markdown, shown through the one renderer of published updates
    (reports.services.editorial.render_markdown): raw HTML is never passed through.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    full_name = models.CharField(max_length=200, help_text="As the trust signs itself: pages' footers, the feed.")
    short_name = models.CharField(max_length=40, help_text="A few letters, for page titles and authenticator apps.")
    ods_code = models.CharField("ODS organisation code", max_length=5, validators=[ODS_CODE])
    service_name = models.CharField(max_length=80, help_text="This service's name in the NHS.UK header.")
    programme_name = models.CharField(max_length=80, help_text='Such as "Improvement Journey".')
    logo_name = models.CharField(max_length=120, help_text="The organisation's name beside the NHS logo.")
    logo_descriptor = models.CharField(max_length=80, blank=True, help_text='Under it, such as "NHS Foundation Trust".')
    contact_email = models.EmailField(help_text="Where the public asks for another format or reports a problem.")
    access_email = models.EmailField(help_text="Where staff ask for access to the tracker.")
    purpose = models.TextField(help_text="The trust's purpose, in Markdown.")
    strategy = models.TextField(help_text="Its strategy statement, in Markdown.")
    introduction = models.TextField(help_text="The programme's introduction on the home page, in Markdown.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "trust profile"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="trust_profile_one_row")]

    def __str__(self):
        return self.full_name or "Trust profile"

    @classmethod
    def current(cls) -> "TrustProfile":
        """The profile, or an empty unsaved one before any is loaded (pages then name no trust)."""
        return cls.objects.filter(pk=cls.SINGLETON).first() or cls()


class GenerationRow(models.Model):
    """A cached scope's generation (secamb_journey/generations.py): one row whose random token database
    triggers move whenever what the scope reads changes. Each subclass keeps its single-row constraint."""

    label = ""  # what the scope is, for __str__

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.label} generation {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
