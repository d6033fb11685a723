"""Reads that feed the measure pages: charts computed by the SPC engine from a fixed number of queries.

Whatever the number of measures or values, a summary is three queries (measures, their values, their
recalculation points) and one measure's page a handful more; the engine runs in Python over the rows.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from actions.models import Action
from measures import spc
from measures.models import Frequency, Measure, MeasureValue, Recalculation, period_text
from measures.services import measure_number_problem
from secamb_journey.periods import period_words

VARIATION_WORDS = {
    "common_cause": "No significant change (common cause variation)",
    "improvement_high": "Improving: significantly higher",
    "improvement_low": "Improving: significantly lower",
    "concern_high": "Concern: significantly higher",
    "concern_low": "Concern: significantly lower",
    "neutral_high": "Significantly higher (neither better nor worse)",
    "neutral_low": "Significantly lower (neither better nor worse)",
}
ASSURANCE_WORDS = {
    "consistent_pass": "Will consistently meet the target",
    "consistent_fail": "Will consistently miss the target without change",
    "inconsistent": "Will sometimes meet and sometimes miss the target",
    None: "No target",
}
POINT_TYPE_WORDS = {
    spc.COMMON_CAUSE: "Common cause",
    spc.IMPROVEMENT: "Special cause: improvement",
    spc.CONCERN: "Special cause: concern",
    spc.NEUTRAL_HIGH: "Special cause: higher",
    spc.NEUTRAL_LOW: "Special cause: lower",
}
RULE_WORDS = {
    "outside": "outside the limits",
    "trend": "part of a run of 7 rising or falling",
    "two_in_three": "2 of 3 points near a limit",
    "shift": "part of a run of 7 on one side of the mean",
    "": "",
}
# A measure's pages and charts show this many points at a time, the latest first (a 20,000-point series
# was a 24 MB page): the mean, limits and signals are still computed over every point; open data has them all.
POINTS_PER_PAGE = 104


def format_number(value: float | None, *, places: int = 1) -> str:
    """For display only: stored values are never rounded."""
    if value is None or not math.isfinite(value):
        return ""
    if abs(value) >= 1e15:
        # Only a value stored before values were bounded (measures.services.measure_number_problem).
        return f"{value:.6g}"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class ChartPoint:
    period: datetime.date
    period_text: str
    value: float
    point: spc.Point
    value_id: int | None = None

    @property
    def period_words(self) -> str:
        return period_words(self.period_text)

    @property
    def point_type(self) -> str:
        return self.point.point_type

    @property
    def point_type_words(self) -> str:
        return POINT_TYPE_WORDS[self.point.point_type]

    @property
    def rule_words(self) -> str:
        return RULE_WORDS[self.point.rule]


CANNOT_BE_DRAWN = "These figures cannot be drawn"


@dataclass(frozen=True)
class StoredValue:
    """A value as stored, for a chart that cannot be drawn: the staff page lists it to be corrected."""

    period: datetime.date
    period_text: str
    value: float
    problem: str | None

    @property
    def period_words(self) -> str:
        return period_words(self.period_text)


@dataclass
class MeasureChart:
    measure: Measure
    chart: spc.Chart
    points: list[ChartPoint]
    recalculations: list[Recalculation] = field(default_factory=list)
    # Set when a stored value or the target is outside the range a value may take (stored before the
    # rule, or by a path around it): the chart has no points and every page says so for this measure alone.
    problem: str = ""
    stored: list[StoredValue] = field(default_factory=list)
    page: int = 1  # which POINTS_PER_PAGE points the chart and its table show: 1 is the latest

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.points) / POINTS_PER_PAGE))

    @property
    def shown_from(self) -> int:
        """The index in `points` of the first point shown."""
        return max(len(self.points) - self.page * POINTS_PER_PAGE, 0)

    @property
    def shown(self) -> list[ChartPoint]:
        """The points the chart and its table show: one page of them (SPC computed over all `points`)."""
        return self.points[self.shown_from : len(self.points) - (self.page - 1) * POINTS_PER_PAGE]

    @property
    def latest(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None

    @property
    def target(self) -> float | None:
        """The measure's target when it is one a value may be (open data and frozen figures stay valid JSON)."""
        target = self.measure.target
        return None if target is None or measure_number_problem(target) else target

    @property
    def variation_icon(self) -> str | None:
        return self.chart.variation_icon

    @property
    def assurance_icon(self) -> str | None:
        return self.chart.assurance_icon

    @property
    def variation_words(self) -> str:
        if self.problem:
            return CANNOT_BE_DRAWN
        return VARIATION_WORDS.get(self.chart.variation_icon, "No values yet")

    @property
    def assurance_words(self) -> str:
        if self.problem:
            return CANNOT_BE_DRAWN
        return ASSURANCE_WORDS[self.chart.assurance_icon]

    @property
    def provisional(self) -> bool:
        return bool(self.points) and self.chart.short_groups

    @property
    def reading(self) -> str:
        return chart_reading(self)


def chart_reading(mc: "MeasureChart") -> str:
    """The chart in one sentence, for everyone and for screen readers."""
    m = mc.measure
    unit = f" {m.unit}" if m.unit and m.unit != "%" else (m.unit or "")
    if mc.problem:
        return f"{m.name}: {mc.problem}"
    if not mc.points:
        return f"{m.name} has no values yet."
    last = mc.latest
    p = last.point
    text = f"In {last.period_words}, {m.name} was {format_number(last.value, places=2)}{unit}"
    if p.mean is not None:
        text += f", against a mean of {format_number(p.mean, places=2)}{unit}"
        if p.lower is not None:
            text += f" (process limits {format_number(p.lower, places=2)} to {format_number(p.upper, places=2)})"
    words = {
        "common_cause": "; the variation is common cause, with no sign of significant change",
        "improvement_high": "; there is a significant improvement (higher)",
        "improvement_low": "; there is a significant improvement (lower)",
        "concern_high": "; there is a significant change for the worse (higher)",
        "concern_low": "; there is a significant change for the worse (lower)",
        "neutral_high": "; it is significantly higher",
        "neutral_low": "; it is significantly lower",
    }
    text += words.get(mc.variation_icon, "")
    if m.target is not None and mc.assurance_icon:
        target = f"{format_number(m.target, places=2)}{unit}"
        text += {
            "consistent_pass": f", and it will consistently meet the target of {target}",
            "consistent_fail": f", and it will consistently miss the target of {target} unless something changes",
            "inconsistent": f", and it will sometimes meet and sometimes miss the target of {target}",
        }[mc.assurance_icon]
    text += "."
    if mc.provisional:
        text += " The limits are provisional: fewer than 12 points."
    return text


def _undrawable(measure: Measure, values: list, recalculations: list[Recalculation], why: str) -> MeasureChart:
    stored = [
        StoredValue(
            period=period,
            period_text=period_text(measure.frequency, period),
            value=value,
            problem=measure_number_problem(value),
        )
        for period, value, _ in values
    ]
    return MeasureChart(
        measure=measure,
        chart=spc.xmr([], improvement=measure.improvement),
        points=[],
        recalculations=recalculations,
        problem=f"{CANNOT_BE_DRAWN}: {why}",
        stored=stored,
    )


def _finite_figures(chart: spc.Chart) -> bool:
    return all(
        math.isfinite(v)
        for p in chart.points
        for v in (p.value, p.mean, p.lower, p.upper, p.near_lower, p.near_upper)
        if v is not None
    )


def build_chart(
    measure: Measure, values: list[tuple[datetime.date, float, int | None]], recalculations: list[Recalculation]
) -> MeasureChart:
    """The SPC chart of one measure from its values (period, value, id) in period order.

    A value or target outside the range the services accept (stored before the rule existed) would make
    the maths overflow or the chart's scale fail: that measure alone gets no chart, and says why, so every
    page, pack, update and open-data file listing it beside others still stands (issue 28, finding 3).
    """
    if any(measure_number_problem(v) for _, v, _ in values):
        return _undrawable(
            measure,
            values,
            recalculations,
            "a stored value is outside the range a value may take, until it is corrected.",
        )
    if measure.target is not None and measure_number_problem(measure.target):
        return _undrawable(
            measure, values, recalculations, "the target is outside the range a value may take, until it is corrected."
        )
    rebase_periods = {r.period for r in recalculations}
    rebase = [i for i, (period, _, _) in enumerate(values) if period in rebase_periods]
    chart = spc.xmr(
        [v for _, v, _ in values],
        improvement=measure.improvement,
        target=measure.target,
        rebase=rebase,
        baseline_points=measure.baseline_points,
        screen_outliers=measure.screen_outliers,
    )
    if not _finite_figures(chart):
        return _undrawable(measure, values, recalculations, "its mean or limits are not finite numbers.")
    points = [
        ChartPoint(period=period, period_text=period_text(measure.frequency, period), value=value, point=p, value_id=pk)
        for (period, value, pk), p in zip(values, chart.points, strict=True)
    ]
    return MeasureChart(measure=measure, chart=chart, points=points, recalculations=recalculations)


def charts_for(measures: list[Measure], *, until: datetime.date | None = None) -> list[MeasureChart]:
    """Charts for these measures: two queries, whatever their number. `until`: only values for periods
    starting on or before that date (a published update's month).
    """
    ids = [m.pk for m in measures]
    values: dict[int, list] = {pk: [] for pk in ids}
    rows = MeasureValue.objects.filter(measure_id__in=ids)
    if until is not None:
        rows = rows.filter(period__lte=until)
    for measure_id, period, value, pk in rows.order_by("measure_id", "period").values_list(
        "measure_id", "period", "value", "pk"
    ):
        values[measure_id].append((period, value, pk))
    recalculations: dict[int, list] = {pk: [] for pk in ids}
    for r in Recalculation.objects.filter(measure_id__in=ids).order_by("measure_id", "period"):
        recalculations[r.measure_id].append(r)
    return [build_chart(m, values[m.pk], recalculations[m.pk]) for m in measures]


def _measures(*, public_only: bool, pillar=None, theme=None) -> QuerySet[Measure]:
    measures = Measure.objects.all()
    if public_only:
        measures = measures.public()
    if pillar is not None:
        measures = measures.filter(pillars=pillar)
    if theme is not None:
        measures = measures.filter(themes=theme)
    return measures.order_by("name", "pk").distinct()


def measures_summary(*, public_only: bool, pillar=None, theme=None) -> list[MeasureChart]:
    """The Making Data Count summary: each measure with its latest value, target and icons."""
    return charts_for(list(_measures(public_only=public_only, pillar=pillar, theme=theme)))


def measures_summary_page(*, public_only: bool, number, per_page: int) -> tuple[Page, list[MeasureChart]]:
    """One page of the summary: only that page's measures are charted (a fixed number of queries)."""
    page = Paginator(_measures(public_only=public_only), per_page).get_page(number)
    return page, charts_for(list(page.object_list))


def measure_for_slug(*, slug: str, public_only: bool) -> Measure | None:
    measures = Measure.objects.public() if public_only else Measure.objects.all()
    return (
        measures.filter(slug=slug)
        .prefetch_related(
            "pillars",
            "themes",
            "goals",
            Prefetch("actions", queryset=_linked_actions(public_only=public_only)),
        )
        .first()
    )


def _linked_actions(*, public_only: bool):
    actions = Action.objects.select_related("pillar").order_by("reference")
    return actions.public() if public_only else actions


def measure_chart(measure: Measure, *, page=None) -> MeasureChart:
    """The measure's chart; `page` (the request's text, or None) picks which POINTS_PER_PAGE points it
    shows, 1 the latest: out of range or not a number, the nearest page."""
    mc = charts_for([measure])[0]
    try:
        number = int(page) if page is not None else 1
    except ValueError:
        number = 1
    mc.page = min(max(number, 1), mc.pages)
    return mc


def points_page(mc: MeasureChart) -> Page:
    """The page of points shown, as a Page for {% pagination %}: page 1 the latest points, 2 those before."""
    return Paginator(range(mc.pages), 1).page(mc.page)


def measure_value_history(measure: Measure, *, shown: list[ChartPoint] | None = None) -> list:
    """Every version of this measure's values (corrections among them), newest first, with who and when;
    only those of the periods `shown` when given (one page of a long series)."""
    records = MeasureValue.history.filter(measure_id=measure.pk)
    if shown:
        records = records.filter(period__gte=shown[0].period, period__lte=shown[-1].period)
    return list(records.select_related("history_user", "entered_by").order_by("period", "-history_date", "-history_id"))


def measure_value_for_user(*, measure: Measure, period: datetime.date) -> MeasureValue | None:
    return MeasureValue.objects.filter(measure=measure, period=period).first()


# --- Published updates and open data ---------------------------------------------------------------


def public_measures_frozen(period_end: datetime.date) -> list[dict]:
    """The public measures' figures and icons as of a published update's period, as plain JSON: values
    for periods starting on or before `period_end`. Frozen into the update's figures by reports.
    """
    frozen = []
    for mc in charts_for(list(_measures(public_only=True)), until=period_end):
        last = mc.latest
        frozen.append(
            {
                "slug": mc.measure.slug,
                "name": mc.measure.name,
                "unit": mc.measure.unit,
                "illustrative": mc.measure.illustrative,
                "improvement": mc.measure.improvement,
                "target": mc.target,
                "period": last.period_text if last else None,
                "value": last.value if last else None,
                "mean": last.point.mean if last else None,
                "lower": last.point.lower if last else None,
                "upper": last.point.upper if last else None,
                "variation_icon": mc.variation_icon,
                "variation_words": mc.variation_words,
                "assurance_icon": mc.assurance_icon,
                "assurance_words": mc.assurance_words,
                "reading": mc.reading,
                "problem": mc.problem,
            }
        )
    return frozen


def open_data_point(point: ChartPoint) -> dict:
    return {
        "period": point.period_text,
        "value": point.value,
        "mean": point.point.mean,
        "lower": point.point.lower,
        "upper": point.point.upper,
        "point_type": point.point.point_type,
    }


def open_data_measure(mc: MeasureChart) -> dict:
    """The JSON contract: slug name unit improvement target variation_icon assurance_icon points[...]. A
    measure whose figures cannot be drawn (mc.problem) has no points and no icons, never Infinity or NaN.
    """
    m = mc.measure
    return {
        "slug": m.slug,
        "name": m.name,
        "unit": m.unit,
        "improvement": m.improvement,
        "target": mc.target,
        "variation_icon": mc.variation_icon,
        "assurance_icon": mc.assurance_icon,
        "points": [open_data_point(p) for p in mc.points],
    }


OPEN_DATA_CSV_COLUMNS = [
    "measure",
    "name",
    "unit",
    "improvement",
    "target",
    "period",
    "value",
    "mean",
    "lower",
    "upper",
    "point_type",
]


def open_data_measure_rows() -> list[list]:
    """Every public value with its mean, limits and point type, measure by measure."""
    rows = []
    for mc in measures_summary(public_only=True):
        m = mc.measure
        for p in mc.points:
            d = open_data_point(p)
            rows.append(
                [m.slug, m.name, m.unit, m.improvement, mc.target, d["period"], d["value"], d["mean"]]
                + [d["lower"], d["upper"], d["point_type"]]
            )
    return rows


def frequency_words(frequency: str) -> str:
    return Frequency(frequency).label
