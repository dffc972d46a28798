"""Failed replications cannot pass unnoticed: exit status 1, the first error, and the bias."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from simulator.scenario.loader import load_scenario
from tui.cli import app

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"


def test_failed_runs_exit_1_and_name_the_first_error(tmp_path: Path) -> None:
    decision = load_scenario(TUTORIAL).scenario.decisions[-1]
    ok = decision.options[0].id
    policy = tmp_path / "flaky.yaml"
    # Fails exactly in the runs where chemical use came first: the survivors are biased.
    policy.write_text(
        f"name: flaky\ndecisions:\n  {decision.id}: {{rule: \"chem.used ? 'nope' : '{ok}'\"}}\n"
    )
    out = tmp_path / "out"
    arguments = ["batch", str(TUTORIAL), "--runs", "60", "--seed", "1", "--jobs", "1"]
    arguments += ["--policy", str(policy), "--out", str(out), "--no-plots"]
    result = CliRunner().invoke(app, arguments)
    summary = json.loads((out / "summary.json").read_text())
    failures = summary["failures"]
    assert 0 < failures < 60
    assert result.exit_code == 1
    assert f"ttx: error: {failures} of 60 runs failed" in result.stderr
    assert "may be biased" in result.stderr
    first = summary["groups"][0]["first_failure"]
    assert "gave 'nope', which is not one of its options" in first["error"]
    assert f"replication {first['replication']}" in result.stderr
