"""`ttx batch` through the real Typer app, and once through the installed executable."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

DATA = Path(__file__).parent / "data"
COIN = DATA / "coin.yaml"
CHOICE = DATA / "choice.yaml"
runner = CliRunner()


def test_batch_writes_results_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(COIN), "--runs", "300", "--seed", "4", "--out", str(out), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Batch summary: estimate [95 % interval]" in result.stdout
    assert "EXERCISE EXERCISE EXERCISE" in result.stdout
    assert "Chemical use (share of runs)" in result.stdout
    assert "300 runs in" in result.stdout
    assert "ttx batch: 300/300 runs (100 %)" in result.stderr
    names = {p.name for p in out.iterdir()}
    assert {"runs.parquet", "summary.json", "manifest.json", "plots"} <= names
    assert not (out / "parts").exists() and not (out / "progress.json").exists()
    assert (out / "plots" / "chem-timing.png").exists()


def test_compared_policies_list_their_significant_differences(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["batch", str(CHOICE), "-n", "300", "--out", str(tmp_path / "o"), "--no-plots",
         "--policy", str(DATA / "calm.yaml"), "--policy", str(DATA / "push.yaml")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "push vs calm, paired on the same seeds (significant at 95 %):" in result.stdout
    assert "Chemical use (share of runs): +" in result.stdout
    assert "Tension at the end" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--runs", "0"], "--runs must be between 1 and 100,000,000, got 0"),
        (["--runs", "ten"], "--runs expects a whole number, got 'ten'"),
        (["--jobs", "0"], "--jobs must be between 1 and 4,096, got 0"),
        (["--seed", "-1"], "--seed must be between 0 and 9,223,372,036,854,775,807, got -1"),
        (["--dask", "nowhere"], "--dask expects 'local' or a scheduler address"),
        (["--sweep", "chemical_use.probability"], "--sweep expects PATH=VALUE"),
        (["--set", "chemical_use.nope.x=1"], "chemical_use.nope.x: 'chemical_use' has no field"),
        (["--resume"], "has no interrupted batch to resume"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(COIN), "--out", str(out), *arguments])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("ttx: error: ")
    assert message in line


def test_an_existing_result_is_not_overwritten(tmp_path: Path) -> None:
    arguments = ["batch", str(COIN), "-n", "10", "--out", str(tmp_path), "--no-plots"]
    assert runner.invoke(app, arguments).exit_code == 0
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert "already holds batch results; pass --resume" in result.stderr


def test_a_missing_policy_file_is_reported_at_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = runner.invoke(
        app, ["batch", str(COIN), "--out", str(tmp_path / "o"), "--policy", str(missing)]
    )
    assert result.exit_code == 1
    assert result.stderr == f"{missing}:0:0: error: file not found\n"


def _ttx() -> str:
    executable = Path(sys.executable).parent / "ttx"
    if not executable.exists():
        pytest.skip("the ttx executable is not installed next to this Python")
    return str(executable)


@pytest.mark.slow
def test_ctrl_c_leaves_a_partial_result_that_resume_completes(tmp_path: Path) -> None:
    arguments = [str(CHOICE), "-n", "3000", "--seed", "9", "--chunk-size", "30", "-j", "1",
                 "--no-plots"]  # fmt: skip
    cut = tmp_path / "cut"
    process = subprocess.Popen(
        [_ttx(), "batch", *arguments, "--out", str(cut)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list((cut / "parts").glob("chunk-*.arrow"))) < 3:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run the same command with --resume to finish" in stderr
    assert (cut / "progress.json").exists()
    assert not (cut / "runs.parquet").exists()
    resumed = runner.invoke(app, ["batch", *arguments, "--out", str(cut), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    whole = tmp_path / "whole"
    assert runner.invoke(app, ["batch", *arguments, "--out", str(whole)]).exit_code == 0
    for name in ("runs.parquet", "summary.json", "series.parquet", "occupancy.parquet"):
        assert (cut / name).read_bytes() == (whole / name).read_bytes(), name


@pytest.mark.slow
def test_dask_local_cluster_of_processes_writes_the_serial_result(tmp_path: Path) -> None:
    arguments = ["batch", str(CHOICE), "-n", "200", "--seed", "2", "--no-plots"]
    serial = runner.invoke(app, [*arguments, "-j", "1", "--out", str(tmp_path / "serial")])
    dask = runner.invoke(
        app, [*arguments, "-j", "2", "--dask", "local", "--out", str(tmp_path / "dask")]
    )
    assert serial.exit_code == 0 and dask.exit_code == 0, dask.output
    assert "dask (LocalCluster on 127.0.0.1, 2 worker threads)" in dask.stdout
    for name in ("runs.parquet", "summary.json", "series.parquet", "occupancy.parquet"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()


HOSTILE = r"[/] [bold]**x**</b> <script> $\frac{$ costs 5"
SHORT_HOSTILE = "[/] $x^{$ <b>**"


def test_hostile_labels_are_printed_and_drawn_as_written(tmp_path: Path) -> None:
    # Text from the files is data: not Rich markup in the summary (a `[/]` crashed it after the
    # runs), not mathtext in the charts (`$\\frac{$` failed the drawing).
    text = COIN.read_text(encoding="utf-8").replace(
        "title: Constant-probability test exercise", f"title: '{HOSTILE}'"
    )
    text += (
        f"analysis:\n  metrics:\n    - {{id: m, label: {SHORT_HOSTILE!r}, "
        "expr: chem.evaluations}\n"
    )
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(scenario), "--runs", "20", "--seed", "1", "--out", str(out), "-j", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert SHORT_HOSTILE in result.stdout
    assert (out / "plots" / "chem-timing.png").exists()
