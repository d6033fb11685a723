"""The trust's four strategic goals and the four pillars of its Improvement Journey."""

from django.db import models


class StrategicGoal(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Order in which the strategy lists it.")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=120, unique=True)
    description = models.TextField()
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
        return self.title


class Pillar(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    goals = models.ManyToManyField(
        StrategicGoal, related_name="pillars", help_text="The strategic goals this pillar serves."
    )
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
        return self.name
