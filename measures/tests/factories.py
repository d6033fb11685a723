import datetime

import factory
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from measures.models import Frequency, Measure, MeasureValue, Recalculation, period_next


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"measure-{n + 1}")
    name = factory.Sequence(lambda n: f"Measure {n + 1}")
    unit = "minutes"
    description = "How long patients wait."
    improvement = "decrease"
    frequency = Frequency.MONTHLY
    is_public = True


def add_values(measure, values, *, start=datetime.date(2024, 1, 1), rebase_at=(), user=None):
    """Monthly (or the measure's frequency) values from `start`, straight into the table (tests build
    their own data; the services are tested on their own).
    """
    period = start
    rows = []
    for i, value in enumerate(values):
        rows.append(
            MeasureValue(measure=measure, period=period, value=value, entered_by=user, entered_at=timezone.now())
        )
        if i in rebase_at:
            Recalculation.objects.create(measure=measure, period=period, reason="A new way of working")
        period = period_next(measure.frequency, period)
    return bulk_create_with_history(rows, MeasureValue, default_user=user)
