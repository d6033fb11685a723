"""The six urgent themes the trust named after its CQC inspection and staff survey."""

from django.db import models

from pillars.models import Pillar, StrategyEntry


class Theme(StrategyEntry):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    short_name = models.CharField(max_length=60, unique=True, help_text="A few words, for tables and filters.")
    title = models.CharField(max_length=200, unique=True, help_text="The concern in the trust's own words.")
    pillars = models.ManyToManyField(Pillar, related_name="themes", help_text="The pillars that answer this theme.")

    def __str__(self):
        return self.short_name
