"""Quantiles of a series across replications from a fixed set of ordered cells.

A series' values at one grid time are never kept. Each value goes to one of a fixed, totally
ordered set of cells, and a cell keeps only its count and the least and greatest value it got:

- an **exact cell** for each of the series' known values (`SeriesSpec.known`: values many runs
  sit at exactly, such as a readiness target or a variable's bounds); a value equal to one goes
  there;
- **interval cells**: `REGULAR_BINS` regular bins over the series' range, each split by the
  known values inside it into the parts between them; every other value goes to the part
  holding it (values outside the range to the first or last bin).

Counts add and minima and maxima are exact, so merging cells gives the same arrays whatever the
chunking or the order; memory depends on the grid and the cells, never on the replications.

The q-quantile is the inverse of the empirical CDF: the value of rank `k = ceil(q n)` (numpy's
`method="inverted_cdf"`), with `k` computed in integers. Cells are ordered by value, so the
rank-k value lies in the cell where the cumulative count first reaches `k`, at rank `r` within
it, between that cell's least and greatest value. It is exact when they are equal (a point
mass, a deterministic series) or when `r` is the first or last rank of the cell; otherwise it
is interpolated linearly by rank between them, and its error is at most the distance to the
farther of the two, which for a value in range is less than one regular bin: `(high - low) / B`.
Alert rungs are discrete: a cell per rung, so their quantiles are exact.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

REGULAR_BINS = 200
"""Regular bins over a continuous series' range: the error bound is at most 1/200 of it."""
MAX_KNOWN_VALUES = 64
"""Exact cells per series at most: they cost memory at every grid time of every group."""


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """A time series sampled on the grid: its name, range, and whether its values are rungs."""

    name: str
    low: float
    high: float
    discrete: bool = False
    """Integer rungs from `low` to `high` (alert levels): counted per rung."""
    labels: tuple[str, ...] = ()
    """For discrete series, a label per rung (level ids)."""
    known: tuple[float, ...] = ()
    """Values many runs sit at exactly (a readiness target, a variable's bounds): each gets a
    cell of its own, so quantiles that fall on one are exact. At most `MAX_KNOWN_VALUES`."""

    def __post_init__(self) -> None:
        # Every known value costs a cell at each grid time of each group: keep memory bounded.
        if len(self.known) > MAX_KNOWN_VALUES:
            raise ValueError(f"{self.name}: more than {MAX_KNOWN_VALUES} known values")

    @property
    def rungs(self) -> int:
        return round(self.high - self.low) + 1


@dataclass(frozen=True, slots=True)
class CellSummary:
    """A chunk's cells of one series, sparse over the flattened (times, cells) grid: the
    positions of the non-empty cells and, there, the count and least and greatest value. A chunk
    fills few cells, so this is what travels from workers and is kept on disk."""

    where: npt.NDArray[np.int32]
    count: npt.NDArray[np.int32]
    low: Floats
    high: Floats


def cell_count(spec: SeriesSpec) -> int:
    """Number of cells per grid time: a bin's k known values make k exact and k + 1 parts."""
    return spec.rungs if spec.discrete else REGULAR_BINS + 2 * len(spec.known)


@functools.cache
def _known(spec: SeriesSpec) -> Floats:
    # A NaN after the last known value: the lookup below never matches past the end.
    return np.append(np.sort(np.asarray(spec.known, dtype=np.float64)), np.nan)


def cell_index(spec: SeriesSpec, values: Floats) -> Ints:
    """Cell of each value (-1 for NaN and infinities, which count as missing).

    The regular bin `b` is monotone in the value (so is every rounded step computing it), the
    known values below a value, `m`, are those of earlier bins and those below it in its own
    bin, so `b + 2 m` numbers the parts of bins in value order, and `b + 2 m + 1` the exact cell
    of the `m`-th known value, which lies between the parts it separates.
    """
    finite = np.isfinite(values)
    safe = np.where(finite, values, spec.low)
    if spec.discrete:
        cells = np.clip(np.rint(safe - spec.low), 0, spec.rungs - 1).astype(np.int64)
    else:
        width = spec.high - spec.low
        scale = REGULAR_BINS / width if width > 0 else 0.0
        bins = np.clip(np.floor((safe - spec.low) * scale), 0, REGULAR_BINS - 1).astype(np.int64)
        known = _known(spec)
        below = np.searchsorted(known[:-1], safe, side="left")
        cells = bins + 2 * below + (known[below] == safe)
    return np.where(finite, cells, -1)


def summarise(spec: SeriesSpec, values: Floats) -> CellSummary:
    """Cells of a (replications x times) array, sparse over the flattened (times, cells) grid."""
    size = cell_count(spec)
    cells = cell_index(spec, values)
    present = cells >= 0
    flat = (np.arange(values.shape[1], dtype=np.int64)[None, :] * size + cells)[present]
    # +0.0 turns -0.0 into 0.0: min and max of equal zeros would otherwise depend on the order.
    kept = values[present] + 0.0
    count = np.bincount(flat, minlength=values.shape[1] * size)
    low = np.full(count.size, np.inf)
    high = np.full(count.size, -np.inf)
    np.minimum.at(low, flat, kept)
    np.maximum.at(high, flat, kept)
    where = np.flatnonzero(count)
    return CellSummary(
        where.astype(np.int32), count[where].astype(np.int32), low[where], high[where]
    )


class DenseCells:
    """Cells of one series at every grid time: counts, least and greatest values."""

    def __init__(self, times: int, cells: int) -> None:
        self.count: Ints = np.zeros((times, cells), dtype=np.int64)
        self.low: Floats = np.full((times, cells), np.inf)
        self.high: Floats = np.full((times, cells), -np.inf)

    def add(self, summary: CellSummary) -> None:
        """Merge a chunk's cells (each position appears once in a summary)."""
        where = summary.where
        count, low, high = self.count.reshape(-1), self.low.reshape(-1), self.high.reshape(-1)
        count[where] += summary.count
        low[where] = np.minimum(low[where], summary.low)
        high[where] = np.maximum(high[where], summary.high)

    @property
    def nbytes(self) -> int:
        return self.count.nbytes + self.low.nbytes + self.high.nbytes


@dataclass(frozen=True, slots=True)
class Quantiles:
    """Quantiles at each grid time and how far each can be from the exact empirical quantile."""

    values: Floats
    """Shape (times, quantiles); NaN where no run has a value."""
    error: Floats
    """Shape (times, quantiles): the largest possible distance to the exact quantile."""


def quantiles(cells: DenseCells, qs: Sequence[Fraction]) -> Quantiles:
    """Inverse empirical CDF at each q (see the module docstring), with its error bound."""
    count = cells.count
    n = count.sum(axis=1)
    cumulative = np.cumsum(count, axis=1)
    rows = np.arange(count.shape[0])
    values = np.full((count.shape[0], len(qs)), np.nan)
    error = np.full_like(values, np.nan)
    has = n > 0
    for j, q in enumerate(qs):
        if not 0 < q <= 1:
            raise ValueError(f"quantile {q} is not in (0, 1]")
        k = -((-q.numerator * n) // q.denominator)  # ceil(q n) in integers
        cell = np.argmax(cumulative >= k[:, None], axis=1)
        inside = count[rows, cell]
        rank = k - (cumulative[rows, cell] - inside)
        low, high = cells.low[rows, cell], cells.high[rows, cell]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = (rank - 1) / (inside - 1)
            estimate = np.where(rank >= inside, high, low + (high - low) * share)
            bound = np.where(
                (rank <= 1) | (rank >= inside), 0.0, np.maximum(estimate - low, high - estimate)
            )
        values[has, j] = estimate[has]
        error[has, j] = bound[has]
    return Quantiles(values, error)
