"""Time series across replications, kept as integer counts per grid time (never as raw values).

For each group and series the batch keeps, at every grid time, a histogram over the series'
range (alert rungs are counted per rung). Counts add exactly, so the result is the same however
the replications were split into chunks, and memory depends on the grid, never on the number of
replications. Quantiles for fan charts and occupancy fractions for alert charts come from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.batch.results import COMPRESSION
from simulator.batch.workload import Counts, Layout, SeriesSpec, SparseCounts

FAN_QUANTILES = (0.1, 0.5, 0.9)


class SeriesCounts:
    """Histogram counts per group, series and grid time."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.counts: list[Counts] = [
            {s.name: np.zeros((len(layout.grid), s.bins), dtype=np.int64) for s in layout.series}
            for _ in layout.groups
        ]

    def add(self, group: int, counts: SparseCounts) -> None:
        for name, (where, count) in counts.items():
            self.counts[group][name].reshape(-1)[where] += count

    def quantiles(
        self, group: int, spec: SeriesSpec, qs: Sequence[float] = FAN_QUANTILES
    ) -> npt.NDArray[np.float64]:
        """Quantiles of the series at each grid time: shape (times, len(qs)); NaN if no data."""
        counts = self.counts[group][spec.name]
        rows = [histogram_quantiles(row, spec, qs) for row in counts]
        return np.asarray(rows, dtype=np.float64).reshape(len(counts), len(qs))

    def occupancy(self, group: int, spec: SeriesSpec) -> npt.NDArray[np.float64]:
        """Fraction of replications on each rung at each grid time: shape (times, rungs)."""
        counts = self.counts[group][spec.name].astype(np.float64)
        totals = counts.sum(axis=1, keepdims=True)
        shares: npt.NDArray[np.float64] = np.divide(
            counts, totals, out=np.zeros_like(counts), where=totals > 0
        )
        return shares

    def quantile_table(self) -> pa.Table:
        """Tidy table: group, policy, point, series, time, n, p10, p50, p90."""
        grid = np.asarray(self.layout.grid, dtype=np.float64)
        parts: dict[str, list[pa.Array[Any]]] = {k: [] for k in _QUANTILE_COLUMNS}
        for g, group in enumerate(self.layout.groups):
            for spec in self.layout.series:
                values = self.quantiles(g, spec)
                n = self.counts[g][spec.name].sum(axis=1)
                parts["group"].append(pa.array(np.full(grid.size, g, dtype=np.int32)))
                parts["policy"].append(pa.array([group.policy] * grid.size, pa.string()))
                parts["point"].append(pa.array(np.full(grid.size, group.point, dtype=np.int32)))
                parts["series"].append(pa.array([spec.name] * grid.size, pa.string()))
                parts["time"].append(pa.array(grid))
                parts["n"].append(pa.array(n.astype(np.int64)))
                for k, q in enumerate(FAN_QUANTILES):
                    parts[f"p{round(q * 100):02d}"].append(pa.array(values[:, k]))
        return _table(parts)

    def occupancy_table(self) -> pa.Table:
        """Tidy table: group, policy, point, series, time, level, rung, fraction."""
        grid = np.asarray(self.layout.grid, dtype=np.float64)
        parts: dict[str, list[pa.Array[Any]]] = {k: [] for k in _OCCUPANCY_COLUMNS}
        for g, group in enumerate(self.layout.groups):
            for spec in (s for s in self.layout.series if s.discrete):
                fractions = self.occupancy(g, spec)
                for rung in range(spec.bins):
                    label = spec.labels[rung] if rung < len(spec.labels) else str(rung)
                    parts["group"].append(pa.array(np.full(grid.size, g, dtype=np.int32)))
                    parts["policy"].append(pa.array([group.policy] * grid.size, pa.string()))
                    parts["point"].append(pa.array(np.full(grid.size, group.point, np.int32)))
                    parts["series"].append(pa.array([spec.name] * grid.size, pa.string()))
                    parts["time"].append(pa.array(grid))
                    parts["level"].append(pa.array([label] * grid.size, pa.string()))
                    parts["rung"].append(pa.array(np.full(grid.size, rung, dtype=np.int32)))
                    parts["fraction"].append(pa.array(fractions[:, rung]))
        return _table(parts)

    def write(self, out: Path) -> None:
        """`series.parquet` (fan-chart quantiles) and `occupancy.parquet` (alert rungs)."""
        pq.write_table(self.quantile_table(), out / "series.parquet", compression=COMPRESSION)
        pq.write_table(self.occupancy_table(), out / "occupancy.parquet", compression=COMPRESSION)


_QUANTILE_COLUMNS = ("group", "policy", "point", "series", "time", "n", "p10", "p50", "p90")
_OCCUPANCY_COLUMNS = ("group", "policy", "point", "series", "time", "level", "rung", "fraction")


def _table(parts: dict[str, list[pa.Array[Any]]]) -> pa.Table:
    return pa.table(
        {
            name: pa.concat_arrays(arrays) if arrays else pa.array([])
            for name, arrays in parts.items()
        }
    )


def histogram_quantiles(
    counts: npt.NDArray[np.int64], spec: SeriesSpec, qs: Sequence[float]
) -> list[float]:
    """Quantiles from one histogram: rungs for discrete series, linear within a bin otherwise."""
    total = int(counts.sum())
    if total == 0:
        return [float("nan")] * len(qs)
    cumulative = np.cumsum(counts)
    result = []
    for q in qs:
        target = q * total
        b = int(np.searchsorted(cumulative, target, side="left"))
        b = min(b, spec.bins - 1)
        if spec.discrete:
            result.append(spec.low + b)
            continue
        before = float(cumulative[b - 1]) if b > 0 else 0.0
        inside = float(counts[b])
        fraction = (target - before) / inside if inside else 0.0
        width = (spec.high - spec.low) / spec.bins
        result.append(spec.low + (b + fraction) * width)
    return result
