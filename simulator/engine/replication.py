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
    (readiness read off its movement there, not at the last event). A run that ended earlier
    holds its final state.
    """
    simulation = Simulation(compiled, seed, policy, live=False, trace=False)
    model = simulation.model
    series: dict[str, list[float]] = {}
    for when in grid:
        simulation.run_until(when)
        # Stepping to `when` leaves the clock at the last event; nothing else changes between
        # events, and after the end nothing changes at all.
        at = min(when, model.now) if model.run.finished else when
        for key, value in model.sample_values(at).items():
            series.setdefault(key, []).append(value)
    simulation.run_until(math.inf)
    return ReplicationResult(final_metrics(model), series)
