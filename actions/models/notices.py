"""The outbox of change e-mails."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.models.action import Action


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
