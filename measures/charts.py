"""The SPC chart as server-rendered SVG geometry: the points, the mean and limits of each group (a step at
each recalculation), the target, and a mark for each special cause in shape and words as well as colour.

The page shows the same figures in a table and the chart in one sentence, so nothing rests on the picture:
the drawing is hidden from screen readers, its figure's caption is its one text alternative.

Text in an SVG scales with it, so a page draws the chart once per width band (VARIANTS), each laid out in
its own units at about the size it is shown: its text is then at least the body size, its plotted height
has a floor, and its x labels are thinned so that, at its own font size, no two of them overlap.
"""

import math
from dataclasses import dataclass, field

from measures import spc
from measures.selectors import MeasureChart, format_number
from secamb_journey.periods import period_words

# Special-cause colours from the Making Data Count palette; each point also has a shape and a tooltip
# in words, and the table says the same.
POINT_STYLE = {
    spc.COMMON_CAUSE: ("#768692", "circle"),
    spc.IMPROVEMENT: ("#005eb8", "square"),
    spc.CONCERN: ("#d5281b", "diamond"),
    spc.NEUTRAL_HIGH: ("#330072", "square"),
    spc.NEUTRAL_LOW: ("#330072", "square"),
}


@dataclass
class SvgPoint:
    x: float
    y: float
    colour: str
    shape: str
    title: str
    diamond: str = ""


@dataclass
class SvgLine:
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class Variant:
    """A width band's drawing: its size in its own units (about the pixels it is shown at at the band's
    narrowest) and its font size (the NHS.UK body size there). `name` is its CSS class suffix.
    """

    name: str
    width: int
    height: int
    font: int


# NHS.UK breakpoints: below 641 px the content is 288 to 608 px wide and the body text 16 px; from 641 px,
# 577 to 926 px and 19 px; from 990 px, 926 to 960 px. Each band's drawing scales up, never down.
VARIANTS = (
    Variant("mobile", 288, 240, 16),
    Variant("tablet", 576, 320, 19),
    Variant("desktop", 928, 360, 19),
)
# The board pack's single drawing: A4's text width at the pack's 9.5 pt body.
PACK_VARIANT = Variant("pack", 640, 300, 14)
# A label's width, per character, as a share of its font size (Frutiger and Arial digits are 0.55 em):
# generous, so that labels estimated not to touch do not.
CHAR_EM = 0.62


@dataclass
class SpcSvg:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    font: int = 16
    name: str = ""
    line: str = ""
    points: list[SvgPoint] = field(default_factory=list)
    means: list[SvgLine] = field(default_factory=list)
    lowers: list[SvgLine] = field(default_factory=list)
    uppers: list[SvgLine] = field(default_factory=list)
    target: SvgLine | None = None
    recalculations: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round numbers spanning low..high. The values are bounded (measures.services), so the
    span is finite and above zero; the guard keeps a chart of anything else to one tick, never a 500.
    """
    span = high - low or abs(high) or 1.0
    raw = span / count
    if not (math.isfinite(raw) and raw > 0):
        return [low]
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    if step <= 0:
        return [low]
    first = math.floor(low / step)
    # Each tick from its index (no running sum to drift), rounded to the step's own decimals.
    places = max(0, 3 - math.floor(math.log10(step)))
    ticks = []
    for i in range(12):
        t = (first + i) * step
        if t > high + step / 2:
            break
        ticks.append(round(t, places))
    return ticks or [low]


def text_width(text: str, font: int) -> float:
    return len(text) * CHAR_EM * font


def thinned(count: int, *, spacing: float, widest: float, font: int) -> list[int]:
    """Which of `count` evenly spaced labels to draw, the latest always: every step-th back from it, the
    step the smallest that leaves at least half an em between the widest labels.
    """
    step = max(1, math.ceil((widest + font / 2) / spacing)) if spacing > 0 else count
    return [i for i in range(count) if (count - 1 - i) % step == 0]


def _draw_points(svg: SpcSvg, shown, unit: str, x_of, y_of) -> None:
    for i, p in enumerate(shown):
        colour, shape = POINT_STYLE[p.point_type]
        x, y = x_of(i), y_of(p.value)
        title = f"{p.period_words}: {format_number(p.value, places=2)} {unit}. {p.point_type_words}"
        if p.rule_words:
            title += f" ({p.rule_words})"
        svg.points.append(
            SvgPoint(
                x=x,
                y=y,
                colour=colour,
                shape=shape,
                title=title,
                diamond=f"{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}",
            )
        )


def _draw_groups(svg: SpcSvg, mc: MeasureChart, x_of, y_of) -> None:
    """One horizontal segment per group for the mean and each limit, half a step either side of its points."""
    shown, offset, n = mc.shown, mc.shown_from, len(mc.shown)
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(shown):
        groups.setdefault(p.point.group, []).append(i)
    for indexes in groups.values():
        first, last = indexes[0], indexes[-1]
        x1, x2 = x_of(max(first - 0.5, 0)), x_of(min(last + 0.5, n - 1))
        point = shown[first].point
        if point.mean is not None:
            svg.means.append(SvgLine(x1, x2, y_of(point.mean)))
        if point.lower is not None:
            svg.lowers.append(SvgLine(x1, x2, y_of(point.lower)))
            svg.uppers.append(SvgLine(x1, x2, y_of(point.upper)))
        # A group that starts before the page shown was not recalculated where the page starts.
        if offset + first > 0 and mc.points[offset + first - 1].point.group != point.group:
            svg.recalculations.append((x_of(first - 0.5), shown[first].period_words))


def spc_svg(mc: MeasureChart, variant: Variant = VARIANTS[-1]) -> SpcSvg:
    width, height, font = variant.width, variant.height, variant.font
    svg = SpcSvg(width=width, height=height, left=0, right=width, top=0, bottom=height, font=font, name=variant.name)
    shown = mc.shown
    if not shown or mc.problem:
        return svg
    numbers = [p.value for p in shown]
    for p in shown:
        numbers += [v for v in (p.point.lower, p.point.upper, p.point.mean) if v is not None]
    if mc.measure.target is not None:
        numbers.append(mc.measure.target)
    ticks = _nice_ticks(min(numbers), max(numbers), count=4 if height < 300 else 5)
    low, high = min(ticks[0], min(numbers)), max(ticks[-1], max(numbers))
    span = (high - low) or 1.0
    n = len(shown)
    y_labels = [format_number(t, places=1) for t in ticks]
    x_labels = [period_words(p.period_text, short=True) for p in shown]
    # Room for the y labels on the left, and for half the first and last x label at either end.
    left = round(max(max(text_width(t, font) for t in y_labels) + font / 2, text_width(x_labels[0], font) / 2 + 2), 1)
    right = round(width - max(font / 2, text_width(x_labels[-1], font) / 2 + 2), 1)
    top, bottom = round(font * 1.2, 1), round(height - font * 2, 1)
    svg.left, svg.right, svg.top, svg.bottom = left, right, top, bottom
    step = (right - left) / max(n - 1, 1)

    def x_of(i: float) -> float:
        return round(left + i * step, 1)

    def y_of(v: float) -> float:
        return round(bottom - (bottom - top) * (v - low) / span, 1)

    svg.y_ticks = [(y_of(t), label) for t, label in zip(ticks, y_labels, strict=True)]
    widest = max(text_width(label, font) for label in x_labels)
    svg.x_ticks = [(x_of(i), x_labels[i]) for i in thinned(n, spacing=step, widest=widest, font=font)]
    svg.line = " ".join(f"{x_of(i)},{y_of(p.value)}" for i, p in enumerate(shown))
    _draw_points(svg, shown, mc.measure.unit, x_of, y_of)
    _draw_groups(svg, mc, x_of, y_of)
    if mc.measure.target is not None:
        svg.target = SvgLine(left, right, y_of(mc.measure.target))
    return svg
