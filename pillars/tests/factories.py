import factory

from pillars.models import Pillar, StrategicGoal


class StrategicGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicGoal

    number = factory.Sequence(lambda n: n + 101)
    title = factory.Sequence(lambda n: f"Strategic goal {n + 1}")
    slug = factory.Sequence(lambda n: f"goal-{n + 1}")
    description = "What this goal means for patients and staff."


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    number = factory.Sequence(lambda n: n + 101)
    name = factory.Sequence(lambda n: f"Pillar {n + 1}")
    slug = factory.Sequence(lambda n: f"pillar-{n + 1}")
    description = "What this pillar delivers."
