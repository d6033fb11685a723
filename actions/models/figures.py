"""The token the staff figures cache is keyed by."""

from django.db import models
from django.db.models import Q


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
