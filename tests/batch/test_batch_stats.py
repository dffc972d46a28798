"""Statistics: interval properties (Hypothesis), known values, and paired differences."""

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
    t_cdf,
    t_quantile,
    wilson_interval,
)
from simulator.batch.summary import headline

trials = st.integers(min_value=1, max_value=100_000)


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


@given(st.floats(min_value=0.001, max_value=0.999), st.integers(min_value=1, max_value=10_000))
def test_t_quantile_inverts_the_cdf(p: float, df: int) -> None:
    assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=2, max_size=200))
def test_numeric_interval_contains_the_mean(values: list[float]) -> None:
    stats = describe_numeric(values)
    lo, hi = stats["ci95"]
    assert lo <= stats["mean"] <= hi
    assert stats["min"] <= stats["quantiles"]["p50"] <= stats["max"]


def test_numeric_description_counts_missing_values() -> None:
    stats = describe_numeric([1.0, 2.0, 3.0, math.nan, math.nan])
    assert (stats["n"], stats["missing"], stats["mean"]) == (3, 2, 2.0)
    assert stats["ci95"] == pytest.approx([2.0 - 2.4841, 2.0 + 2.4841], abs=1e-3)
    assert describe_numeric([math.nan])["mean"] is None


def test_boolean_description_is_a_proportion_with_its_wilson_interval() -> None:
    stats = describe_boolean([1.0, 0.0, 0.0, 1.0, math.nan])
    assert (stats["n"], stats["successes"], stats["proportion"]) == (4, 2, 0.5)
    assert stats["ci95"] == list(wilson_interval(2, 4))


def test_categorical_description_counts_each_category_in_order() -> None:
    stats = describe_categorical(["b", "a", "b", None])
    assert list(stats["categories"]) == ["a", "b"]
    assert stats["categories"]["b"]["count"] == 2
    assert stats["missing"] == 1


@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=100))
def test_paired_difference_of_identical_samples_is_zero_with_zero_width(
    values: list[float],
) -> None:
    diff = paired_difference(values, values)
    assert diff["difference"] == 0.0
    assert diff["ci95"] == [0.0, 0.0]
    assert diff["significant"] is False


@given(
    st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=3, max_size=100),
    st.floats(min_value=-100, max_value=100),
)
def test_paired_difference_recovers_a_constant_shift(values: list[float], shift: float) -> None:
    other = [v + shift for v in values]
    diff = paired_difference(values, other)
    assert diff["difference"] == pytest.approx(shift, abs=1e-6)
    lo, hi = diff["ci95"]
    assert lo - 1e-6 <= shift <= hi + 1e-6


def test_paired_difference_detects_a_real_effect_and_drops_incomplete_pairs() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=500)
    other = base + 0.2 + rng.normal(scale=0.5, size=500)
    other[:10] = np.nan
    diff = paired_difference(base, other)
    assert diff["n"] == 490
    assert diff["significant"] is True
    assert diff["ci95"][0] > 0.1
    assert diff["p_value"] < 1e-6
    null = paired_difference(base, base + rng.normal(scale=0.5, size=500))
    assert null["significant"] is False
    assert null["ci95"][0] < 0.0 < null["ci95"][1]


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
