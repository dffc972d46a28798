"""`ttx run`: one seeded headless run as a readable timeline or JSON Lines of event records."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer

from tui.commands.errors import fail, fail_with_issues


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    *,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Root seed of the run.")] = 0,
    policy: Annotated[
        Path | None,
        typer.Option(help="Policy (course of action) YAML; default options otherwise."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Stop at this exercise time, e.g. '3d' or '36h'.")
    ] = None,
    json_lines: Annotated[
        bool, typer.Option("--json", help="Print event records as JSON Lines.")
    ] = False,
) -> None:
    """Run SCENARIO once, headless, and print what happened."""
    from simulator.engine.describe import Describer
    from simulator.engine.policies import load_policy
    from simulator.engine.simulation import Simulation, SimulationError
    from simulator.scenario.durations import parse_duration
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.loader import load_scenario

    try:
        stop = math.inf if until is None else parse_duration(until)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--until") from None
    try:
        compiled = load_scenario(scenario)
        chosen = None if policy is None else load_policy(policy, compiled)
    except ScenarioError as error:
        fail_with_issues(error.issues)
    simulation = Simulation(compiled, seed, chosen)
    try:
        simulation.run_until(stop)
    except SimulationError as error:
        # A scenario the load-time checks could not fault (a value-dependent expression
        # failure): the user's problem, said in one line, not a crash.
        stopped = Describer(compiled.scenario).stamp(simulation.now)
        fail(f"{scenario}: run stopped at {stopped}: {error}")
    out = sys.stdout
    if json_lines:
        out.writelines(event.to_json() + "\n" for event in simulation.records)
        return
    describer = Describer(compiled.scenario)
    meta = compiled.scenario.meta
    start = compiled.scenario.clock.start
    out.write(
        f"{meta.banner}\n{meta.title} (seed {seed}; D+0 00:00 is {start:%Y-%m-%d %H:%MZ})\n\n"
    )
    for event in simulation.records:
        out.write(
            f"{describer.stamp(event.time)}  {event.kind.value:<16} {describer.describe(event)}\n"
        )
    if not simulation.finished:
        out.write(f"\n(stopped at {describer.stamp(stop)}, as asked)\n")
    out.write(f"\n{meta.banner}\n")
