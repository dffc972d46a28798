"""Statistics: interval properties (Hypothesis), known values, and paired numeric differences.

Paired proportions and the Holm adjustment are in test_batch_stats_paired.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.batch.stats import (
    describe_boolean,
    describe_categorical,
    describe_numeric,
    paired_difference,
    t_quantile,
    t_two_sided_p,
    wilson_interval,
)
from simulator.batch.summary import STANDARD_LABELS, headline, labels
from simulator.batch.workload import Layout

trials = st.integers(min_value=1, max_value=100_000)
# Beyond ~1e307 the spread of opposite-signed values overflows a float; metrics are hours and
# indices, so this range already goes far past anything a scenario produces.
reals = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False)
gaps = st.sampled_from([math.nan, math.inf, -math.inf])
with_gaps = st.one_of(reals, gaps)


@given(trials, st.data())
def test_wilson_interval_lies_in_unit_range_and_contains_the_estimate(
    n: int, data: st.DataObject
) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    assert lo < hi


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=2, max_value=50))
def test_wilson_interval_narrows_as_trials_grow(n: int, factor: int) -> None:
    k = n // 3
    lo, hi = wilson_interval(k, n)
    lo_more, hi_more = wilson_interval(k * factor, n * factor)
    assert hi_more - lo_more < hi - lo


def test_wilson_interval_known_values() -> None:
    # Reference: Wilson (1927) score interval, e.g. as tabulated by Newcombe (1998), case 81/263.
    lo, hi = wilson_interval(81, 263)
    assert (lo, hi) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.7062), (2, 4.3027), (5, 2.5706), (10, 2.2281), (30, 2.0423), (1000, 1.9623)],
)
def test_t_quantile_matches_tables(df: int, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)


def two_sided_p_by_series(t: float, df: float) -> float:
    """P(|T| >= t) = I_x(df/2, 1/2) with x = df / (df + t^2), by the hypergeometric series
    I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * sum_k (a+b)_k / (a+1)_k x^k, in logs so that the
    prefactor does not underflow: an implementation independent of SciPy's."""
    x, a, b = df / (df + t * t), df / 2.0, 0.5
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log_front = a * math.log(x) + b * math.log1p(-x) - math.log(a) - log_beta
    total = term = 1.0
    k = 0
    while term > 1e-18 * total:
        term *= (a + b + k) / (a + 1 + k) * x
        total += term
        k += 1
    return math.exp(log_front) * total


@pytest.mark.parametrize(("t", "df"), [(40.0, 999), (2.2281, 10), (12.0, 3), (100.0, 50)])
def test_two_sided_p_values_are_accurate_far_into_the_tail(t: float, df: int) -> None:
    # 1 - cdf cancels to exactly 0 beyond |t| ~ 8; the survival function keeps 1.24e-209.
    p = t_two_sided_p(t, df)
    assert p > 0.0
    assert p == pytest.approx(two_sided_p_by_series(t, df), rel=1e-10)
    assert t_two_sided_p(-t, df) == p


def test_t_p_value_at_the_tabulated_quantile_is_five_percent() -> None:
    assert t_two_sided_p(t_quantile(0.975, 10), 10) == pytest.approx(0.05, rel=1e-12)
    assert t_two_sided_p(0.0, 10) == 1.0


def assert_sound_description(values: list[float]) -> None:
    stats = describe_numeric(values)
    finite = [v for v in values if math.isfinite(v)]
    assert (stats.n, stats.missing) == (len(finite), len(values) - len(finite))
    if not finite:
        assert stats.mean is None
        return
    assert stats.min <= stats.mean <= stats.max
    assert list(stats.quantiles.values()) == sorted(stats.quantiles.values())
    assert set(stats.quantiles.values()) <= set(finite)
    if len(finite) > 1:
        lo, hi = stats.ci95
        assert lo <= stats.mean <= hi
        assert stats.sd >= 0.0


@given(st.lists(with_gaps, min_size=1, max_size=200))
def test_numeric_description_is_sound_for_any_floats(values: list[float]) -> None:
    assert_sound_description(values)


@given(reals, st.integers(min_value=1, max_value=300), st.lists(gaps, max_size=5))
def test_a_constant_is_summarised_as_exactly_that_constant(
    value: float, n: int, missing: list[float]
) -> None:
    stats = describe_numeric([value] * n + missing)
    assert stats.mean == value
    assert set(stats.quantiles.values()) == {value}
    if n > 1:
        assert stats.sd == 0.0
        assert stats.ci95 == (value, value)


@given(reals, st.lists(st.booleans(), min_size=2, max_size=200))
def test_near_constant_values_keep_the_mean_inside_the_data_and_its_interval(
    value: float, steps: list[bool]
) -> None:
    above = float(np.nextafter(value, math.inf))
    assert_sound_description([above if step else value for step in steps])


def test_a_constant_probability_is_not_reported_as_a_nearby_float() -> None:
    # np.mean gave 0.049999999999999996 here, with an interval that excluded 0.05.
    stats = describe_numeric([0.05] * 2000)
    assert (stats.mean, stats.sd, stats.ci95) == (0.05, 0.0, (0.05, 0.05))


def test_values_near_the_float_limit_do_not_overflow_the_mean_or_sd() -> None:
    assert describe_numeric([1.7e308, 1.7e308]).mean == 1.7e308
    stats = describe_numeric([1e308, 1e308, -1e308])
    assert stats.mean == pytest.approx(1e308 / 3, rel=1e-15)
    assert stats.sd == pytest.approx(1e308 * (2 / math.sqrt(3)), rel=1e-15)


def test_quantiles_are_the_smallest_value_whose_cdf_reaches_q() -> None:
    stats = describe_numeric([1.0, 2.0, 3.0, 4.0])
    # F(1) = 0.25, F(2) = 0.5, F(3) = 0.75: interpolation would give 2.5 for the median.
    assert stats.quantiles == {
        "p05": 1.0, "p10": 1.0, "p25": 1.0, "p50": 2.0, "p75": 3.0, "p90": 4.0, "p95": 4.0,
    }  # fmt: skip


def test_quantiles_use_the_exact_rank_whatever_the_count() -> None:
    # The rank is ceil(q n) computed exactly. numpy computes q n in floats, which for some q
    # (0.07 * 100 = 7.000000000000001) lands one rank too high; for the summary's seven q it
    # agrees with the exact rank (checked here, and offline for every n up to 10^7).
    for n in [*range(1, 401), 99_991, 100_000, 1_000_003]:
        values = np.arange(1.0, n + 1.0)
        quantiles = describe_numeric(values).quantiles
        for key, value in quantiles.items():
            rank = max(1, -(-n * int(key[1:]) // 100))
            assert value == values[rank - 1], (n, key)


def test_numeric_description_counts_missing_values() -> None:
    stats = describe_numeric([1.0, 2.0, 3.0, math.nan, math.nan])
    assert (stats.n, stats.missing, stats.mean) == (3, 2, 2.0)
    assert stats.ci95 == pytest.approx((2.0 - 2.4841, 2.0 + 2.4841), abs=1e-3)
    assert describe_numeric([math.nan]).mean is None
    single = describe_numeric([7.0])
    assert (single.mean, single.sd, single.ci95) == (7.0, None, None)


def test_boolean_description_is_a_proportion_with_its_wilson_interval() -> None:
    stats = describe_boolean([1.0, 0.0, 0.0, 1.0, math.nan])
    assert (stats.n, stats.successes, stats.proportion) == (4, 2, 0.5)
    assert stats.ci95 == wilson_interval(2, 4)


def test_categorical_description_counts_each_category_in_order() -> None:
    stats = describe_categorical(["b", "a", "b", None])
    assert list(stats.categories) == ["a", "b"]
    assert stats.categories["b"].count == 2
    assert stats.missing == 1


@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=100))
def test_paired_difference_of_identical_samples_is_zero_with_zero_width(
    values: list[float],
) -> None:
    diff = paired_difference(values, values)
    assert diff.difference == 0.0
    assert diff.ci95 == (0.0, 0.0)
    assert (diff.p_value, diff.significant) == (1.0, False)
    assert diff.method == "paired t-interval"


@given(
    st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=3, max_size=100),
    st.floats(min_value=-100, max_value=100),
)
def test_paired_difference_recovers_a_constant_shift(values: list[float], shift: float) -> None:
    other = [v + shift for v in values]
    diff = paired_difference(values, other)
    assert diff.difference == pytest.approx(shift, abs=1e-6)
    lo, hi = diff.ci95
    assert lo - 1e-6 <= shift <= hi + 1e-6


@given(st.lists(st.tuples(with_gaps, with_gaps), max_size=100))
def test_paired_interval_contains_the_difference(pairs: list[tuple[float, float]]) -> None:
    diff = paired_difference([a for a, _ in pairs], [b for _, b in pairs])
    if diff.ci95 is not None:
        lo, hi = diff.ci95
        assert lo <= diff.difference <= hi
        assert 0.0 <= diff.p_value <= 1.0


def test_paired_difference_detects_a_real_effect_and_drops_incomplete_pairs() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=500)
    other = base + 0.2 + rng.normal(scale=0.5, size=500)
    other[:10] = np.nan
    diff = paired_difference(base, other)
    assert diff.n == 490
    assert diff.significant is True
    assert diff.ci95[0] > 0.1
    assert 0.0 < diff.p_value < 1e-6
    null = paired_difference(base, base + rng.normal(scale=0.5, size=500))
    assert null.significant is False
    assert null.ci95[0] < 0.0 < null.ci95[1]


def test_a_large_paired_effect_has_its_tiny_p_value_not_zero() -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(size=1000)
    other = base + 1.25 + rng.normal(size=1000)  # t near 40 on 999 degrees of freedom
    diff = paired_difference(base, other)
    d = other - base
    t = float(np.mean(d) / (np.std(d, ddof=1) / math.sqrt(d.size)))
    assert 0.0 < diff.p_value < 1e-150
    assert diff.p_value == pytest.approx(two_sided_p_by_series(t, 999), rel=1e-8)


def test_paired_difference_of_one_pair_has_no_interval() -> None:
    diff = paired_difference([1.0, math.nan], [3.0, 2.0])
    assert (diff.n, diff.difference, diff.ci95, diff.p_value) == (1, 2.0, None, None)
    assert diff.significant is False


def test_headline_metrics_come_first_and_skip_categories_and_duplicates() -> None:
    used = describe_boolean([1.0, 0.0])
    metrics = {
        "end_reason": [describe_categorical(["x"])],
        "metric.tension": [describe_numeric([0.5, 0.7])],
        "chem_time": [describe_numeric([3.0, math.nan])],
        "metric.used": [used],
        "metric.band": [describe_categorical(["a", "b"])],
        "chem_used": [used],
    }
    assert headline(metrics) == ["chem_used", "chem_time", "metric.tension"]


def test_repeated_use_columns_have_labels_that_say_first_and_last() -> None:
    columns = ["chem_time", "chem_last_time", "chem_uses"]
    named = labels(Layout(groups=(), grid=(), series=()), columns)
    assert named == {name: STANDARD_LABELS[name] for name in columns}
    assert "first" in named["chem_time"]
    assert "last" in named["chem_last_time"]
    assert named["chem_uses"] == "Number of chemical uses"
