"""The trust's four strategic goals and the four pillars of its Improvement Journey."""

from django.db import models


class StrategyEntry(models.Model):
    """A goal, pillar or theme: listed by its number, and retired rather than deleted. Its fields come
    first in the model, so the admins name their order."""

    # Strategies are refreshed: what a newer trust profile leaves out is kept for the actions that name it.
    retired = models.BooleanField(
        default=False,
        help_text="Not in the current strategy: kept for its actions, not listed on the home page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["number"]


class StrategicGoal(StrategyEntry):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Order in which the strategy lists it.")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120, unique=True)
    description = models.TextField()

    def __str__(self):
        return self.title


class Pillar(StrategyEntry):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    goals = models.ManyToManyField(
        StrategicGoal, related_name="pillars", help_text="The strategic goals this pillar serves."
    )

    def __str__(self):
        return self.name
