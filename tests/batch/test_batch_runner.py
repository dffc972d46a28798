"""The runner on a stub workload: identical results whatever the executor, chunking or
interruption; failures recorded and counted; the output directory guarded."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
from batch_stub import StubWorkload

from simulator.batch import executors
from simulator.batch.executors import (
    DaskExecutor,
    Executor,
    ExecutorError,
    LocalProcessExecutor,
    SerialExecutor,
)
from simulator.batch.results import ROW_GROUP_ROWS, ResultsError, ResultStore
from simulator.batch.runner import Outcome, Plan, Progress, execute

SPEC = {"test": "stub"}


def run(
    out: Path,
    workload: StubWorkload,
    *,
    runs: int = 50,
    chunk_size: int = 7,
    executor: Executor | None = None,
    resume: bool = False,
    progress: object = None,
) -> Outcome:
    groups = len(workload.points) * len(workload.policies)
    plan = Plan(runs, 42, groups, chunk_size)
    store = ResultStore(out)
    return execute(
        workload,
        plan,
        executor or SerialExecutor(),
        store,
        SPEC,
        resume=resume,
        progress=progress,  # type: ignore[arg-type]
    )


def files(out: Path) -> dict[str, bytes]:
    names = ("runs.parquet", "summary.json", "series.parquet", "occupancy.parquet")
    return {name: (out / name).read_bytes() for name in names}


def test_rows_are_sorted_by_group_then_replication_with_their_seed(tmp_path: Path) -> None:
    workload = StubWorkload(points=(0.2, 0.6), policies=("a", "b"))
    run(tmp_path, workload, runs=10, chunk_size=3)
    frame = pq.read_table(tmp_path / "runs.parquet").to_pandas()
    assert list(frame["policy"]) == ["a"] * 20 + ["b"] * 20
    assert list(frame["point"]) == ([0] * 10 + [1] * 10) * 2
    assert list(frame["replication"]) == list(range(10)) * 4
    assert set(frame["seed"]) == {42}
    assert list(frame.columns[:6]) == ["policy", "point", "sweep.p", "replication", "seed", "error"]


def test_identical_bytes_for_any_chunk_size_and_executor(tmp_path: Path) -> None:
    workload = StubWorkload(points=(0.2, 0.6), policies=("a", "b"))
    reference = files(run(tmp_path / "serial", workload).out)
    assert files(run(tmp_path / "chunks", workload, chunk_size=50).out) == reference
    assert files(run(tmp_path / "single", workload, chunk_size=1).out) == reference
    pooled = run(tmp_path / "pool", workload, executor=LocalProcessExecutor(2))
    assert files(pooled.out) == reference
    dask = DaskExecutor("local", 2, processes=False)
    assert files(run(tmp_path / "dask", workload, executor=dask).out) == reference


def test_row_groups_have_a_fixed_size(tmp_path: Path) -> None:
    run(tmp_path, StubWorkload(), runs=ROW_GROUP_ROWS + 10, chunk_size=1000)
    metadata = pq.ParquetFile(tmp_path / "runs.parquet").metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes == [ROW_GROUP_ROWS, 10]


class Interrupt:
    """A progress callback that presses Ctrl-C after `after` chunks."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.calls = 0

    def __call__(self, progress: Progress) -> None:
        if progress.chunks_done >= self.after:
            raise KeyboardInterrupt


@pytest.mark.parametrize("pooled", [False, True])
def test_interrupted_batch_resumes_to_the_uninterrupted_result(
    tmp_path: Path, pooled: bool
) -> None:
    workload = StubWorkload(points=(0.2, 0.6))
    reference = files(run(tmp_path / "whole", workload).out)
    out = tmp_path / "cut"
    executor = LocalProcessExecutor(2) if pooled else SerialExecutor()
    with pytest.raises(KeyboardInterrupt):
        run(out, workload, executor=executor, progress=Interrupt(after=4))
    record = json.loads((out / "progress.json").read_text())
    done = sorted((out / "parts").glob("chunk-*.arrow"))
    assert record["chunks"] == 16
    assert 4 <= len(done) < 16
    for part in done:
        with pa.memory_map(str(part)) as source:
            assert ipc.open_file(source).read_all().num_rows > 0
    assert not (out / "runs.parquet").exists()
    seen: list[Progress] = []
    run(out, workload, resume=True, progress=seen.append)
    assert seen[0].chunks_done == len(done)
    assert files(out) == reference


def test_a_resumed_batch_reports_the_failures_it_already_had(tmp_path: Path) -> None:
    workload = StubWorkload(fail_every=10)
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, workload, runs=30, chunk_size=10, progress=Interrupt(after=2))
    seen: list[Progress] = []
    run(tmp_path, workload, runs=30, chunk_size=10, resume=True, progress=seen.append)
    assert (seen[0].done, seen[0].failures) == (20, 2)
    assert (seen[-1].done, seen[-1].failures) == (30, 3)


def test_failing_replications_are_recorded_and_counted(tmp_path: Path) -> None:
    outcome = run(tmp_path, StubWorkload(fail_every=10), runs=30)
    frame = pq.read_table(tmp_path / "runs.parquet").to_pandas()
    failed = frame[frame["error"].notna()]
    assert list(failed["replication"]) == [0, 10, 20]
    assert list(failed["error"]) == [f"RuntimeError: stub failure at {i}" for i in (0, 10, 20)]
    assert failed["value"].isna().all()
    assert outcome.summary.failures == 3
    assert outcome.summary.groups[0].failures == 3
    assert outcome.summary.metrics["value"][0].n == 27


def test_a_replication_with_a_malformed_series_is_a_failure_and_counts_nothing(
    tmp_path: Path,
) -> None:
    outcome = run(tmp_path, StubWorkload(short_series_every=4), runs=20)
    frame = pq.read_table(tmp_path / "runs.parquet").to_pandas()
    assert list(frame.loc[frame["error"].notna(), "replication"]) == [0, 4, 8, 12, 16]
    assert frame["error"].dropna().str.startswith("ValueError").all()
    alert = outcome.layout.series[0]
    assert outcome.series.runs(0, alert).tolist() == [15, 15, 15]


def test_a_finished_directory_is_not_overwritten(tmp_path: Path) -> None:
    run(tmp_path, StubWorkload(), runs=5)
    with pytest.raises(ResultsError, match="already holds batch results"):
        run(tmp_path, StubWorkload(), runs=5)


def test_resume_refuses_a_different_batch(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, StubWorkload(), progress=Interrupt(after=1))
    store = ResultStore(tmp_path)
    plan = Plan(50, 42, 1, 7)
    with pytest.raises(ResultsError, match="different batch"):
        execute(StubWorkload(), plan, SerialExecutor(), store, {"other": 1}, resume=True)


def test_resume_needs_an_interrupted_batch(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="no interrupted batch"):
        run(tmp_path, StubWorkload(), resume=True)


def test_series_counts_give_occupancy_and_quantiles(tmp_path: Path) -> None:
    outcome = run(tmp_path, StubWorkload(), runs=400, chunk_size=50)
    alert, readiness = outcome.layout.series
    occupancy = outcome.series.occupancy(0, alert)
    assert occupancy[0].tolist() == [1.0, 0.0, 0.0]
    assert occupancy[1].sum() == pytest.approx(1.0)
    assert all(0.25 < share < 0.42 for share in occupancy[1])
    quantiles = outcome.series.quantiles(0, readiness)
    assert quantiles.values[0].tolist() == [0.5, 0.5, 0.5]
    assert quantiles.error[0].tolist() == [0.0, 0.0, 0.0]
    assert quantiles.values[1].tolist() == pytest.approx([0.1, 0.5, 0.9], abs=0.05)


def test_dask_without_its_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_distributed(name: str, package: str | None = None) -> ModuleType:
        if name == "distributed":
            raise ModuleNotFoundError(name)
        return real(name, package)

    monkeypatch.setattr(executors.importlib, "import_module", without_distributed)
    with pytest.raises(ExecutorError, match=r"pip install 'cbrn-ttx\[dask\]'"):
        DaskExecutor("local", 1).__enter__()
