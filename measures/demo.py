"""Illustrative demo measures for `seed_demo`: the measures an ambulance trust reports, with made-up but
plausible values that tell a story (an improvement after a recalculation, a concern, a target missed).

Every demo measure is flagged `illustrative`, and every page that shows one says so. Values are
deterministic (a generator seeded by the measure's slug), ending with last month; periods move with
the calendar so a newcomer's charts are current. Also `seed_scale_measures` for the benchmark.
"""

import datetime
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import Action
from measures.models import Frequency, Measure, MeasureValue, Recalculation, period_next
from measures.services import measure_save
from pillars.models import Pillar, StrategicGoal
from themes.models import Theme


@dataclass(frozen=True)
class Segment:
    points: int
    level: float
    spread: float
    step: float = 0.0  # added per point: a drift (a trend of 7 shows as a special cause)


@dataclass(frozen=True)
class DemoMeasure:
    slug: str
    name: str
    unit: str
    improvement: str
    description: str
    source: str
    segments: tuple[Segment, ...]
    pillars: tuple[int, ...]
    target: float | None = None
    themes: tuple[int, ...] = ()
    actions: tuple[str, ...] = ()
    public: bool = True
    exit_criterion: bool = False
    frequency: str = Frequency.MONTHLY
    places: int = 1
    # (index of the first point of the new period, reason)
    recalculation: tuple[int, str] | None = None


SOURCE = Path(__file__).with_name("demo_measures.toml")


def _measure(table: dict) -> DemoMeasure:
    fields = {name: tuple(value) if isinstance(value, list) else value for name, value in table.items()}
    fields["segments"] = tuple(Segment(**segment) for segment in table["segments"])
    if "recalculation" in table:
        fields["recalculation"] = (table["recalculation"]["at"], table["recalculation"]["reason"])
    return DemoMeasure(**fields)


# The demo's measures: data (demo_measures.toml beside this file), in the order they are seeded.
DEMO_MEASURES = [_measure(table) for table in tomllib.loads(SOURCE.read_text(encoding="utf-8"))["measures"]]


def _values(spec: DemoMeasure) -> list[float]:
    rng = random.Random(spec.slug)  # noqa: S311 -- demo figures, repeatable by design, not secrets
    values = []
    for segment in spec.segments:
        for i in range(segment.points):
            value = segment.level + segment.step * i + rng.gauss(0, segment.spread)
            values.append(round(value, spec.places) if spec.places else float(round(value)))
    return values


def _first_period(frequency: str, count: int, today: datetime.date) -> datetime.date:
    """The first of `count` periods ending with the last complete one before `today`."""
    if frequency == Frequency.QUARTERLY:
        quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        index = quarter_start.year * 12 + quarter_start.month - 1 - 3 * count
    else:
        index = today.year * 12 + today.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


ENTERED_AT = datetime.time(9)  # on the morning after its period ends, before that month's update is drafted


@transaction.atomic
def seed_demo_measures(*, today: datetime.date | None = None) -> int:
    """Idempotent: creates the demo measures that are missing, with their values and links. A measure
    already there (by slug) is left as it is. Returns the number created.
    """
    today = today or timezone.localdate()
    pillars = {p.number: p for p in Pillar.objects.all()}
    themes = {t.number: t for t in Theme.objects.all()}
    created = 0
    now = timezone.now()
    for spec in DEMO_MEASURES:
        if Measure.objects.filter(slug=spec.slug).exists():
            continue
        measure, _ = measure_save(
            slug=spec.slug,
            data={
                "name": spec.name,
                "unit": spec.unit,
                "description": spec.description,
                "source": spec.source,
                "frequency": spec.frequency,
                "improvement": spec.improvement,
                "target": spec.target,
                "is_public": spec.public,
                "exit_criterion": spec.exit_criterion,
                "illustrative": True,
            },
        )
        measure.pillars.set([pillars[n] for n in spec.pillars if n in pillars])
        measure.themes.set([themes[n] for n in spec.themes if n in themes])
        measure.goals.set(StrategicGoal.objects.filter(pillars__in=measure.pillars.all()).distinct())
        measure.actions.set(Action.objects.filter(reference__in=spec.actions))
        values = _values(spec)
        period = _first_period(spec.frequency, len(values), today)
        rows = []
        for i, value in enumerate(values):
            # Entered once its period had ended (never later than now), and recorded as entered then.
            ended = period_next(spec.frequency, period)
            entered = min(now, timezone.make_aware(datetime.datetime.combine(ended, ENTERED_AT)))
            row = MeasureValue(measure=measure, period=period, value=value, entered_at=entered)
            row._history_date = entered
            rows.append(row)
            if spec.recalculation and spec.recalculation[0] == i:
                Recalculation.objects.create(measure=measure, period=period, reason=spec.recalculation[1])
            period = period_next(spec.frequency, period)
        bulk_create_with_history(rows, MeasureValue)
        created += 1
    return created


EXIT_CRITERION_EVERY = 25


@transaction.atomic
def seed_scale_measures(n_measures: int, n_values: int, *, today: datetime.date | None = None) -> int:
    """Benchmark data: `n_measures` public measures of `n_values` monthly values each (bulk inserted).
    Idempotent by slug prefix: measures already there are kept. Returns the number created.
    """
    today = today or timezone.localdate()
    existing = set(Measure.objects.filter(slug__startswith="scale-").values_list("slug", flat=True))
    pillars = list(Pillar.objects.order_by("number"))
    start = _first_period(Frequency.MONTHLY, n_values, today)
    now = timezone.now()
    new = [
        Measure(
            slug=f"scale-{n:05d}",
            name=f"Scale measure {n:05d}",
            unit="minutes",
            improvement=("increase", "decrease", "neutral")[n % 3],
            target=50.0 if n % 2 else None,
            is_public=n % 5 != 0,
            illustrative=True,
        )
        for n in range(n_measures)
        if f"scale-{n:05d}" not in existing
    ]
    Measure.objects.bulk_create(new, batch_size=500)
    created = Measure.objects.filter(slug__in=[m.slug for m in new])
    links, values = [], []
    Link = Measure.pillars.through
    for m in created:
        rng = random.Random(m.slug)  # noqa: S311 -- benchmark figures, repeatable by design
        if pillars:
            links.append(Link(measure_id=m.pk, pillar_id=pillars[m.pk % len(pillars)].pk))
        period = start
        for _ in range(n_values):
            values.append(MeasureValue(measure=m, period=period, value=rng.gauss(50, 5), entered_at=now))
            period = period_next(Frequency.MONTHLY, period)
    Link.objects.bulk_create(links, batch_size=1000)
    MeasureValue.objects.bulk_create(values, batch_size=2000)
    # One in EXIT_CRITERION_EVERY is an exit criterion (20 of the bench's 500), as a trust names a few:
    # their SPC charts are drawn on the dashboard and in the board pack. Also for a data set built before.
    exit_slugs = [f"scale-{n:05d}" for n in range(0, n_measures, EXIT_CRITERION_EVERY)]
    Measure.objects.filter(slug__in=exit_slugs, exit_criterion=False).update(exit_criterion=True)
    return len(new)
