"""Statistics for batch results: descriptions with 95 % intervals, and paired differences.

Proportions get Wilson score intervals (sound near 0 and 1, where Monte Carlo estimates of rare
events live); means get Student-t intervals; differences between courses of action run on the
same replication seeds are paired, so their interval is a t-interval on per-replication
differences. Every function is deterministic for a given input array, so summaries are
byte-identical whatever the executor.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

CONFIDENCE = 0.95
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)

FloatArray = npt.NDArray[np.float64]
Stats = dict[str, Any]


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 3e-16:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b) for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Cumulative distribution function of Student's t with `df` degrees of freedom."""
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """Inverse of `t_cdf` in `p` (bisection on a bracket: slow to write, exact to 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError("t_quantile needs 0 < p < 1")
    if df > 1e7:
        return NormalDist().inv_cdf(p)
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


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


def t_interval(values: FloatArray, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean of finite `values` and its Student-t interval (NaN bounds below two values)."""
    n = int(values.size)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(np.mean(values))
    if n < 2:
        return mean, math.nan, math.nan
    sd = float(np.std(values, ddof=1))
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def _finite(values: npt.ArrayLike) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    return array[np.isfinite(array)]


def describe_numeric(values: npt.ArrayLike) -> Stats:
    """Mean, sd, extremes, quantiles and 95 % t-interval of the finite values.

    `missing` counts NaN and null values (for example the time of a use that never happened).
    """
    raw = np.asarray(values, dtype=np.float64)
    finite = _finite(raw)
    n = int(finite.size)
    stats: Stats = {"kind": "numeric", "n": n, "missing": int(raw.size - n)}
    if n == 0:
        return stats | {"mean": None, "sd": None, "min": None, "max": None, "ci95": None}
    mean, lo, hi = t_interval(finite)
    quantiles = np.quantile(finite, QUANTILES)
    stats |= {
        "mean": mean,
        "sd": float(np.std(finite, ddof=1)) if n > 1 else None,
        "min": float(finite.min()),
        "max": float(finite.max()),
        "quantiles": {
            f"p{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, quantiles, strict=True)
        },
        "ci95": [lo, hi] if n > 1 else None,
    }
    return stats


def describe_boolean(values: npt.ArrayLike) -> Stats:
    """Proportion of true values among the non-null ones, with its Wilson interval."""
    raw = np.asarray(values, dtype=np.float64)
    known = raw[~np.isnan(raw)]
    n = int(known.size)
    successes = int(np.count_nonzero(known))
    lo, hi = wilson_interval(successes, n)
    return {
        "kind": "proportion",
        "n": n,
        "missing": int(raw.size - n),
        "successes": successes,
        "proportion": successes / n if n else None,
        "ci95": [lo, hi],
    }


def describe_counts(counts: dict[str, int], missing: int) -> Stats:
    """Count and proportion of each category (sorted), each with its Wilson interval."""
    n = sum(counts.values())
    categories = {}
    for name in sorted(counts):
        lo, hi = wilson_interval(counts[name], n)
        categories[name] = {"count": counts[name], "proportion": counts[name] / n, "ci95": [lo, hi]}
    return {"kind": "categorical", "n": n, "missing": missing, "categories": categories}


def describe_categorical(values: list[str | None]) -> Stats:
    """`describe_counts` of a list of values (None counts as missing)."""
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return describe_counts(counts, sum(v is None for v in values))


def paired_difference(
    baseline: npt.ArrayLike, other: npt.ArrayLike, confidence: float = CONFIDENCE
) -> Stats:
    """Mean of `other - baseline` over pairs where both are finite, with a paired t-interval.

    The two arrays must be aligned by replication (same seed at the same index). `significant`
    is true when the interval excludes zero; a difference that is exactly zero in every pair has
    a zero-width interval and is not significant.
    """
    a = np.asarray(baseline, dtype=np.float64)
    b = np.asarray(other, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    both = np.isfinite(a) & np.isfinite(b)
    diff = b[both] - a[both]
    n = int(diff.size)
    result: Stats = {"n": n, "difference": None, "ci95": None, "p_value": None}
    if n == 0:
        return result | {"significant": False}
    mean = float(np.mean(diff))
    result["difference"] = mean
    if n < 2:
        return result | {"significant": False}
    sd = float(np.std(diff, ddof=1))
    if sd == 0.0:
        exact = {"ci95": [mean, mean], "p_value": 1.0 if mean == 0.0 else 0.0}
        return result | exact | {"significant": mean != 0.0}
    se = sd / math.sqrt(n)
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * se
    lo, hi = mean - half, mean + half
    p_value = 2.0 * (1.0 - t_cdf(abs(mean) / se, n - 1))
    return result | {
        "ci95": [lo, hi],
        "p_value": min(1.0, max(0.0, p_value)),
        "significant": lo > 0.0 or hi < 0.0,
    }
