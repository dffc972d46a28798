"""`run_batch` on real scenarios: an analytic oracle, identical results on every executor,
paired comparison of courses of action, overrides and sweeps, plots and the manifest."""

from __future__ import annotations

import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from simulator.batch import BatchError, load_results, run_batch
from simulator.batch.executors import DaskExecutor
from simulator.batch.runner import Progress

DATA = Path(__file__).parent / "data"
COIN = DATA / "coin.yaml"
CHOICE = DATA / "choice.yaml"
POLICIES = (DATA / "calm.yaml", DATA / "push.yaml")


def outputs(out: Path) -> dict[str, bytes]:
    names = ("runs.parquet", "summary.json", "series.parquet", "occupancy.parquet")
    return {name: (out / name).read_bytes() for name in names}


@pytest.mark.slow
def test_estimated_chance_of_use_contains_the_analytic_value(tmp_path: Path) -> None:
    p, days, runs = 0.05, 10, 4000
    result = run_batch(COIN, runs=runs, seed=2026, out=tmp_path, plots=False)
    stats = result.summary.metrics["chem_used"][0]
    lo, hi = stats.ci95
    assert lo <= 1 - (1 - p) ** days <= hi
    assert hi - lo < 0.04
    no_use = result.frame[~result.frame["chem_used"]]
    assert set(no_use["chem_evaluations"]) == {days}
    used = result.frame[result.frame["chem_used"]]
    # The day of use is geometric: P(first use on day k) = (1 - p) ** (k - 1) * p.
    first_day_share = (used["chem_time"] == 12.0).sum() / runs
    assert first_day_share == pytest.approx(p, abs=0.012)


@pytest.mark.slow
def test_results_are_identical_for_one_two_workers_and_dask(tmp_path: Path) -> None:
    common = {
        "runs": 60,
        "seed": 11,
        "policies": POLICIES,
        "sweeps": ["variables.tension.initial=0.2,0.5"],
        "plots": False,
    }
    serial = run_batch(CHOICE, jobs=1, out=tmp_path / "one", chunk_size=7, **common)
    pooled = run_batch(CHOICE, jobs=2, out=tmp_path / "two", **common)
    dask = run_batch(
        CHOICE, out=tmp_path / "dask", executor=DaskExecutor("local", 2, processes=False),
        chunk_size=13, **common,
    )  # fmt: skip
    reference = outputs(tmp_path / "one")
    assert outputs(tmp_path / "two") == reference
    assert outputs(tmp_path / "dask") == reference
    assert serial.manifest.executor == "serial (in process)"
    assert pooled.manifest.executor == "process pool (2 workers)"
    assert dask.manifest.executor.startswith("dask (LocalCluster on 127.0.0.1")
    pd.testing.assert_frame_equal(serial.frame, dask.frame)


@pytest.mark.slow
def test_courses_of_action_share_seeds_and_their_difference_is_paired(tmp_path: Path) -> None:
    result = run_batch(CHOICE, runs=600, seed=5, policies=POLICIES, out=tmp_path)
    frame = result.frame
    calm, push = frame[frame["policy"] == "calm"], frame[frame["policy"] == "push"]
    assert list(calm["replication"]) == list(push["replication"]) == list(range(600))
    assert set(calm["option.line"]) == {"calm"} and set(push["option.line"]) == {"push"}
    comparison = result.summary.comparisons[0]
    assert (comparison.baseline, comparison.other) == ("calm", "push")
    assert "chem_used" in comparison.significant
    diff = comparison.metrics["chem_used"]
    expected = push["chem_used"].mean() - calm["chem_used"].mean()
    assert diff.difference == pytest.approx(expected)
    assert diff.ci95[0] > 0
    names = sorted(p.name for p in result.plots)
    assert names == [
        "alert-occupancy-0.png", "alert-occupancy-1.png", "chem-timing.png", "comparison.png",
        "readiness-fan.png", "variables-fan.png",
    ]  # fmt: skip
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in result.plots)
    reloaded = load_results(tmp_path)
    pd.testing.assert_frame_equal(reloaded.frame, frame)
    assert reloaded.summary == result.summary


def test_set_and_sweep_change_the_scenario_and_label_the_rows(tmp_path: Path) -> None:
    result = run_batch(
        COIN,
        runs=200,
        sets=["alert.initial.alliance=high"],
        sweeps=["chemical_use.probability=0:0.2:3"],
        out=tmp_path,
    )
    frame = result.frame
    assert list(frame["sweep.chemical_use.probability"].unique()) == [0.0, 0.1, 0.2]
    shares = frame.groupby("point")["chem_used"].mean()
    assert shares[0] == 0.0
    assert shares[1] < shares[2]
    assert (frame["alert_max.alliance"] == 1).all()
    labels = [g.label for g in result.summary.groups]
    assert labels[1] == "chemical_use.probability=0.1"
    assert [c.other for c in result.summary.comparisons] == labels[1:]
    assert sorted(p.name for p in result.plots) == [
        "alert-occupancy-0.png", "alert-occupancy-1.png", "alert-occupancy-2.png",
        "chem-timing.png", "comparison.png", "sweep.png",
    ]  # fmt: skip
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["sets"] == ["alert.initial.alliance=high"]
    assert manifest["seeding"].startswith("replication i uses numpy SeedSequence")
    assert {"numpy", "pyarrow", "simpy"} <= set(manifest["packages"])
    assert manifest["packages"]["cbrn-ttx"] == metadata.version("cbrn-ttx")
    assert [f for f in manifest["files"] if not f.startswith("plots/")] == [
        "manifest.json", "occupancy.parquet", "runs.parquet", "series.parquet", "summary.json",
    ]  # fmt: skip


def test_without_out_the_batch_runs_in_a_temporary_directory() -> None:
    result = run_batch(COIN, runs=20, seed=1)
    assert result.out is None
    assert len(result.frame) == 20


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sets": ["chemical_use.probability=2"]}, r"with chemical_use.probability=2: .*1"),
        ({"sets": ["chemical_use.nope.x=1"]}, "has no field 'nope'"),
        ({"sweeps": ["chemical_use.probability=a,a"]}, "repeated value"),
        ({"policies": [DATA / "push.yaml"]}, "unknown decision 'line'"),
        ({"runs": 0}, "--runs must be between 1"),
        ({"jobs": 0}, "--jobs must be at least 1"),
    ],
)
def test_bad_requests_raise_one_clear_error(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"runs": 5, "out": tmp_path} | kwargs
    with pytest.raises(BatchError, match=message):
        run_batch(COIN, **arguments)  # type: ignore[arg-type]


def test_scenario_errors_keep_their_file_positions(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(COIN.read_text().replace("probability: 0.05", "probability: 5"))
    with pytest.raises(BatchError) as caught:
        run_batch(broken, runs=5, out=tmp_path / "out")
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == (str(broken), 22)


def test_resume_accepts_another_spelling_of_the_same_files_but_not_other_work(
    tmp_path: Path,
) -> None:
    def stop(progress: Progress) -> None:
        if progress.chunks_done >= 2:
            raise KeyboardInterrupt

    arguments: dict[str, Any] = {"runs": 400, "seed": 3, "chunk_size": 50, "plots": False}
    with pytest.raises(KeyboardInterrupt):
        run_batch(COIN, out=tmp_path / "cut", progress=stop, **arguments)
    with pytest.raises(BatchError, match="holds a different batch"):
        run_batch(COIN, out=tmp_path / "cut", resume=True, **(arguments | {"runs": 500}))
    relative = os.path.relpath(COIN)
    resumed = run_batch(relative, out=tmp_path / "cut", resume=True, **arguments)
    whole = run_batch(COIN, out=tmp_path / "whole", **arguments)
    assert outputs(tmp_path / "cut") == outputs(tmp_path / "whole")
    assert resumed.manifest.replications_run_now == 300
    assert whole.manifest.replications_run_now == 400
