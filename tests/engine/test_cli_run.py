"""`ttx run` through the real Typer app."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from tui.cli import app

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = str(ROOT / "scenarios" / "tutorial.yaml")
runner = CliRunner()


def test_readable_timeline_carries_the_exercise_banner() -> None:
    result = runner.invoke(app, ["run", TUTORIAL, "--seed", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "EXERCISE EXERCISE EXERCISE"
    assert lines[-1] == "EXERCISE EXERCISE EXERCISE"
    assert any("ENDEX: " in line for line in lines)


def test_until_stops_early() -> None:
    result = runner.invoke(app, ["run", TUTORIAL, "--json", "--until", "12h"])
    assert result.exit_code == 0
    assert '"kind":"end"' not in result.stdout
    assert '"kind":"start"' in result.stdout


def test_bad_until_is_a_usage_error() -> None:
    result = runner.invoke(app, ["run", TUTORIAL, "--until", "soon"])
    assert result.exit_code == 2
    assert "invalid duration 'soon'" in result.output


def test_missing_scenario_is_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["run", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"{missing}:0:0: error: file not found\n"


def test_policy_with_an_unknown_option_points_at_its_line(tmp_path: Path) -> None:
    from simulator.scenario.loader import load_scenario

    decision = load_scenario(TUTORIAL).scenario.decisions[0]
    policy = tmp_path / "coa.yaml"
    policy.write_text(f"name: coa\ndecisions:\n  {decision.id}: no_such_option\n")
    result = runner.invoke(app, ["run", TUTORIAL, "--policy", str(policy)])
    assert result.exit_code == 1
    column = len(f"  {decision.id}: ") + 1
    assert result.stderr == (
        f"{policy}:3:{column}: error: decisions.{decision.id}: "
        f"decision {decision.id!r} has no option 'no_such_option'\n"
    )


def test_policy_picks_the_options_it_names(tmp_path: Path) -> None:
    from simulator.scenario.loader import load_scenario

    decision = load_scenario(TUTORIAL).scenario.decisions[0]
    other = next(o.id for o in decision.options if o.id != decision.default)
    policy = tmp_path / "coa.yaml"
    policy.write_text(f"name: coa\ndecisions:\n  {decision.id}: {other}\n")
    result = runner.invoke(app, ["run", TUTORIAL, "--json", "--policy", str(policy)])
    assert result.exit_code == 0, result.output
    assert f'"decision":"{decision.id}"' in result.stdout
    assert f'"option":"{other}"' in result.stdout


def test_policy_file_mistakes_read_like_scenario_errors(tmp_path: Path) -> None:
    policy = tmp_path / "coa.yaml"
    policy.write_text("name: coa\ndecision: {}\n")
    result = runner.invoke(app, ["run", TUTORIAL, "--policy", str(policy)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{policy}:2:1: error: decision: unknown field 'decision'; did you mean 'decisions'?\n"
    )


def test_a_policy_rule_naming_no_option_stops_the_run_in_one_line(tmp_path: Path) -> None:
    from simulator.scenario.loader import load_scenario

    decision = load_scenario(TUTORIAL).scenario.decisions[0]
    policy = tmp_path / "coa.yaml"
    policy.write_text(f"name: coa\ndecisions:\n  {decision.id}: {{rule: \"'nope'\"}}\n")
    result = runner.invoke(app, ["run", TUTORIAL, "--policy", str(policy)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ttx: error: {TUTORIAL}: run stopped at D+")
    assert result.stderr.endswith(
        f"policy 'coa': the rule for {decision.id!r} gave 'nope', which is not one of its options\n"
    )


def _same_row(left: dict[str, object], right: dict[str, object]) -> bool:
    """Rows equal column by column, NaN (a time that never came) equal to NaN or null."""

    def norm(value: object) -> object:
        return None if isinstance(value, float) and math.isnan(value) else value

    return left.keys() == right.keys() and all(norm(left[k]) == norm(right[k]) for k in left)


def test_replication_reproduces_the_batch_row_exactly(tmp_path: Path) -> None:
    import pandas as pd

    from simulator.batch import run_batch
    from simulator.batch.workload import BASE_COLUMNS

    scenario = str(ROOT / "scenarios" / "eastern-flank.yaml")
    sweep = "chemical_use.probability=0.02,0.2"
    run_batch(scenario, runs=6, seed=41, sweeps=[sweep], out=tmp_path / "b", plots=False)
    rows = pd.read_parquet(tmp_path / "b" / "runs.parquet")
    batch_row = rows[(rows.replication == 4) & (rows.point == 1)].iloc[0].to_dict()
    engine_part = {
        k: v for k, v in batch_row.items() if k not in BASE_COLUMNS and not k.startswith("sweep.")
    }

    args = ["run", scenario, "--seed", "41", "--replication", "4", "--metrics"]
    result = runner.invoke(app, [*args, "--set", "chemical_use.probability=0.2"])
    assert result.exit_code == 0, result.output
    assert _same_row(json.loads(result.stdout), engine_part)


def test_replication_follows_the_documented_seed_rule() -> None:
    from simulator.engine.simulation import Simulation
    from simulator.scenario.loader import load_scenario

    args = ["run", TUTORIAL, "--seed", "41", "--replication", "4", "--metrics"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # replication i of seed S is SeedSequence(entropy=S, spawn_key=(i,)), not SeedSequence(S).
    rule = Simulation(load_scenario(TUTORIAL), np.random.SeedSequence(entropy=41, spawn_key=(4,)))
    rule.run()
    assert _same_row(json.loads(result.stdout), rule.metrics())
    plain = runner.invoke(app, ["run", TUTORIAL, "--seed", "41", "--metrics"])
    assert json.loads(plain.stdout) != json.loads(result.stdout)


def test_json_and_metrics_together_are_a_usage_error() -> None:
    result = runner.invoke(app, ["run", TUTORIAL, "--json", "--metrics"])
    assert result.exit_code == 2
    assert "choose one" in result.output


def test_ttx_run_opens_threshold_decisions_at_their_analytic_crossing_for_forty_seeds() -> None:
    path = str(Path(__file__).parent / "data" / "threshold_decisions.yaml")
    for seed in range(40):
        result = runner.invoke(app, ["run", path, "--seed", str(seed), "--json"])
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines()]
        spans = {
            r["unit"]: r["arrives"] - r["time"]
            for r in records
            if r["kind"] == "readiness_target" and r["time"] == 10.0
        }
        opened = {r["decision"]: r["time"] for r in records if r["kind"] == "decision_open"}
        assert abs(opened["high"] - (10.0 + 0.9 * spans["up"])) <= 1e-6
        assert abs(opened["mid"] - (10.0 + 0.65 * spans["up"])) <= 1e-6
        assert abs(opened["low"] - (10.0 + 0.75 * spans["down"])) <= 1e-6
        injects = {r["inject"]: r["time"] for r in records if r["kind"] == "inject"}
        assert (injects["hundred"], injects["third_day"]) == (100.0, 48.0)


def test_until_takes_plain_hours_as_files_do() -> None:
    hours = runner.invoke(app, ["run", TUTORIAL, "--seed", "3", "--until", "36"])
    units = runner.invoke(app, ["run", TUTORIAL, "--seed", "3", "--until", "1d 12h"])
    assert hours.exit_code == units.exit_code == 0, hours.output
    assert hours.stdout == units.stdout
    assert "(stopped at D+1 12:00" in hours.stdout
