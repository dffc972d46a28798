"""The series of a real batch: known values from the scenario, identical `series.parquet` for
any chunking, exact values where every run agrees, and no resuming of an older layout."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from simulator.batch import run_batch
from simulator.batch.api import build_workload
from simulator.batch.runner import Progress
from tui.cli import app

DATA = Path(__file__).parent / "data"
CHOICE = DATA / "choice.yaml"
PUSH = "decisions.line.options.push.effects"


def test_known_values_come_from_every_sweep_point_and_effect() -> None:
    workload, _ = build_workload(
        CHOICE,
        sets=[
            f"{PUSH}=[{{type: set_variable, variable: tension, value: 0.25}},"
            " {type: set_variable, variable: tension, value: 3},"
            " {type: set_readiness_target, units: [bg_nordland], target: 0.75},"
            " {type: set_readiness_target, units: [bg_nordland], target: null}]"
        ],
        sweeps=["variables.tension.initial=0.2,0.5"],
    )
    specs = {s.name: s for s in workload.prepare().layout.series}
    # 3 is kept within the variable's bounds, as the engine keeps it; null releases a pin.
    assert specs["vars.tension"].known == (0.0, 0.2, 0.25, 0.5, 1.0)
    assert specs["readiness.bg_nordland"].known == (0.3, 0.6, 0.75, 0.9)
    assert specs["alert.alliance"].discrete


def test_series_parquet_is_identical_for_any_chunk_size_and_exact_where_runs_agree(
    tmp_path: Path,
) -> None:
    for size in (1, 7):
        run_batch(
            CHOICE, runs=23, seed=8, jobs=1, out=tmp_path / str(size), chunk_size=size, plots=False
        )
    one, seven = (tmp_path / "1" / "series.parquet"), (tmp_path / "7" / "series.parquet")
    assert one.read_bytes() == seven.read_bytes()
    frame = pq.read_table(one).to_pandas()
    assert list(frame.columns) == [
        "group", "policy", "point", "series", "time", "n", "p10", "p50", "p90", "error",
    ]  # fmt: skip
    start = frame[frame["time"] == 0.0].set_index("series")
    fans = start[["p10", "p50", "p90"]]
    assert list(fans.loc["readiness.bg_nordland"]) == [0.3] * 3
    assert list(fans.loc["vars.tension"]) == [0.4] * 3
    assert (start["error"] == 0.0).all()
    assert (frame.loc[frame["series"].str.startswith("alert."), "error"] == 0.0).all()
    assert (frame["error"] <= 1 / 200).all()
    manifest = json.loads((tmp_path / "1" / "manifest.json").read_text())
    assert manifest["series_quantiles"].startswith("inverse empirical CDF")
    assert "at most 1/200 of the series' range" in manifest["series_quantiles"]


def test_a_batch_started_by_an_older_version_cannot_be_resumed(tmp_path: Path) -> None:
    def stop(progress: Progress) -> None:
        if progress.chunks_done >= 1:
            raise KeyboardInterrupt

    out = tmp_path / "old"
    with pytest.raises(KeyboardInterrupt):
        run_batch(CHOICE, runs=20, chunk_size=5, out=out, plots=False, progress=stop)
    record = json.loads((out / "progress.json").read_text())
    (out / "progress.json").write_text(json.dumps(record | {"format": "ttx-batch-progress/1"}))
    result = CliRunner().invoke(
        app, ["batch", str(CHOICE), "-n", "20", "--out", str(out), "--resume", "--no-plots"]
    )
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("ttx: error: ")
    assert "started by another version of ttx" in line and "start it afresh" in line
