"""The batch runner: split the work into chunks, run them, stream them to disk, summarise.

Plain on purpose. It knows neither the engine (a `Workload` runs replications) nor the screen
(progress goes to a callback), nor where chunks run (an `Executor`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import JsonValue

from simulator.batch.executors import Executor
from simulator.batch.results import ProgressRecord, ResultStore, write_json
from simulator.batch.series import SeriesCounts
from simulator.batch.summary import summarize
from simulator.batch.summary_format import BatchSummary
from simulator.batch.workload import Chunk, ChunkResult, Layout, Workload, prepared, run_chunk

MAX_CHUNK = 200
CHUNKS_PER_WORKER = 16


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a batch stands, as reported to the progress callback after each chunk."""

    done: int
    """Replications finished (including those of a resumed batch)."""
    total: int
    failures: int
    chunks_done: int
    chunks: int


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True, slots=True)
class Plan:
    """How a batch is cut: `runs` replications per group, in chunks of `chunk_size`."""

    runs: int
    seed: int
    groups: int
    chunk_size: int

    def chunks(self) -> list[Chunk]:
        """Group-major, then replication order: chunk indexes follow the order of the rows."""
        chunks: list[Chunk] = []
        for group in range(self.groups):
            for start in range(0, self.runs, self.chunk_size):
                stop = min(start + self.chunk_size, self.runs)
                chunks.append(Chunk(len(chunks), group, start, stop, self.seed))
        return chunks


def default_chunk_size(runs: int, workers: int) -> int:
    """Chunks big enough that dispatch costs little, small enough to balance and report often."""
    return max(1, min(MAX_CHUNK, math.ceil(runs / (max(1, workers) * CHUNKS_PER_WORKER))))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a finished batch produced."""

    out: Path
    runs_path: Path
    summary: BatchSummary
    layout: Layout
    series: SeriesCounts
    seconds: float
    """Wall time of this invocation (a resumed batch counts only its own part)."""
    cpu_seconds: float
    """Worker CPU time spent on the replications run by this invocation."""
    executed: int
    """Replications run by this invocation."""


def execute(
    workload: Workload,
    plan: Plan,
    executor: Executor,
    store: ResultStore,
    spec: JsonValue,
    *,
    resume: bool = False,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Run every chunk not already on disk, then write `runs.parquet`, the series tables and
    `summary.json`. The caller writes plots and the manifest, then calls `store.finish()`.

    `spec` describes the batch (it is stored in the progress record and must match on resume).
    An exception (Ctrl-C included) leaves the finished chunks on disk for `--resume`.
    """
    started = time.perf_counter()
    layout = prepared(workload).layout
    chunks = plan.chunks()
    record = ProgressRecord(spec=spec, chunk_size=plan.chunk_size, chunks=len(chunks))
    total = plan.runs * plan.groups
    series = SeriesCounts(layout)
    finished_runs = failures = executed = 0
    cpu = 0.0
    # The executor starts first: if it cannot (no scheduler there), nothing is written.
    with executor:
        done = store.start(record, resume=resume)
        for index in sorted(done):
            series.add(chunks[index].group, store.counts(index))
            finished_runs += chunks[index].stop - chunks[index].start
            failures += store.failures(index)

        def report() -> None:
            if progress is not None:
                progress(Progress(finished_runs, total, failures, len(done), len(chunks)))

        report()
        todo = [c for c in chunks if c.index not in done]
        result: ChunkResult
        for result in executor.map_unordered(run_chunk, workload, todo):
            chunk = chunks[result.index]
            store.write_chunk(result, len(done) + 1)
            done.add(result.index)
            series.add(chunk.group, result.counts)
            finished_runs += chunk.stop - chunk.start
            executed += chunk.stop - chunk.start
            failures += result.failures
            cpu += result.seconds
            report()
    runs_path = store.merge(len(chunks))
    series.write(store.out)
    summary = summarize(runs_path, layout, plan.runs, plan.seed)
    write_json(store.out / "summary.json", summary.model_dump(mode="json"))
    return Outcome(
        store.out,
        runs_path,
        summary,
        layout,
        series,
        time.perf_counter() - started,
        cpu,
        executed,
    )
