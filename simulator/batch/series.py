"""Time series across replications, kept as ordered cells per grid time (never as raw values).

For each group and series the batch keeps, at every grid time, the count and the least and
greatest value of each cell (see `simulator.batch.cells`; alert rungs have a cell per rung).
Merging is exact, so the result is the same however the replications were split into chunks,
and memory depends on the grid, never on the number of replications. Fan-chart quantiles, with
their error bound, and occupancy fractions for alert charts come from these cells.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.batch.cells import (
    REGULAR_BINS,
    DenseCells,
    Quantiles,
    SeriesSpec,
    cell_count,
    quantiles,
)
from simulator.batch.results import COMPRESSION
from simulator.batch.workload import Layout, SeriesCells

FAN_QUANTILES = (Fraction(1, 10), Fraction(1, 2), Fraction(9, 10))
"""Exact fractions, so the rank ceil(q n) is computed in integers (in floats, a quantile such as
0.07 would take rank 8 of 100: 0.07 * 100 = 7.000000000000001)."""

QUANTILE_RULE = (
    "inverse empirical CDF (rank ceil(q n), numpy method='inverted_cdf'); exact for point "
    "masses (a value every run in a cell shares, a known value, an alert rung); the error "
    f"column bounds the rest (at most 1/{REGULAR_BINS} of the series' range)"
)
"""How `series.parquet` quantiles are defined and how far they can be off, for the manifest."""


class SeriesCounts:
    """Cells per group, series and grid time."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        times = len(layout.grid)
        self.cells: list[dict[str, DenseCells]] = [
            {s.name: DenseCells(times, cell_count(s)) for s in layout.series} for _ in layout.groups
        ]

    def add(self, group: int, cells: SeriesCells) -> None:
        for name, summary in cells.items():
            self.cells[group][name].add(summary)

    @property
    def nbytes(self) -> int:
        """Memory held by the cells of every group and series."""
        return sum(c.nbytes for group in self.cells for c in group.values())

    def runs(self, group: int, spec: SeriesSpec) -> npt.NDArray[np.int64]:
        """Replications with a value at each grid time."""
        total: npt.NDArray[np.int64] = self.cells[group][spec.name].count.sum(axis=1)
        return total

    def quantiles(self, group: int, spec: SeriesSpec) -> Quantiles:
        """p10, p50 and p90 at each grid time, with the error bound of each."""
        return quantiles(self.cells[group][spec.name], FAN_QUANTILES)

    def occupancy(self, group: int, spec: SeriesSpec) -> npt.NDArray[np.float64]:
        """Fraction of replications on each rung at each grid time: shape (times, rungs)."""
        counts = self.cells[group][spec.name].count.astype(np.float64)
        totals = counts.sum(axis=1, keepdims=True)
        shares: npt.NDArray[np.float64] = np.divide(
            counts, totals, out=np.zeros_like(counts), where=totals > 0
        )
        return shares

    def quantile_table(self) -> pa.Table:
        """Tidy table: group, policy, point, series, time, n, p10, p50, p90, error."""
        grid = np.asarray(self.layout.grid, dtype=np.float64)
        parts: dict[str, list[pa.Array[Any]]] = {k: [] for k in _QUANTILE_COLUMNS}
        for g, group in enumerate(self.layout.groups):
            for spec in self.layout.series:
                found = self.quantiles(g, spec)
                parts["group"].append(pa.array(np.full(grid.size, g, dtype=np.int32)))
                parts["policy"].append(pa.array([group.policy] * grid.size, pa.string()))
                parts["point"].append(pa.array(np.full(grid.size, group.point, dtype=np.int32)))
                parts["series"].append(pa.array([spec.name] * grid.size, pa.string()))
                parts["time"].append(pa.array(grid))
                parts["n"].append(pa.array(self.runs(g, spec)))
                for k, q in enumerate(FAN_QUANTILES):
                    parts[f"p{round(q * 100):02d}"].append(pa.array(found.values[:, k]))
                # One bound per row for all three: NaN (no runs) stays NaN.
                parts["error"].append(pa.array(found.error.max(axis=1)))
        return _table(parts)

    def occupancy_table(self) -> pa.Table:
        """Tidy table: group, policy, point, series, time, level, rung, fraction."""
        grid = np.asarray(self.layout.grid, dtype=np.float64)
        parts: dict[str, list[pa.Array[Any]]] = {k: [] for k in _OCCUPANCY_COLUMNS}
        for g, group in enumerate(self.layout.groups):
            for spec in (s for s in self.layout.series if s.discrete):
                fractions = self.occupancy(g, spec)
                for rung in range(spec.rungs):
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


_QUANTILE_COLUMNS = (
    "group", "policy", "point", "series", "time", "n", "p10", "p50", "p90", "error",
)  # fmt: skip
_OCCUPANCY_COLUMNS = ("group", "policy", "point", "series", "time", "level", "rung", "fraction")


def _table(parts: dict[str, list[pa.Array[Any]]]) -> pa.Table:
    return pa.table(
        {
            name: pa.concat_arrays(arrays) if arrays else pa.array([])
            for name, arrays in parts.items()
        }
    )
