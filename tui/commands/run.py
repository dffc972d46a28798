"""`ttx run`: one seeded headless run as a readable timeline, JSON Lines of event records, or
its metrics row; `--replication I` reruns replication I of `ttx batch --seed S` exactly."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from simulator.engine.seed_range import MAX_SEED
from tui.commands.errors import fail, fail_with_issues
from tui.commands.model_options import Overrides

if TYPE_CHECKING:
    from simulator.engine.policies import Policy
    from simulator.scenario.compiled import CompiledScenario

EXIT_USAGE = 2


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    *,
    seed: Annotated[
        int, typer.Option("--seed", "-s", min=0, max=MAX_SEED, help="Root seed of the run.")
    ] = 0,
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
    replication: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Replication I of `ttx batch --seed S`: seeded SeedSequence(S, spawn_key=(I,)).",
        ),
    ] = None,
    set_: Overrides = None,
    metrics: Annotated[
        bool,
        typer.Option("--metrics", help="Print the run's metrics row (a batch row) as JSON."),
    ] = False,
) -> None:
    """Run SCENARIO once, headless, and print what happened."""
    from simulator.engine.describe import Describer
    from simulator.engine.simulation import Simulation, SimulationError
    from simulator.engine.streams import replication_sequence
    from simulator.scenario.durations import parse_duration

    if json_lines and metrics:
        fail("--json and --metrics print different things: choose one", EXIT_USAGE)
    try:
        stop = math.inf if until is None else parse_duration(until)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--until") from None
    compiled, chosen = _load(scenario, policy, set_ or [])
    root = seed if replication is None else replication_sequence(seed, replication)
    simulation = Simulation(compiled, root, chosen)
    try:
        simulation.run_until(stop)
    except SimulationError as error:
        # A scenario the load-time checks could not fault (a value-dependent expression
        # failure): the user's problem, said in one line, not a crash.
        stopped = Describer(compiled.scenario).stamp(simulation.now)
        fail(f"{scenario}: run stopped at {stopped}: {error}")
    out = sys.stdout
    if metrics:
        row = {
            k: None if isinstance(v, float) and math.isnan(v) else v
            for k, v in simulation.metrics().items()
        }
        out.write(json.dumps(row, allow_nan=False) + "\n")
        return
    if json_lines:
        out.writelines(event.to_json() + "\n" for event in simulation.records)
        return
    describer = Describer(compiled.scenario)
    meta = compiled.scenario.meta
    which = f"seed {seed}" if replication is None else f"seed {seed}, replication {replication}"
    out.write(f"{meta.banner}\n{meta.title} ({which}; D+0 00:00 is {describer.calendar(0.0)})\n\n")
    for event in simulation.records:
        line = describer.line(event)
        detail = f" ({line.detail})" if line.detail else ""
        out.write(
            f"{line.when}  {describer.calendar(event.time)}  {line.category:<13} {line.text}"
            f"{detail}\n"
        )
    if not simulation.finished:
        out.write(f"\n(stopped at {describer.stamp(stop)}, as asked)\n")
    out.write(f"\n{meta.banner}\n")


def _load(
    scenario: Path, policy: Path | None, sets: list[str]
) -> tuple[CompiledScenario, Policy | None]:
    """The scenario (with `--set` edits made as `ttx batch` makes them) and the policy."""
    from simulator.engine.policies import build_policy, load_policy
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.loader import load_scenario, load_scenario_text

    if not sets:
        try:
            compiled = load_scenario(scenario)
            return compiled, None if policy is None else load_policy(policy, compiled)
        except ScenarioError as error:
            fail_with_issues(error.issues)
    from simulator.batch.api import BatchError, build_workload

    try:
        workload, _ = build_workload(scenario, [policy] if policy else [], sets)
    except BatchError as error:
        if error.issues:
            fail_with_issues(error.issues)
        fail(str(error), EXIT_USAGE)
    compiled = load_scenario_text(workload.texts[0], str(scenario))
    data = workload.policies[0][1]
    return compiled, None if data is None else build_policy(data, compiled)
