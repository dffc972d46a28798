"""Paired proportions (Newcombe's interval, exact McNemar test), the Holm adjustment, and both
as they appear in a real summary."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import t as student_t

from simulator.batch import run_batch
from simulator.batch.stats import (
    holm_adjust,
    mcnemar_exact_p,
    newcombe_paired_interval,
    paired_proportion_difference,
    wilson_interval,
)
from simulator.batch.summary_format import ProportionDifference

DATA = Path(__file__).parent / "data"
cell = st.integers(min_value=0, max_value=400)


def newcombe_by_the_book(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Newcombe (1998) method 10 for p1 - p2, written as in the paper: a = both, b = first
    only, c = second only, d = neither; phi with its continuity correction."""
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_interval(a + b, n)
    l2, u2 = wilson_interval(a + c, n)
    product = (a + b) * (c + d) * (a + c) * (b + d)
    ad_bc = a * d - b * c
    if product == 0:
        phi = 0.0
    elif ad_bc > n / 2:
        phi = (ad_bc - n / 2) / math.sqrt(product)
    elif ad_bc >= 0:
        phi = 0.0
    else:
        phi = ad_bc / math.sqrt(product)
    delta = math.sqrt((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    epsilon = math.sqrt((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    return max(-1.0, p1 - p2 - delta), min(1.0, p1 - p2 + epsilon)


def pairs(both: int, baseline_only: int, other_only: int, neither: int) -> tuple[list[float], ...]:
    """Aligned 0/1 arrays with the given paired 2x2 table."""
    cells = (both, baseline_only, other_only, neither)
    baseline = np.repeat([1.0, 1.0, 0.0, 0.0], cells).tolist()
    other = np.repeat([1.0, 0.0, 1.0, 0.0], cells).tolist()
    return baseline, other


def test_newcombe_interval_matches_a_published_example() -> None:
    # Complete response before and after consolidation therapy (Cavo et al. 2012), as worked in
    # Fagerland, Lydersen & Laake, Statistical Analysis of Contingency Tables (2017), ch. 8:
    # table [[59, 6], [16, 80]], estimate -0.0621, 95 % CI -0.1186 to -0.0046 for p1 - p2.
    # With "other" as the first margin, p_other - p_baseline is p1 - p2.
    lo, hi = newcombe_paired_interval(59, 16, 6, 80)
    assert (lo, hi) == pytest.approx((-0.1186, -0.0046), abs=5e-5)


@given(cell, cell, cell, cell)
def test_newcombe_interval_agrees_with_a_plain_reimplementation(
    a: int, b: int, c: int, d: int
) -> None:
    if a + b + c + d == 0:
        return
    # Our difference is other - baseline, the paper's p1 - p2 with "first" = other.
    expected = newcombe_by_the_book(a, c, b, d)
    assert newcombe_paired_interval(a, b, c, d) == pytest.approx(expected, abs=1e-12)


@given(cell, cell, cell, cell)
def test_paired_proportion_interval_contains_the_difference(a: int, b: int, c: int, d: int) -> None:
    if a + b + c + d == 0:
        return
    diff = paired_proportion_difference(*pairs(a, b, c, d))
    lo, hi = diff.ci95
    assert -1.0 <= lo <= diff.difference <= hi <= 1.0
    assert lo < hi
    assert diff.difference == (c - b) / (a + b + c + d)
    assert diff.discordant.model_dump() == {"baseline_only": b, "other_only": c}
    assert 0.0 < diff.p_value <= 1.0


@pytest.mark.parametrize(("both", "neither"), [(0, 30), (30, 0), (12, 18), (1, 0)])
def test_no_discordant_pair_means_no_difference_and_an_interval_around_zero(
    both: int, neither: int
) -> None:
    diff = paired_proportion_difference(*pairs(both, 0, 0, neither))
    lo, hi = diff.ci95
    assert diff.difference == 0.0
    assert lo < 0.0 < hi
    assert (diff.p_value, diff.significant) == (1.0, False)


def test_all_pairs_discordant_one_way() -> None:
    diff = paired_proportion_difference(*pairs(0, 0, 20, 0))
    lo, hi = diff.ci95
    assert (diff.difference, hi) == (1.0, 1.0)
    assert 0.0 < lo < 1.0
    assert diff.p_value == pytest.approx(2 * 0.5**20, rel=1e-12)
    assert diff.significant is True
    # Reversed: the mirror image.
    back = paired_proportion_difference(*pairs(0, 20, 0, 0))
    assert back.ci95 == pytest.approx((-1.0, -lo))
    assert back.p_value == diff.p_value


def test_one_pair_and_no_pair() -> None:
    one = paired_proportion_difference([0.0], [1.0])
    lo, hi = one.ci95
    assert (one.n, one.difference, one.p_value) == (1, 1.0, 1.0)
    assert lo < 0.0 < hi
    assert one.significant is False
    none = paired_proportion_difference([math.nan, 1.0], [0.0, math.nan])
    assert (none.n, none.difference, none.ci95, none.p_value) == (0, None, None, None)
    assert none.significant is False


def test_pairs_with_a_missing_side_are_dropped() -> None:
    baseline = [1.0, 0.0, math.nan, 0.0, 1.0]
    other = [1.0, 1.0, 1.0, math.nan, 0.0]
    diff = paired_proportion_difference(baseline, other)
    assert diff.n == 3
    assert diff.discordant.model_dump() == {"baseline_only": 1, "other_only": 1}
    assert diff.method.startswith("Newcombe")


def test_exact_mcnemar_p_value_is_the_binomial_tail() -> None:
    # 1 of 10 discordant pairs one way: 2 * (C(10,0) + C(10,1)) / 2^10.
    assert mcnemar_exact_p(1, 9) == 2 * 11 / 1024
    assert mcnemar_exact_p(9, 1) == 2 * 11 / 1024
    assert mcnemar_exact_p(5, 5) == 1.0
    assert mcnemar_exact_p(0, 0) == 1.0
    # 1,000 pairs all one way: 2 / 2^1000, far below where 1 - cdf would have given 0.
    assert mcnemar_exact_p(0, 1000) == pytest.approx(2.0**-999, rel=1e-12)


def test_newcombe_keeps_its_coverage_where_the_paired_t_interval_does_not() -> None:
    # Few discordant pairs (about 5 in 200, and about 3 in 100 all one way): the paired
    # t-interval on 0/1 differences, which the summary used before, undercovers badly.
    rng = np.random.default_rng(2635)
    for probabilities, n in [((0.2, 0.005, 0.02, 0.775), 200), ((0.1, 0.0, 0.03, 0.87), 100)]:
        true = probabilities[2] - probabilities[1]
        tables = rng.multinomial(n, probabilities, size=2000)
        intervals = [newcombe_paired_interval(*map(int, table)) for table in tables]
        newcombe = np.mean([lo <= true <= hi for lo, hi in intervals])
        baseline_only, other_only = tables[:, 1], tables[:, 2]
        mean = (other_only - baseline_only) / n
        variance = (baseline_only + other_only - n * mean**2) / (n - 1)
        half = student_t.ppf(0.975, n - 1) * np.sqrt(variance / n)
        paired_t = np.mean((mean - half <= true) & (true <= mean + half))
        assert newcombe >= 0.95
        assert paired_t <= 0.90


def test_holm_matches_a_hand_computed_example() -> None:
    # Sorted: 0.01*4 = 0.04, 0.02*3 = 0.06, 0.03*2 = 0.06, 0.5*1 = 0.5; returned in input order.
    assert holm_adjust([0.03, 0.5, 0.01, 0.02]) == pytest.approx([0.06, 0.5, 0.04, 0.06])
    # Monotone: 0.001*3 = 0.003, then 0.04*2 = 0.08, then max(0.08, 0.045) = 0.08; capped at 1.
    assert holm_adjust([0.045, 0.001, 0.04]) == pytest.approx([0.08, 0.003, 0.08])
    assert holm_adjust([0.6, 0.7]) == [1.0, 1.0]
    assert holm_adjust([]) == []


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=50))
def test_holm_never_lowers_a_p_value_and_keeps_the_order(p_values: list[float]) -> None:
    adjusted = holm_adjust(p_values)
    assert all(p <= q <= 1.0 for p, q in zip(p_values, adjusted, strict=True))
    ranked = sorted(range(len(p_values)), key=lambda i: p_values[i])
    assert [adjusted[i] for i in ranked] == sorted(adjusted)
    if p_values:
        assert min(adjusted) == min(1.0, len(p_values) * min(p_values))


def test_the_summary_adjusts_every_reported_test_together(tmp_path: Path) -> None:
    policies = (DATA / "calm.yaml", DATA / "push.yaml")
    result = run_batch(
        DATA / "choice.yaml", runs=200, seed=5, policies=policies, out=tmp_path, plots=False
    )
    summary = result.summary
    tested = [
        diff
        for comparison in summary.comparisons
        for diff in comparison.metrics.values()
        if diff.p_value is not None
    ]
    family = summary.multiple_comparisons
    assert family.model_dump() == {"method": "holm", "family_size": len(tested), "alpha": 0.05}
    assert [d.p_holm for d in tested] == holm_adjust([d.p_value for d in tested])
    for comparison in summary.comparisons:
        for name, diff in comparison.metrics.items():
            assert diff.significant_holm == (name in comparison.significant_holm)
            if diff.p_value is None:
                assert (diff.p_holm, diff.significant_holm) == (None, False)
    used = summary.comparisons[0].metrics["chem_used"]
    assert isinstance(used, ProportionDifference)
    assert "Holm" in summary.notes and "inverted_cdf" in summary.notes
