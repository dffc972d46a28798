"""`ttx run` through the real Typer app."""

from __future__ import annotations

from pathlib import Path

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
    assert any("Exercise ends" in line for line in lines)


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
