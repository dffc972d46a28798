"""An expression that fails on values (index out of range, integer overflow) is the scenario's
problem in one line, at load time when a sample state shows it and at run time otherwise; never
an internal error (issue 10, first defect)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.engine.simulation import Simulation, SimulationError
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loader import load_scenario_text
from tests.engine.helpers import BASE, compile_text
from tui.cli import app

VARIABLE = """
variables:
  - {id: k, label: K, initial: 0, min: 0, max: 1}
injects:
  - {id: bump, title: Bump, trigger: {at: 1h}, effects: [{type: set_variable, variable: k, value: 0.25}]}
"""


def _rule(when: str) -> str:
    return (
        BASE
        + VARIABLE
        + f"""
rules:
  - {{id: r, when: "{when}", effects: [{{type: raise_alert, scope: nato}}]}}
"""
    )


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("[10][int(vars.k * 5.0)] > 0", "index out of bounds"),
        ("9223372036854775807 + int(vars.k) > 0", "failed: "),
    ],
)
def test_a_failure_a_sample_state_shows_is_a_load_error(when: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(_rule(when), "s.yaml")
    (issue,) = caught.value.issues
    assert issue.message.startswith(f"rules[0].when: expression '{when}' failed")
    assert problem in issue.message and issue.line == 22


WHEN = "vars.k == 0.25 ? [1][3] > 0 : false"
"""Fine in every sample state; fails once the inject sets k to 0.25, at D+0 01:00."""


def test_a_failure_only_the_run_reaches_is_a_simulation_error() -> None:
    simulation = Simulation(compile_text(_rule(WHEN)), 1)
    with pytest.raises(SimulationError, match=r"failed: index out of bounds: 3"):
        simulation.run_until(48.0)


def test_ttx_run_and_validate_say_it_in_one_line(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime.yaml"
    runtime.write_text(_rule(WHEN))
    loaded = tmp_path / "loaded.yaml"
    loaded.write_text(_rule("[10][int(vars.k * 5.0)] > 0"))
    runner = CliRunner()
    ran = runner.invoke(app, ["run", str(runtime), "--seed", "1"])
    assert ran.exit_code == 1
    (line,) = ran.stderr.strip().splitlines()
    assert "run stopped at D+0 01:00" in line and "index out of bounds" in line
    checked = runner.invoke(app, ["validate", str(loaded)])
    assert checked.exit_code == 1
    (line,) = checked.stdout.strip().splitlines()
    assert line.startswith(f"{loaded}:") and ": error: " in line
