"""The SPC engine against the reference implementations' own published test data.

NHSR = github.com/nhs-r-community/NHSRplotthedots (the reference we follow), tests/testthat/...
NHSPY = github.com/nhs-pycom/nhspy-plotthedots, tests/unittests/...
Each test names the file and test its expected numbers come from. Where the two disagree we follow
NHSRplotthedots and say so.
"""

import pytest

from measures import spc

# NHSR tests/testthat/test-ptd_spc_standard.R: set.seed(123); y <- rnorm(20) (these are those 20 numbers,
# as printed in tests/testthat/_snaps/ptd_spc_standard.md and R's own rnorm output).
RNORM_123 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]
# The snapshot prints 7 significant figures.
SNAPSHOT = pytest.approx


def _limits(chart):
    p = chart.points[0]
    return p.mean, p.lower, p.upper


# --- NHSR tests/testthat/test-ptd_spc_standard.R, "it returns expected values" (_snaps/ptd_spc_standard.md)


def test_mean_and_limits_match_the_reference_snapshot():
    mean, lower, upper = _limits(spc.xmr(RNORM_123))
    assert mean == SNAPSHOT(0.1416238, abs=5e-8)
    assert lower == SNAPSHOT(-3.01138, abs=5e-6)
    assert upper == SNAPSHOT(3.294627, abs=5e-7)


def test_an_outlying_moving_range_is_screened_out_before_the_limits():
    y = list(RNORM_123)
    y[14] = 10  # data$y[15] <- 10
    mean, lower, upper = _limits(spc.xmr(y))
    assert mean == SNAPSHOT(0.6694159, abs=5e-8)
    assert lower == SNAPSHOT(-2.383666, abs=5e-7)
    assert upper == SNAPSHOT(3.722497, abs=5e-7)


def test_without_screening_the_outlying_moving_range_widens_the_limits():
    y = list(RNORM_123)
    y[14] = 10
    mean, lower, upper = _limits(spc.xmr(y, screen_outliers=False))
    assert mean == SNAPSHOT(0.6694159, abs=5e-8)
    assert lower == SNAPSHOT(-4.596625, abs=5e-7)
    assert upper == SNAPSHOT(5.935457, abs=5e-7)


def test_relative_to_mean_matches_the_reference_snapshot():
    # _snaps/ptd_spc_standard.md, r1: relative_to_mean -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1, ...
    chart = spc.xmr(RNORM_123)
    assert [p.relative_to_mean for p in chart.points[:15]] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert not any(p.close_to_limits for p in chart.points[:8])
    # _snaps/ptd_spc.md: n 20, common_cause 20, special_cause_improvement 0.
    assert [p.point_type for p in chart.points] == ["common_cause"] * 20


def test_a_baseline_fixes_the_limits_on_the_first_points():
    # "setting fix_after_n_points changes the calculations": limits from the first 12 points only.
    whole = spc.xmr(RNORM_123)
    fixed = spc.xmr(RNORM_123, baseline_points=12)
    assert fixed.points[0].lower != whole.points[0].lower
    assert fixed.points[0].mean == pytest.approx(sum(RNORM_123[:12]) / 12)
    assert {p.mean for p in fixed.points} == {fixed.points[0].mean}  # the later points are judged against it


def test_a_recalculation_starts_a_new_group_of_ten_and_ten():
    # "it sets the rebase_group field": rebase = c(rep(0, 10), 1, rep(0, 9)) gives groups 0 x10, 1 x10.
    chart = spc.xmr(RNORM_123, rebase=[10])
    assert [p.group for p in chart.points] == [0] * 10 + [1] * 10
    assert chart.points[0].mean == pytest.approx(sum(RNORM_123[:10]) / 10)
    assert chart.points[10].mean == pytest.approx(sum(RNORM_123[10:]) / 10)
    # The moving range across the recalculation is not a moving range of either group.
    ranges = [abs(b - a) for a, b in zip(RNORM_123[10:], RNORM_123[11:], strict=False)]
    assert chart.points[10].upper == pytest.approx(sum(RNORM_123[10:]) / 10 + 2.66 * sum(ranges) / len(ranges))


def test_a_rebase_on_the_first_point_changes_nothing():
    # _snaps/ptd_spc.md: rebase at '2020-01-01' (the first date) gives the same 0.142, -3.01, 3.29.
    assert _limits(spc.xmr(RNORM_123, rebase=[0])) == _limits(spc.xmr(RNORM_123))


def test_two_points_close_to_the_limits_on_opposite_sides_are_common_cause():
    # "it only reports special cause for 2 of 3 points close to limits when they are on the same side".
    y = [1, -1] * 8
    y[14], y[15] = 5.5, -5.5
    chart = spc.xmr(y)
    assert [p.point_type for p in chart.points[-2:]] == ["common_cause", "common_cause"]


# --- NHSR tests/testthat/test-ptd_calculate_point_type.R ----------------------------------------


def test_seven_point_one_side_mean_as_the_reference():
    # "ptd_seven_point_one_side_mean works as expected"
    assert spc.seven_point_one_side_mean([]) == []
    assert spc.seven_point_one_side_mean([1] * 6) == [0] * 6
    assert spc.seven_point_one_side_mean([1] * 6 + [-1]) == [0] * 7
    assert spc.seven_point_one_side_mean([1] * 8 + [-1]) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert spc.seven_point_one_side_mean([-1] * 8 + [1]) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    # "ptd_part_of_seven_trend works as expected"
    assert spc.seven_point_one_side_mean([-1] + [1] * 8 + [-1]) == [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert spc.seven_point_one_side_mean([1] + [-1] * 8 + [1]) == [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]


def test_part_of_seven_marks_the_run_back_to_its_start():
    assert spc.part_of_seven([]) == []
    assert spc.part_of_seven([0] * 6) == [0] * 6
    assert spc.part_of_seven([0, 0, 0, 0, 0, 0, 0, 1, 1, 0]) == [0, 1, 1, 1, 1, 1, 1, 1, 1, 0]


def test_seven_point_trend_as_the_reference():
    # "ptd_seven_point_trend works as expected"
    assert spc.seven_point_trend([]) == []
    assert spc.seven_point_trend([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert spc.seven_point_trend([1, 2, 3, 3, 4, 5, 6]) == [0] * 7  # a tie breaks the trend
    assert spc.seven_point_trend([1, 2, 3, 4, 5, 6, 7]) == [0, 0, 0, 0, 0, 0, 1]  # 7 points, the first included
    assert spc.seven_point_trend([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert spc.seven_point_trend([7, 6, 5, 4, 3, 2, 1]) == [0, 0, 0, 0, 0, 0, -1]
    assert spc.seven_point_trend([2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0, 0, 0, 0, 0, 0, 0, -1, 0]


def test_two_in_three_as_the_reference():
    # "ptd_two_in_three works as expected": every point on the same side (rtm all 1).
    def two(close):
        return spc.two_in_three([bool(c) for c in close], [1] * len(close))

    assert two([]) == []
    assert two([0, 0, 0]) == [0, 0, 0]
    assert two([1, 0, 1]) == two([0, 1, 1]) == two([1, 1, 0]) == [1, 1, 1]
    assert two([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 1, 1, 0, 0]
    assert two([0, 0, 1, 1, 0, 0, 0]) == [0, 1, 1, 1, 1, 0, 0]


def test_part_of_two_in_three_flags_only_the_points_beyond_two_sigma():
    # "ptd_part_of_two_in_three works as expected"
    def part(close):
        c = [bool(x) for x in close]
        return spc.part_of_two_in_three(spc.two_in_three(c, [1] * len(c)), c)

    assert part([1, 0, 1]) == [1, 0, 1]
    assert part([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 0, 1, 0, 0]
    assert part([1, 0, 0, 1]) == [0, 0, 0, 0]
    assert part([1, 0, 0, 1, 1]) == [0, 0, 0, 1, 1]


# --- NHSR tests/testthat/test-ptd_calculate_assurance_type.R -----------------------------------


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        # "it returns correct values for assurance when improvement_direction is increase"
        ("increase", ["consistent_fail", "consistent_pass", "inconsistent"]),
        # "... is decrease"
        ("decrease", ["consistent_pass", "consistent_fail", "inconsistent"]),
        # "... is neutral": no assurance, whatever the target
        ("neutral", [None, None, None]),
    ],
)
def test_assurance_from_the_target_against_the_limits(improvement, expected):
    limits = [(1, 3), (5, 7), (1, 5)]  # lpl, upl of facets a, b, c; target 4
    got = [spc.assurance_icon(target=4, lower=lo, upper=up, improvement=improvement) for lo, up in limits]
    assert got == expected


def test_no_target_no_assurance():
    # "it returns a column of NA's if there is no target"
    assert spc.assurance_icon(target=None, lower=1, upper=3, improvement="increase") is None
    assert spc.xmr(RNORM_123).assurance_icon is None


def test_assurance_is_read_from_the_latest_limits_after_a_recalculation():
    # "it returns correct values for assurance when rebase": the last row's limits decide.
    y = [10, 11, 10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20, 21]
    chart = spc.xmr(y, rebase=[8], target=15, improvement="increase")
    assert chart.points[-1].lower > 15
    assert chart.assurance_icon == "consistent_pass"


# --- nhspy-plotthedots tests/unittests -------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "mean", "lower", "upper"),
    [
        # test_limits_calculations.py: test_increasing_trend, test_no_trend, test_small_input,
        # test_exact_seven_input, test_mixed_input, test_negative_input (mean, lpl, upl; no range is screened).
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 2.84, 8.16),
        ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2], 2.7, 0.040000000000000036, 5.36),
        ([1, 2, 3], 2.0, -0.6600000000000001, 4.66),
        ([3, 1, 4, 1, 5, 9, 2], 3.5714285714285716, -6.625238095238096, 13.768095238095238),
        ([1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2], 3.0, -0.014666666666666828, 6.014666666666667),
        (
            [-1, -2, -3, -2, -1, -2, -3, -4, -5, -6, -7, -4, -3, -2, -1, -2],
            -3.0,
            -6.014666666666667,
            0.014666666666666828,
        ),
    ],
)
def test_limits_as_nhspy_computes_them(values, mean, lower, upper):
    assert _limits(spc.xmr(values)) == pytest.approx((mean, lower, upper), rel=1e-12, abs=1e-12)


def test_near_limits_as_nhspy_computes_them():
    # test_limits_calculations.py, test_increasing_trend: nlpl 3.7266666666666666, nupl 7.273333333333333
    p = spc.xmr(list(range(1, 11))).points[0]
    assert (p.near_lower, p.near_upper) == pytest.approx((3.7266666666666666, 7.273333333333333), rel=1e-12)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # test_seven_point_trend.py: the same as NHSR's ptd_seven_point_trend.
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]),
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [0, 0, 0, 0, 0, 0, -1, -1, -1, -1]),
        ([1, 2, 3, 4, 5, 4, 3, 2, 1, 2], [0] * 10),
        ([1, 2, 3], [0, 0, 0]),
        (list(range(20)), [0] * 6 + [1] * 14),
        ([1] * 7, [0] * 7),
        ([1, 2, 3, 2, 1, 2, 3, 4, 5, 6, 7, 4, 3, 2, 1, 2], [0] * 10 + [1] + [0] * 5),
        ([-1, -2, -3, -2, -1, -2, -3, -4, -5, -6, -7, -4, -3, -2, -1, -2], [0] * 10 + [-1] + [0] * 5),
    ],
)
def test_seven_point_trend_as_nhspy(values, expected):
    assert spc.seven_point_trend(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # test_seven_point_one_side_mean.py
        ([1] * 7, [0] * 6 + [1]),
        ([-1] * 7, [0] * 6 + [1]),
        ([-1, 0, 1, 0, -1, 0, 1], [0] * 7),
        ([1, 0, -1], [0, 0, 0]),
        ([1] * 10 + [-1] * 10, [0] * 6 + [1] * 4 + [0] * 6 + [1] * 4),
        # test_zero: nhspy counts 7 points ON the mean as a run ([True] * 7). NHSRplotthedots does not
        # (`vp[[i]] != 0`): a point on the mean breaks a run. We follow NHSRplotthedots.
        ([0] * 7, [0] * 7),
    ],
)
def test_seven_point_one_side_mean_as_nhspy_except_on_the_mean(values, expected):
    assert spc.seven_point_one_side_mean(values) == expected


def test_two_in_three_as_nhspy_large():
    # test_two_in_three.py, TestTwoInThree.test_large: every point beyond 2σ, sides as given.
    rtm = [
        -1, -1, -1, -1, -1, 0, -1, -1, 1, -1, 0, -1, -1, 0, 0, -1, 0, 1, -1, 1, -1, -1, 1, 0, -1, 1, 1,
        0, -1, -1, 0, -1, 0, 0, -1, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, 1, -1, 0, 1, 0, 0, 1, 1,
        1, -1, -1, 1, -1, 0, 1, -1, 1, 1, 0, -1, 1, 0, 0, 1, 0, 1, 1, 1, -1, 1, 1, 0, 1, 1, 1,
    ]  # fmt: skip
    expected = [1] * 5 + [0] * 47 + [1] * 3 + [0] * 16 + [1] * 3 + [0] * 4 + [1] * 3
    assert spc.two_in_three([True] * 81, rtm) == expected


@pytest.mark.parametrize(
    ("close", "rtm", "expected"),
    [
        ([True] * 3, [-1, -1, -1], [1, 1, 1]),  # test_negative
        ([True] * 3, [1, -1, 1], [0, 0, 0]),  # test_relative_to_mean
        ([False] * 3, [1, 1, 1], [0, 0, 0]),  # test_close_to_limits
    ],
)
def test_two_in_three_as_nhspy(close, rtm, expected):
    assert spc.two_in_three(close, rtm) == expected


def test_special_cause_flags_as_nhspy_except_on_the_mean():
    # test_special_cause_flag.py
    def flagged(values, outside, close, rtm):
        return [rule != "" for rule, _ in spc.special_cause_types(values, rtm, close, outside)]

    assert flagged([0, 0, 0], [True] * 3, [False] * 3, [0, 0, 0]) == [True] * 3  # test_outside_limits
    assert flagged([0] * 7, [False] * 7, [False] * 7, [1] * 7) == [True] * 7  # test_sevent_point_mean
    assert flagged([0] * 3, [False] * 3, [True] * 3, [1] * 3) == [True] * 3  # test_part_of_three
    # test_values: nhspy flags 7 equal values lying on the mean; NHSRplotthedots does not (no trend
    # with ties, no run on the mean). We follow NHSRplotthedots.
    assert flagged([1] * 7, [False] * 7, [False] * 7, [0] * 7) == [False] * 7


# --- Point types, precedence, icons, groups (the reference's semantics, on data built here) -------


def test_precedence_outside_over_trend_over_two_in_three_over_shift():
    # A point met by a trend and by a shift is typed by the trend (NHSR ptd_special_cause_type).
    rtm = [1] * 7
    values = [1, 2, 3, 4, 5, 6, 7]
    types = spc.special_cause_types(values, rtm, [False] * 6 + [True], [True] + [False] * 6)
    assert types[0] == ("outside", spc.ABOVE)
    assert types[1] == ("trend", spc.INCREASING)
    assert types[6] == ("trend", spc.INCREASING)
    shift_only = spc.special_cause_types([5, 4, 5, 4, 5, 4, 5], rtm, [True, False, True] + [False] * 4, [False] * 7)
    assert [rule for rule, _ in shift_only] == ["two_in_three", "shift", "two_in_three"] + ["shift"] * 4


def test_a_falling_trend_is_an_improvement_when_lower_is_better():
    y = [50, 50, 51, 50, 51, 50, 50, 51, 50, 51, 50, 49, 48, 47, 46, 45, 44]
    chart = spc.xmr(y, improvement="decrease")
    assert chart.points[-1].rule == "outside" or chart.points[-1].rule == "trend"
    assert chart.points[-1].point_type == "special_cause_improvement"
    assert chart.variation_icon == "improvement_low"
    rising = spc.xmr(y, improvement="increase")
    assert rising.points[-1].point_type == "special_cause_concern"
    assert rising.variation_icon == "concern_low"
    neutral = spc.xmr(y, improvement="neutral")
    assert neutral.points[-1].point_type == "special_cause_neutral_low"
    assert neutral.variation_icon == "neutral_low"


def test_variation_icons_for_each_last_point_type():
    assert spc.variation_icon("common_cause", "increase") == "common_cause"
    assert spc.variation_icon("special_cause_improvement", "increase") == "improvement_high"
    assert spc.variation_icon("special_cause_improvement", "decrease") == "improvement_low"
    assert spc.variation_icon("special_cause_concern", "increase") == "concern_low"
    assert spc.variation_icon("special_cause_concern", "decrease") == "concern_high"
    assert spc.variation_icon("special_cause_neutral_high", "neutral") == "neutral_high"
    assert spc.variation_icon(None, "increase") is None


def test_rules_never_run_across_a_recalculation():
    # Seven points at 9.6 above the mean, but a recalculation after the sixth: no run of seven in either group.
    y = [10, 9] * 6 + [9.6] * 7 + [5, 6] * 4
    joined = spc.xmr(y)
    split = spc.xmr(y, rebase=[18])
    assert [p.rule for p in joined.points[12:19]] == ["shift"] * 7
    assert [p.point_type for p in split.points[:18]] == ["common_cause"] * 18
    assert all(p.group == 1 for p in split.points[18:])


def test_fewer_than_twelve_points_make_the_limits_provisional():
    assert spc.xmr([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).short_groups
    assert not spc.xmr(list(range(12))).short_groups
    assert spc.xmr(list(range(24)), rebase=[20]).short_groups  # the last group has 4


def test_one_point_has_no_limits_and_no_special_cause():
    chart = spc.xmr([42.0])
    assert chart.points[0].lower is None and chart.points[0].point_type == "common_cause"
    assert chart.variation_icon == "common_cause"


def test_values_are_used_exactly_as_given():
    chart = spc.xmr([0.1 + 0.2, 0.30000000000000004, 1.2345678901234567])
    assert chart.points[0].value == 0.30000000000000004
    assert chart.points[2].value == 1.2345678901234567


def test_an_unknown_improvement_direction_is_refused():
    with pytest.raises(ValueError, match="improvement"):
        spc.xmr([1, 2, 3], improvement="up")
