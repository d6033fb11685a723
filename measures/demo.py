"""Illustrative demo measures for `seed_demo`: the measures an ambulance trust reports, with made-up but
plausible values that tell a story (an improvement after a recalculation, a concern, a target missed).

Every demo measure is flagged `illustrative`, and every page that shows one says so. Values are
deterministic (a generator seeded by the measure's slug), ending with last month; periods move with
the calendar so a newcomer's charts are current. Also `seed_scale_measures` for the benchmark.
"""

import datetime
import random
from dataclasses import dataclass, field

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
    target: float | None
    description: str
    source: str
    segments: tuple[Segment, ...]
    pillars: tuple[int, ...]
    themes: tuple[int, ...] = ()
    actions: tuple[str, ...] = ()
    public: bool = True
    exit_criterion: bool = False
    frequency: str = Frequency.MONTHLY
    places: int = 1
    # (index of the first point of the new period, reason)
    recalculation: tuple[int, str] | None = None
    extra: dict = field(default_factory=dict)


NHS_STANDARD = "NHS England Ambulance Response Programme standard"
AQI = "Ambulance Quality Indicators (illustrative figures)"

# fmt: off
DEMO_MEASURES = [
    DemoMeasure(
        "cat1-mean", "Category 1 mean response time", "minutes", "decrease", 7.0,
        "The average time to reach patients with life-threatening conditions (cardiac arrest, for example). "
        f"{NHS_STANDARD}: 7 minutes.", AQI,
        (Segment(18, 8.4, 0.22), Segment(5, 7.5, 0.15), Segment(7, 7.1, 0.08)), (2,), (4,), ("WN-04", "SD-01"),
        exit_criterion=True, places=2,
        recalculation=(18, "New dispatch model: Category 1 calls pre-alerted from the first ring (go-live this month)"),
    ),
    DemoMeasure(
        "cat1-90th", "Category 1 90th centile response time", "minutes", "decrease", 15.0,
        f"Nine in ten life-threatening calls are reached within this time. {NHS_STANDARD}: 15 minutes.", AQI,
        (Segment(30, 14.4, 0.6),), (2,), (4,), ("WN-04",), places=2,
    ),
    DemoMeasure(
        "cat2-mean", "Category 2 mean response time", "minutes", "decrease", 18.0,
        f"The average time to reach emergencies such as strokes and heart attacks. {NHS_STANDARD}: 18 minutes.",
        AQI, (Segment(24, 31.0, 2.2), Segment(6, 34.5, 1.2, step=1.1)), (2,), (4,), ("SD-01", "SD-08"),
        exit_criterion=True, places=2,
    ),
    DemoMeasure(
        "cat2-90th", "Category 2 90th centile response time", "minutes", "decrease", 40.0,
        f"Nine in ten emergency calls are reached within this time. {NHS_STANDARD}: 40 minutes.", AQI,
        (Segment(30, 68.0, 5.0),), (2,), (4,), ("SD-01",), places=1,
    ),
    DemoMeasure(
        "cat3-90th", "Category 3 90th centile response time", "minutes", "decrease", 120.0,
        f"Urgent calls such as falls and burns: nine in ten reached within this time. {NHS_STANDARD}: 120 minutes.",
        AQI, (Segment(30, 236.0, 22.0),), (2,), (4,), ("SD-08",), places=0,
    ),
    DemoMeasure(
        "cat4-90th", "Category 4 90th centile response time", "minutes", "decrease", 180.0,
        f"Less urgent calls: nine in ten reached within this time. {NHS_STANDARD}: 180 minutes.", AQI,
        (Segment(30, 262.0, 35.0),), (2,), (4,), (), places=0,
    ),
    DemoMeasure(
        "nhs111-answered-60s", "NHS 111 calls answered within 60 seconds", "%", "increase", 95.0,
        "The share of calls to NHS 111 answered within a minute. National standard: 95%.",
        "NHS 111 Integrated Urgent Care Aggregate Data Collection (illustrative figures)",
        (Segment(23, 54.0, 4.5), Segment(7, 55.0, 1.0, step=2.4)), (2,), (4,), ("MD-04", "IJ-08"), places=1,
    ),
    DemoMeasure(
        "staff-engagement", "Staff engagement score", "out of 10", "increase", 6.8,
        "The NHS Staff Survey engagement theme, from the quarterly pulse survey (0 to 10).",
        "National Quarterly Pulse Survey (illustrative figures)",
        (Segment(12, 6.25, 0.08),), (3,), (1, 3, 6), ("IJ-01", "IJ-02"), exit_criterion=True,
        frequency=Frequency.QUARTERLY, places=2,
    ),
    DemoMeasure(
        "sickness-absence", "Sickness absence rate", "%", "decrease", 5.5,
        "The share of contracted hours lost to sickness.", "Electronic Staff Record (illustrative figures)",
        (Segment(30, 6.9, 0.35),), (3,), (1,), ("IJ-09", "SD-05"), places=2,
    ),
    DemoMeasure(
        "staff-turnover", "Staff turnover (rolling 12 months)", "%", "decrease", 10.0,
        "Leavers in the last 12 months as a share of average staff in post.",
        "Electronic Staff Record (illustrative figures)",
        (Segment(30, 12.6, 0.45),), (3,), (1,), ("SD-04",), public=False, places=2,
    ),
    DemoMeasure(
        "ftsu-concerns", "Freedom to Speak Up concerns raised", "concerns", "neutral", None,
        "Concerns raised with the Freedom to Speak Up guardians. More is not worse: it can mean staff feel safer "
        "to speak.", "Freedom to Speak Up guardian records (illustrative figures)",
        (Segment(30, 17.0, 4.0),), (3,), (6, 3), ("MD-06", "IJ-03"), exit_criterion=True, places=0,
    ),
    DemoMeasure(
        "complaints-on-time", "Complaints answered within the agreed time", "%", "increase", 85.0,
        "The share of complaints answered within the timescale agreed with the complainant.",
        "Patient experience team records (illustrative figures)",
        (Segment(30, 71.0, 5.5),), (1,), (4,), ("MD-08",), public=False, places=1,
    ),
]
# fmt: on


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
