"""Statistics for batch results: descriptions with 95 % intervals, and paired differences.

Proportions get Wilson score intervals (sound near 0 and 1, where Monte Carlo estimates of rare
events live); means get Student-t intervals. Differences between courses of action run on the
same replication seeds are paired: a numeric metric gets a t-interval on per-replication
differences, a boolean one Newcombe's hybrid score interval for paired proportions with the
exact McNemar test. Every function is deterministic for a given input array, so summaries are
byte-identical whatever the executor.

SciPy supplies the t and binomial distributions; it is imported inside the functions that need
it, so importing this module (and so `ttx --help` or `ttx validate`) does not pay for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from simulator.batch.summary_format import (
    CategoricalStats,
    Category,
    Discordant,
    NumericStats,
    PairedDifference,
    ProportionDifference,
    ProportionStats,
)

CONFIDENCE = 0.95
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
QUANTILE_METHOD: Final = "inverted_cdf"
"""The q-quantile is the smallest value x with F(x) >= q: always a value that occurred, and the
definition the fan charts use, so a summary's median and a chart's median agree."""

FloatArray = npt.NDArray[np.float64]


def _scipy_stats() -> Any:
    """`scipy.stats`, imported on first use: loading it takes over a second on this tool's
    reference machine, which commands that compute no statistic should not pay."""
    import scipy.stats  # type: ignore[import-untyped]

    return scipy.stats


def t_quantile(p: float, df: float) -> float:
    """The `p`-quantile of Student's t with `df` degrees of freedom."""
    return float(_scipy_stats().t.ppf(p, df))


def t_two_sided_p(statistic: float, df: float) -> float:
    """P(|T| >= |statistic|), from the survival function so that tiny values stay positive and
    accurate instead of cancelling to 0 in 1 - cdf."""
    return min(1.0, 2.0 * float(_scipy_stats().t.sf(abs(statistic), df)))


def wilson_interval(successes: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for a proportion; the whole of [0, 1] when there is no trial."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def mean(values: FloatArray) -> float:
    """Mean of finite, non-empty `values`: exactly rounded sum, then clamped into [min, max].

    `math.fsum` makes the sum exact before one rounding; dividing by n rounds once more, and
    that last rounding can step just outside the data (0.05 three times gives 0.05000000000000001),
    so the clamp returns a constant exactly and keeps every mean between the extremes.
    """
    n = int(values.size)
    try:
        total = math.fsum(values.tolist()) / n
    except OverflowError:  # the exact sum leaves float range (values near 1e308): scale first
        total = math.fsum((values / n).tolist())
    return min(max(total, float(values.min())), float(values.max()))


def standard_deviation(values: FloatArray, centre: float) -> float:
    """Sample standard deviation (n - 1) about `centre`; 0 exactly when every value equals it.

    Deviations are divided by the largest one before squaring, so values far beyond 1e154 do
    not overflow the sum of squares.
    """
    deviations = values - centre
    spread = float(np.max(np.abs(deviations)))
    if spread == 0.0 or not math.isfinite(spread):
        return spread
    scaled = deviations / spread
    return spread * math.sqrt(float(np.sum(scaled * scaled)) / (values.size - 1))


def _t_half_width(sd: float, n: int, confidence: float) -> float:
    if sd == 0.0:
        return 0.0
    return t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)


def _finite(values: npt.ArrayLike) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    return array[np.isfinite(array)]


def describe_numeric(values: npt.ArrayLike) -> NumericStats:
    """Mean, sd, extremes, quantiles and 95 % t-interval of the finite values.

    `missing` counts NaN and null values (for example the time of a use that never happened).
    A constant column is described by that constant exactly, sd 0 and a zero-width interval.
    """
    raw = np.asarray(values, dtype=np.float64)
    finite = _finite(raw)
    n = int(finite.size)
    missing = int(raw.size - n)
    if n == 0:
        return NumericStats(n=n, missing=missing)
    centre = mean(finite)
    quantiles = np.quantile(finite, QUANTILES, method=QUANTILE_METHOD)
    sd = ci95 = None
    if n > 1:
        sd = standard_deviation(finite, centre)
        half = _t_half_width(sd, n, CONFIDENCE)
        ci95 = (centre - half, centre + half)
    return NumericStats(
        n=n,
        missing=missing,
        mean=centre,
        sd=sd,
        min=float(finite.min()),
        max=float(finite.max()),
        quantiles={
            f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, quantiles, strict=True)
        },
        ci95=ci95,
    )


def describe_boolean(values: npt.ArrayLike) -> ProportionStats:
    """Proportion of true values among the non-null ones, with its Wilson interval."""
    raw = np.asarray(values, dtype=np.float64)
    known = raw[~np.isnan(raw)]
    n = int(known.size)
    successes = int(np.count_nonzero(known))
    return ProportionStats(
        n=n,
        missing=int(raw.size - n),
        successes=successes,
        proportion=successes / n if n else None,
        ci95=wilson_interval(successes, n),
    )


def describe_counts(counts: dict[str, int], missing: int) -> CategoricalStats:
    """Count and proportion of each category (sorted), each with its Wilson interval."""
    n = sum(counts.values())
    categories = {
        name: Category(
            count=counts[name], proportion=counts[name] / n, ci95=wilson_interval(counts[name], n)
        )
        for name in sorted(counts)
    }
    return CategoricalStats(n=n, missing=missing, categories=categories)


def describe_categorical(values: list[str | None]) -> CategoricalStats:
    """`describe_counts` of a list of values (None counts as missing)."""
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return describe_counts(counts, sum(v is None for v in values))


def _complete_pairs(baseline: npt.ArrayLike, other: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The pairs where both values are finite, still aligned by replication."""
    a = np.asarray(baseline, dtype=np.float64)
    b = np.asarray(other, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    both = np.isfinite(a) & np.isfinite(b)
    return a[both], b[both]


def _excludes_zero(lo: float, hi: float) -> bool:
    return lo > 0.0 or hi < 0.0


def paired_difference(
    baseline: npt.ArrayLike, other: npt.ArrayLike, confidence: float = CONFIDENCE
) -> PairedDifference:
    """Mean of `other - baseline` over pairs where both are finite, with a paired t-interval.

    The two arrays must be aligned by replication (same seed at the same index). `significant`
    is true when the interval excludes zero. A difference that is the same in every pair has a
    zero-width interval: p = 1 if it is zero, p = 0 (a certain difference) otherwise.
    """
    a, b = _complete_pairs(baseline, other)
    diff = b - a
    n = int(diff.size)
    if n == 0:
        return PairedDifference(n=n, difference=None, ci95=None, p_value=None, significant=False)
    centre = mean(diff)
    if n < 2:
        return PairedDifference(n=n, difference=centre, ci95=None, p_value=None, significant=False)
    sd = standard_deviation(diff, centre)
    if sd == 0.0:
        return PairedDifference(
            n=n,
            difference=centre,
            ci95=(centre, centre),
            p_value=1.0 if centre == 0.0 else 0.0,
            significant=centre != 0.0,
        )
    half = _t_half_width(sd, n, confidence)
    lo, hi = centre - half, centre + half
    return PairedDifference(
        n=n,
        difference=centre,
        ci95=(lo, hi),
        p_value=t_two_sided_p(centre / (sd / math.sqrt(n)), n - 1),
        significant=_excludes_zero(lo, hi),
    )


def _phi(both: int, baseline_only: int, other_only: int, neither: int) -> float:
    """Newcombe's continuity-corrected correlation of the paired outcomes: AD - BC is shrunk by
    n/2 towards 0 when positive (never past it), kept when negative; 0 when a margin is empty."""
    margins = (
        (both + baseline_only)
        * (other_only + neither)
        * (both + other_only)
        * (baseline_only + neither)
    )
    if margins == 0:
        return 0.0
    n = both + baseline_only + other_only + neither
    cross = both * neither - baseline_only * other_only
    corrected = max(cross - n / 2.0, 0.0) if cross > 0 else float(cross)
    return corrected / math.sqrt(margins)


def _square_and_add(first: float, second: float, phi: float) -> float:
    # First and second are distances from the estimates to Wilson limits; with |phi| <= 1 the
    # radicand is >= (first - second)^2 >= 0, so a negative value is only rounding.
    return math.sqrt(max(0.0, first * first - 2.0 * phi * first * second + second * second))


def newcombe_paired_interval(
    both: int, baseline_only: int, other_only: int, neither: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Newcombe's hybrid score interval (Stat Med 1998;17:2635, method 10) for the difference of
    paired proportions p_other - p_baseline, from the four cells of the paired 2x2 table."""
    n = both + baseline_only + other_only + neither
    p_base, p_other = (both + baseline_only) / n, (both + other_only) / n
    lo_base, hi_base = wilson_interval(both + baseline_only, n, confidence)
    lo_other, hi_other = wilson_interval(both + other_only, n, confidence)
    phi = _phi(both, baseline_only, other_only, neither)
    difference = (other_only - baseline_only) / n  # one rounding, as reported
    below = _square_and_add(p_other - lo_other, hi_base - p_base, phi)
    above = _square_and_add(hi_other - p_other, p_base - lo_base, phi)
    return max(-1.0, difference - below), min(1.0, difference + above)


def mcnemar_exact_p(baseline_only: int, other_only: int) -> float:
    """Exact McNemar test: two-sided binomial test of the discordant pairs against 1/2."""
    discordant = baseline_only + other_only
    if discordant == 0:
        return 1.0
    return float(_scipy_stats().binomtest(other_only, discordant, 0.5).pvalue)


def _paired_table(baseline: FloatArray, other: FloatArray) -> tuple[int, int, int, int]:
    """Cells of the paired 2x2 table: both true, baseline only, other only, neither."""
    base, oth = baseline != 0.0, other != 0.0
    return (
        int(np.count_nonzero(base & oth)),
        int(np.count_nonzero(base & ~oth)),
        int(np.count_nonzero(~base & oth)),
        int(np.count_nonzero(~base & ~oth)),
    )


def paired_proportion_difference(
    baseline: npt.ArrayLike, other: npt.ArrayLike, confidence: float = CONFIDENCE
) -> ProportionDifference:
    """Difference of proportions `other - baseline` over pairs where both are known.

    A t-interval on per-pair 0/1 differences is too narrow when few pairs disagree (and has zero
    width when none do), so the interval is Newcombe's and the p-value the exact McNemar test.
    `significant` is true when the interval excludes zero.
    """
    cells = _paired_table(*_complete_pairs(baseline, other))
    n = sum(cells)
    _, baseline_only, other_only, _ = cells
    discordant = Discordant(baseline_only=baseline_only, other_only=other_only)
    if n == 0:
        return ProportionDifference(
            n=n, discordant=discordant, difference=None, ci95=None, p_value=None, significant=False
        )
    lo, hi = newcombe_paired_interval(*cells, confidence)
    return ProportionDifference(
        n=n,
        discordant=discordant,
        difference=(other_only - baseline_only) / n,
        ci95=(lo, hi),
        p_value=mcnemar_exact_p(baseline_only, other_only),
        significant=_excludes_zero(lo, hi),
    )


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values, in the order given.

    The k-th smallest of m p-values is multiplied by m - k + 1, capped at 1, and made no smaller
    than the adjusted value before it, so the adjusted values keep the raw ones' order.
    """
    m = len(p_values)
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted
