"""The XmR (individuals) chart as NHSRplotthedots computes it, with its defaults: pure Python, no Django.

Reference: the NHS-R Community's NHSRplotthedots (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R, R/geom_ptd_icon.R, R/ptd_add_short_group_warnings.R). Each function
below names the reference function it follows; where a line of the reference is subtle, the comment says
what it does, so the next reader need not open R to check.

- Mean of the points; limits at mean ± 2.66 × the mean moving range; "near" limits (the 2σ lines) at
  mean ± (2 × 2.66 / 3) × the mean moving range.
- Moving ranges ≥ 3.267 × their mean are screened out before the limits (`screen_outliers`, on by default).
- Recalculation ("rebase") points start a new group: mean, moving ranges, limits and every rule are
  computed within a group, never across one (the first moving range of a group is not a range at all).
- A baseline (`baseline_points`, the reference's fix_after_n_points) fixes each group's mean and limits
  on its first N points; the rules still run over every point.
- Special causes: outside the limits; a run of 7 points on one side of the mean (a point on the mean
  breaks it); a run of 7 rising or falling (6 rises in a row: a tie breaks it); 2 of 3 points beyond the
  2σ line on the same side (only points between the 2σ line and the limits count, and only those points
  are flagged). Precedence when a point meets several: outside > trend > 2-of-3 > shift.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

LIMIT = 2.66
NEAR_LIMIT = 2 * (LIMIT / 3)
SCREEN_FACTOR = 3.267
# ptd_add_short_group_warnings: fewer points than this in a group and its limits are provisional.
WARNING_THRESHOLD = 12

INCREASE, DECREASE, NEUTRAL = "increase", "decrease", "neutral"
DIRECTIONS = {INCREASE: 1, DECREASE: -1, NEUTRAL: 0}

COMMON_CAUSE = "common_cause"
IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"
NEUTRAL_HIGH = "special_cause_neutral_high"
NEUTRAL_LOW = "special_cause_neutral_low"
POINT_TYPES = (COMMON_CAUSE, IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW)

VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")

# The reference's special cause types (ptd_special_cause_type), reduced to their direction.
ABOVE, BELOW, INCREASING, DECREASING, NONE = "above", "below", "increasing", "decreasing", ""


@dataclass(frozen=True)
class Point:
    index: int
    value: float
    group: int
    mean: float | None
    lower: float | None
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    relative_to_mean: int
    outside_limits: bool
    close_to_limits: bool
    rule: str  # "outside", "trend", "two_in_three", "shift" or "" (the rule that typed the point)
    direction: str  # ABOVE, BELOW, INCREASING, DECREASING or NONE
    point_type: str
    short_group: bool


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    improvement: str
    target: float | None
    variation_icon: str | None
    assurance_icon: str | None
    short_groups: bool  # some group has fewer than WARNING_THRESHOLD points: its limits are provisional

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


# --- The rules (R/ptd_calculate_point_type.R), each over one group's points ----------------------


def seven_point_one_side_mean(relative_to_mean: Sequence[int]) -> list[int]:
    """ptd_seven_point_one_side_mean: 1 at the 7th (and each later) point of a run of 7 on one side.
    A point on the mean (0) is never part of a run, and breaks one.
    """
    out, run, side = [], 0, 0
    for v in relative_to_mean:
        run = run + 1 if (v == side and v != 0) else 1
        side = v
        out.append(int(v != 0 and run >= 7))
    return out


def part_of_seven(marks: Sequence[int]) -> list[int]:
    """ptd_part_of_seven_trend: a point is part of a run when it, or one of the 6 points after it, ends one."""
    out, reach = [0] * len(marks), -1
    for i in range(len(marks) - 1, -1, -1):
        if abs(marks[i]) == 1:
            reach = i
        out[i] = int(reach != -1 and reach - i <= 6)
    return out


def seven_point_trend(values: Sequence[float]) -> list[int]:
    """ptd_seven_point_trend: 1 (rising) or -1 (falling) at a point that ends 7 points in a row each
    strictly above (below) the one before: 6 rises. Equal neighbours (a tie) break a trend.
    """
    y = list(values)
    if len(y) < 7:
        return [0] * len(y)
    out, run, direction = [0], 0, 0
    for i in range(1, len(y)):
        step = _sign(y[i] - y[i - 1])
        run = run + 1 if (step == direction and step != 0) else (1 if step != 0 else 0)
        direction = step
        out.append(step if run >= 6 else 0)
    return out


def two_in_three(close_to_limits: Sequence[bool], relative_to_mean: Sequence[int]) -> list[int]:
    """ptd_two_in_three: 1 where some window of 3 consecutive points holding this one has at least 2
    points beyond the 2σ line (close to the limits, not outside them) and all 3 on the same side of the
    mean. Windows reaching past either end of the group count the missing points as on the mean.
    """
    n = len(close_to_limits)
    close = [0, 0] + [int(bool(c)) for c in close_to_limits] + [0, 0]
    rtm = [0, 0] + [v if i < len(relative_to_mean) else 0 for i, v in enumerate(relative_to_mean)][:n]
    rtm += [0] * (n + 4 - len(rtm))
    # hits[k]: the window of padded points k, k+1, k+2 qualifies (it holds group points k-2 .. k).
    hits = [
        close[k] + close[k + 1] + close[k + 2] >= 2 and abs(rtm[k] + rtm[k + 1] + rtm[k + 2]) == 3 for k in range(n + 2)
    ]
    return [int(hits[i] or hits[i + 1] or hits[i + 2]) for i in range(n)]


def part_of_two_in_three(marks: Sequence[int], close_to_limits: Sequence[bool]) -> list[int]:
    """ptd_part_of_two_in_three: only the points beyond the 2σ line are flagged, not the third point."""
    return [int(m == 1 and bool(c)) for m, c in zip(marks, close_to_limits, strict=True)]


def special_cause_types(
    values: Sequence[float],
    relative_to_mean: Sequence[int],
    close_to_limits: Sequence[bool],
    outside_limits: Sequence[bool],
) -> list[tuple[str, str]]:
    """ptd_special_cause_type: (rule, direction) per point, with the precedence outside > trend >
    2-of-3 > shift.
    """
    y = list(values)
    n = len(y)
    trend = part_of_seven(seven_point_trend(y))
    two = part_of_two_in_three(two_in_three(close_to_limits, relative_to_mean), close_to_limits)
    shift = part_of_seven(seven_point_one_side_mean(relative_to_mean))
    steps = [_sign(y[i + 1] - y[i]) for i in range(n - 1)]
    result = []
    for i in range(n):
        rtm = relative_to_mean[i]
        above_or_below = ABOVE if rtm > 0 else BELOW
        if outside_limits[i]:
            result.append(("outside", ABOVE if rtm == 1 else BELOW))
        elif trend[i]:
            # The reference takes a trend point's direction from the step to its right when the next
            # point is part of a trend too, else from the step to its left.
            if i + 1 < n and trend[i + 1]:
                step = steps[i]
            else:
                step = steps[i - 1] if i > 0 else 0
            result.append(("trend", INCREASING if step == 1 else DECREASING))
        elif two[i]:
            result.append(("two_in_three", above_or_below))
        elif shift[i]:
            result.append(("shift", above_or_below))
        else:
            result.append(("", NONE))
    return result


def point_type(direction: str, improvement: str) -> str:
    """ptd_point_type: the direction of the special cause against the direction of improvement."""
    v = 1 if direction in (ABOVE, INCREASING) else -1 if direction in (BELOW, DECREASING) else 0
    if v == 0:
        return COMMON_CAUSE
    if improvement == NEUTRAL:
        return NEUTRAL_HIGH if v > 0 else NEUTRAL_LOW
    return IMPROVEMENT if v * DIRECTIONS[improvement] > 0 else CONCERN


def variation_icon(last_point_type: str | None, improvement: str) -> str | None:
    """ptd_get_icons (R/geom_ptd_icon.R): the variation icon is the last point's type."""
    if last_point_type is None:
        return None
    if last_point_type == COMMON_CAUSE:
        return "common_cause"
    if last_point_type == NEUTRAL_HIGH:
        return "neutral_high"
    if last_point_type == NEUTRAL_LOW:
        return "neutral_low"
    increasing = improvement == INCREASE
    if last_point_type == CONCERN:
        return "concern_low" if increasing else "concern_high"
    return "improvement_high" if increasing else "improvement_low"


def assurance_icon(*, target: float | None, lower: float | None, upper: float | None, improvement: str) -> str | None:
    """ptd_calculate_assurance_type: the target against the latest limits. None without a target, or
    for a neutral measure. A target beyond the limits is always (or never) met; between them, sometimes.
    """
    if target is None or improvement == NEUTRAL:
        return None
    increasing = improvement == INCREASE
    # The reference compares with NA limits (a group of one point) as neither: "inconsistent".
    if upper is not None and target > upper:
        return "consistent_fail" if increasing else "consistent_pass"
    if lower is not None and target < lower:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


# --- The chart (R/ptd_spc_standard.R) ------------------------------------------------------------


def group_limits(
    values: Sequence[float], *, baseline_points: int | None = None, screen_outliers: bool = True
) -> tuple[float | None, float | None]:
    """(mean, mean moving range) of one group, as ptd_spc_standard computes them: from the first
    `baseline_points` points when given, moving ranges screened when `screen_outliers`.
    """
    fixed = list(values[:baseline_points] if baseline_points else values)
    mean = _mean(fixed)
    ranges = [abs(b - a) for a, b in zip(fixed, fixed[1:], strict=False)]
    average_range = _mean(ranges)
    if screen_outliers and average_range is not None:
        # Kept: ranges strictly below 3.267 × their mean (a range at or above it is screened out).
        ranges = [r for r in ranges if r < SCREEN_FACTOR * average_range]
        average_range = _mean(ranges)
    return mean, average_range


def _group_points(
    ys: list[float], *, start: int, group: int, improvement: str, baseline_points, screen_outliers: bool
) -> list[Point]:
    """The points of one group (the values from `start` up to the next recalculation), with its limits."""
    short = len(ys) < WARNING_THRESHOLD
    mean, amr = group_limits(ys, baseline_points=baseline_points, screen_outliers=screen_outliers)
    if amr is None or mean is None:
        lower = upper = near_lower = near_upper = None
    else:
        lower, upper = mean - LIMIT * amr, mean + LIMIT * amr
        near_lower, near_upper = mean - NEAR_LIMIT * amr, mean + NEAR_LIMIT * amr
    rtm = [_sign(v - mean) for v in ys]
    if lower is None:
        outside = [False] * len(ys)
        close = [False] * len(ys)
    else:
        outside = [v > upper or v < lower for v in ys]
        close = [not o and (v < near_lower or v > near_upper) for v, o in zip(ys, outside, strict=True)]
    types = special_cause_types(ys, rtm, close, outside)
    points = []
    for offset, v in enumerate(ys):
        rule, direction = types[offset]
        points.append(
            Point(
                index=start + offset,
                value=v,
                group=group,
                mean=mean,
                lower=lower,
                upper=upper,
                near_lower=near_lower,
                near_upper=near_upper,
                relative_to_mean=rtm[offset],
                outside_limits=outside[offset],
                close_to_limits=close[offset],
                rule=rule,
                direction=direction,
                point_type=point_type(direction, improvement),
                short_group=short,
            )
        )
    return points


def xmr(
    values: Sequence[float],
    *,
    improvement: str = INCREASE,
    target: float | None = None,
    rebase: Sequence[int] = (),
    baseline_points: int | None = None,
    screen_outliers: bool = True,
) -> Chart:
    """The XmR chart of `values` (in time order). `rebase`: indexes of the points that start a new
    group (a recalculation); index 0 changes nothing, as in the reference.
    """
    if improvement not in DIRECTIONS:
        raise ValueError(f"improvement must be one of {', '.join(DIRECTIONS)}")
    y = [float(v) for v in values]
    starts = sorted({0, *(i for i in rebase if 0 < i < len(y))})
    bounds = list(zip(starts, [*starts[1:], len(y)], strict=True)) if y else []
    points: list[Point] = []
    short_groups = False
    for group, (start, end) in enumerate(bounds):
        short_groups = short_groups or len(y[start:end]) < WARNING_THRESHOLD
        points += _group_points(
            y[start:end],
            start=start,
            group=group,
            improvement=improvement,
            baseline_points=baseline_points,
            screen_outliers=screen_outliers,
        )
    last = points[-1] if points else None
    return Chart(
        points=points,
        improvement=improvement,
        target=target,
        variation_icon=variation_icon(last.point_type if last else None, improvement),
        assurance_icon=(
            assurance_icon(target=target, lower=last.lower, upper=last.upper, improvement=improvement) if last else None
        ),
        short_groups=short_groups,
    )
