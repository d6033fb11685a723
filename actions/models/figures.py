"""The token the staff figures cache is keyed by."""

from django.db import models
from django.db.models import Q

from secamb_journey.models import GenerationRow


class FiguresGeneration(GenerationRow):
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

    label = "Figures"

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="figures_generation_single_row")]
