"""Server-rendered SVG line charts: the geometry a template needs, so a chart works with no JavaScript.

Each chart carries its own text alternative (a sentence saying what the line shows); the page also
shows the same figures in a table, and points carry their value as text, so nothing rests on colour.
"""

import datetime
from dataclasses import dataclass, field


@dataclass
class ChartPoint:
    x: float
    y: float
    month: datetime.date
    value: int


@dataclass
class LineChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    # Each segment is a run of consecutive months with figures, as an SVG `points` string; a month
    # without a snapshot breaks the line rather than drawing a line through a guess.
    segments: list[str] = field(default_factory=list)
    points: list[ChartPoint] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        return bool(self.points)


def _describe(subject: str, months: list[datetime.date], values: list[int | None]) -> str:
    known = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    period = f"{months[0]:%B %Y} to {months[-1]:%B %Y}"
    if not known:
        return f"{subject}: no figures recorded from {period}."
    (first_month, first), (last_month, last) = known[0], known[-1]
    if len(known) == 1:
        return f"{subject}: {last}% in {last_month:%B %Y}, the only month with figures from {period}."
    if last > first:
        movement = f"rose from {first}% in {first_month:%B %Y} to {last}% in {last_month:%B %Y}"
    elif last < first:
        movement = f"fell from {first}% in {first_month:%B %Y} to {last}% in {last_month:%B %Y}"
    else:
        movement = f"was {last}% in both {first_month:%B %Y} and {last_month:%B %Y}"
    low, high = min(v for _, v in known), max(v for _, v in known)
    gaps = len(months) - len(known)
    missing = f" No figures for {gaps} of the {len(months)} months." if gaps else ""
    return f"{subject} {movement}, ranging between {low}% and {high}%.{missing}"


def percent_line_chart(
    *, title: str, subject: str, months: list[datetime.date], values: list[int | None], width: int = 360
) -> LineChart:
    """A 0–100% line over `months`, one value (or None: no figures) per month."""
    height = 200
    left, right, top, bottom = 40, width - 12, 12, height - 28
    chart = LineChart(
        title=title,
        description=_describe(subject, months, values),
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
    )
    step = (right - left) / max(len(months) - 1, 1)

    def x_of(n: int) -> float:
        return round(left + n * step, 1)

    def y_of(value: int) -> float:
        return round(bottom - (bottom - top) * value / 100, 1)

    chart.y_ticks = [(y_of(v), f"{v}%") for v in (0, 25, 50, 75, 100)]
    # Every other month labelled (first and last always), so twelve labels never collide.
    last = len(months) - 1
    chart.x_ticks = [(x_of(n), f"{month:%b}") for n, month in enumerate(months) if n % 2 == last % 2 or n == 0]
    run: list[str] = []
    for n, (month, value) in enumerate(zip(months, values, strict=True)):
        if value is None:
            if run:
                chart.segments.append(" ".join(run))
            run = []
            continue
        point = ChartPoint(x=x_of(n), y=y_of(value), month=month, value=value)
        chart.points.append(point)
        run.append(f"{point.x},{point.y}")
    if run:
        chart.segments.append(" ".join(run))
    return chart
