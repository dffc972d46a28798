"""What a batch runs: a workload is prepared once per worker, then runs chunks of replications.

The runner and executors see only this small interface, so they know nothing of the engine and
the engine knows nothing of them. A chunk is a contiguous range of replication indexes within
one group (a course of action at a sweep point); replication `i` always gets the seed
`SeedSequence(entropy=root, spawn_key=(i,))`, the `i`-th child of `SeedSequence(root)`, whatever
chunk or worker it lands on. Every group uses the same seeds, so groups are paired.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from simulator.batch.cells import CellSummary, SeriesSpec, summarise
from simulator.engine.streams import replication_sequence
from simulator.scenario.models import DEFAULT_BANNER, AlertLevel

Scalar = float | int | str | bool | None
Row = dict[str, Scalar]
SeriesValues = Mapping[str, Sequence[float]]
SeriesCells = dict[str, CellSummary]
"""Per series, a chunk's cells (see `simulator.batch.cells`)."""

BASE_COLUMNS = ("policy", "point", "replication", "seed", "error")
"""Columns every row has, before the sweep parameters and the engine's own columns."""


@dataclass(frozen=True, slots=True)
class Group:
    """One course of action at one sweep point; its rows share `policy` and `point`."""

    policy: str
    point: int
    params: tuple[tuple[str, Scalar], ...] = ()
    """Swept path and value at this point."""
    named: bool = True
    """Whether labels name the policy (not when the only one is the implicit default)."""

    @property
    def label(self) -> str:
        point = ", ".join(f"{path}={value}" for path, value in self.params)
        if not point:
            return self.policy
        return f"{self.policy} @ {point}" if self.named else point


@dataclass(frozen=True, slots=True)
class ScenarioFacts:
    """What plots and the summary show of the scenario: its names, labels and colours."""

    id: str = ""
    title: str = ""
    banner: str = DEFAULT_BANNER
    levels: tuple[AlertLevel, ...] = ()
    """The scenario's alert levels, lowest first, with their labels and colours."""
    scopes: Mapping[str, str] = field(default_factory=dict)
    """Alert scope id to the name of its nation or alliance."""
    units: Mapping[str, str] = field(default_factory=dict)
    """Unit id to name."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """Variable id to label."""
    metrics: Mapping[str, str] = field(default_factory=dict)
    """The scenario's own metric id to label."""
    decisions: Mapping[str, str] = field(default_factory=dict)
    """Decision id to title."""
    source_hash: str = ""
    """The compiled scenario's hash, printed on every chart."""


@dataclass(frozen=True, slots=True)
class Layout:
    """What the parent needs to know of a workload: groups, the time grid and the series."""

    groups: tuple[Group, ...]
    grid: tuple[float, ...]
    series: tuple[SeriesSpec, ...]
    sweep_paths: tuple[str, ...] = ()
    info: ScenarioFacts = ScenarioFacts()
    """Scenario facts for the summary and plots (title, banner, level colours, unit names, ...)."""


class PreparedWorkload(Protocol):
    """A prepared workload: runs one replication of a group from its seed."""

    @property
    def layout(self) -> Layout: ...

    def run(self, group: int, seed: np.random.SeedSequence) -> tuple[Row, SeriesValues]: ...


class Workload(Protocol):
    """A picklable description of the work, sent once to each worker and prepared there."""

    @property
    def key(self) -> str:
        """A content hash: workers cache the prepared workload under it."""
        ...

    def prepare(self) -> PreparedWorkload: ...


@dataclass(frozen=True, slots=True)
class Chunk:
    """Replications `start` to `stop - 1` of one group."""

    index: int
    group: int
    start: int
    stop: int
    root_seed: int


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """A chunk's rows as an Arrow table, its series cells, failures and CPU seconds."""

    index: int
    table: pa.Table
    counts: SeriesCells
    """Per series, its cells: counts, least and greatest values."""
    failures: int
    seconds: float


def rows_to_table(rows: Sequence[Row]) -> pa.Table:
    """Columns in order of first appearance; types inferred per column (null where absent)."""
    names: dict[str, None] = {}
    for row in rows:
        for name in row:
            names.setdefault(name, None)
    columns: dict[str, list[Any]] = {name: [row.get(name) for row in rows] for name in names}
    return pa.table({name: pa.array(values) for name, values in columns.items()})


_LOCAL = threading.local()


def prepared(workload: Workload) -> PreparedWorkload:
    """The workload, prepared once per worker thread and reused for all its chunks.

    Per thread rather than per process: a Dask worker may run several threads, and a prepared
    workload (its compiled expressions) is never shared between two replications running at once.
    """
    cache: dict[str, PreparedWorkload] = _LOCAL.__dict__.setdefault("prepared", {})
    ready = cache.get(workload.key)
    if ready is None:
        ready = workload.prepare()
        cache[workload.key] = ready
    return ready


def run_chunk(workload: Workload, chunk: Chunk) -> ChunkResult:
    """Run a chunk; a replication that raises becomes a row with its error and the rest go on."""
    started = time.process_time()
    ready = prepared(workload)
    layout = ready.layout
    group = layout.groups[chunk.group]
    base: Row = {"policy": group.policy, "point": group.point}
    base |= {f"sweep.{path}": value for path, value in group.params}
    rows: list[Row] = []
    samples = {
        s.name: np.full((chunk.stop - chunk.start, len(layout.grid)), np.nan) for s in layout.series
    }
    failures = 0
    for k, replication in enumerate(range(chunk.start, chunk.stop)):
        row = base | {"replication": replication, "seed": chunk.root_seed, "error": None}
        try:
            values, series = ready.run(
                chunk.group, replication_sequence(chunk.root_seed, replication)
            )
            for name, sample in samples.items():
                if name in series:
                    sample[k, :] = series[name]
        except Exception as error:  # recorded in the row; the batch goes on
            failures += 1
            row["error"] = f"{type(error).__name__}: {error}"
            for sample in samples.values():
                sample[k, :] = np.nan
        else:
            row |= values
        rows.append(row)
    cells = {s.name: summarise(s, samples[s.name]) for s in layout.series}
    return ChunkResult(
        chunk.index, rows_to_table(rows), cells, failures, time.process_time() - started
    )
