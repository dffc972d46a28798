"""One headless replication: the unit of work of a batch run."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.engine.metrics import Scalar, final_metrics
from simulator.engine.policies import Policy
from simulator.engine.simulation import Simulation
from simulator.engine.streams import Seed
from simulator.scenario.compiled import CompiledScenario


@dataclass(frozen=True, slots=True)
class ReplicationResult:
    """The metrics row of one run and its state sampled on a time grid."""

    row: dict[str, Scalar]
    series: dict[str, list[float]]


def run_replication(
    compiled: CompiledScenario,
    seed: Seed,
    policy: Policy | None = None,
    grid: Sequence[float] = (),
) -> ReplicationResult:
    """Run one replication to the end without a trace; sample the state at each grid time.

    Each sample is the state at exactly that time, after everything that happens then
    (readiness read off its movement there). A run that ended earlier holds its final state.
    """
    simulation = Simulation(compiled, seed, policy, live=False, trace=False, grid=grid)
    model = simulation.model
    simulation.run_until(math.inf)
    final = model.sample_values()
    series: dict[str, list[float]] = {key: [] for key in final}
    for when in grid:
        values = model.samples.get(when, final)
        for key, column in series.items():
            column.append(values[key])
    return ReplicationResult(final_metrics(model), series)
