"""The six urgent themes the trust named after its CQC inspection and staff survey."""

from django.db import models

from pillars.models import Pillar


class Theme(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    short_name = models.CharField(max_length=60, unique=True, help_text="A few words, for tables and filters.")
    title = models.CharField(max_length=200, unique=True, help_text="The concern in the trust's own words.")
    pillars = models.ManyToManyField(Pillar, related_name="themes", help_text="The pillars that answer this theme.")
    # Strategies are refreshed: what a newer trust profile leaves out is kept for the actions that name it.
    retired = models.BooleanField(
        default=False,
        help_text="Not in the current strategy: kept for its actions, not listed on the home page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.short_name
