"""The workload of `ttx batch`: a scenario (at each sweep point) under each course of action.

Only texts and plain data travel to workers (compiled CEL programs do not pickle); each worker
compiles them once. Groups are ordered policy-major, then sweep point, as rows are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from simulator.batch.cells import MAX_KNOWN_VALUES, SeriesSpec
from simulator.batch.workload import (
    Group,
    Layout,
    Row,
    Scalar,
    ScenarioFacts,
    SeriesValues,
)
from simulator.engine.describe import Describer
from simulator.engine.policies import Policy, build_policy
from simulator.engine.replication import run_replication
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.effects import SetReadinessTarget, SetVariable
from simulator.scenario.loader import load_scenario_text
from simulator.scenario.references import effect_sites

_NICE_STEPS = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0, 336.0, 720.0)
GRID_POINTS = 60


def time_grid(duration: float, points: int = GRID_POINTS) -> tuple[float, ...]:
    """Hour zero to `duration` in round steps (1 h, 2 h, ... 12 h, 1 d, ...), about `points`."""
    target = duration / points
    step = next((s for s in _NICE_STEPS if s >= target), _NICE_STEPS[-1])
    count = int(duration // step)
    grid = [k * step for k in range(count + 1)]
    if grid[-1] < duration:
        grid.append(duration)
    return tuple(grid)


@dataclass(frozen=True)
class ScenarioWorkload:
    """Scenario text per sweep point, policy data per course of action, and the time grid."""

    path: str
    texts: tuple[str, ...]
    params: tuple[tuple[tuple[str, Scalar], ...], ...]
    """Per sweep point: the swept paths and their values."""
    policies: tuple[tuple[str, Any], ...]
    """(name, policy file data) per course of action; data None for the default policy."""
    grid: tuple[float, ...] = ()

    @cached_property
    def key(self) -> str:
        text = json.dumps(
            [self.path, self.texts, self.params, self.policies, self.grid], sort_keys=True
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def prepare(self) -> PreparedScenario:
        return PreparedScenario(self)


def series_specs(compiled: Sequence[CompiledScenario]) -> tuple[SeriesSpec, ...]:
    """Alert rungs per scope, readiness per unit, and each variable over its widest bounds,
    each with the values runs sit at exactly (at any sweep point)."""
    scenario = compiled[0].scenario
    levels = tuple(level.id for level in scenario.alert.levels)
    specs = [
        SeriesSpec(f"alert.{scope}", 0.0, float(len(levels) - 1), True, levels)
        for scope in scenario.alert.initial
    ]
    specs += [
        SeriesSpec(f"readiness.{unit.id}", 0.0, 1.0, known=_known_readiness(compiled, unit.id))
        for unit in scenario.units
    ]
    for variable in scenario.variables:
        same = [v for c in compiled for v in c.scenario.variables if v.id == variable.id]
        known = _known_variable(compiled, variable.id)
        specs.append(
            SeriesSpec(
                f"vars.{variable.id}",
                min(v.min for v in same),
                max(v.max for v in same),
                known=known,
            )
        )
    return tuple(specs)


def _first_known(*tiers: Iterable[float]) -> tuple[float, ...]:
    """The distinct values of the tiers, most telling first, cut to the cap, then sorted.

    Past the cap a value merely loses its exact cell: its runs fall in an interval cell and
    the quantiles there carry their error bound.
    """
    distinct = dict.fromkeys(float(v) for tier in tiers for v in tier)
    return tuple(sorted(list(distinct)[:MAX_KNOWN_VALUES]))


def _known_readiness(compiled: Sequence[CompiledScenario], unit_id: str) -> tuple[float, ...]:
    """Where a unit's readiness rests: its initial value and every target it can be given."""
    units = [u for c in compiled for u in c.scenario.units if u.id == unit_id]
    pinned = (
        effect.target
        for c in compiled
        for _, effect in effect_sites(c.scenario)
        if isinstance(effect, SetReadinessTarget)
        and unit_id in effect.units
        and effect.target is not None
    )
    return _first_known(
        (u.readiness.initial for u in units),
        (t for u in units for t in u.readiness.targets.values()),
        pinned,
    )


def _known_variable(compiled: Sequence[CompiledScenario], variable_id: str) -> tuple[float, ...]:
    """Where a variable rests: its bounds (changes stop there), its initial value, and every
    value `set_variable` gives it, kept within the bounds as the engine keeps it."""
    bounds: list[float] = []
    initial: list[float] = []
    assigned: list[float] = []
    for c in compiled:
        variable = next(v for v in c.scenario.variables if v.id == variable_id)
        bounds += [variable.min, variable.max]
        initial.append(variable.initial)
        assigned += [
            min(variable.max, max(variable.min, effect.value))
            for _, effect in effect_sites(c.scenario)
            if isinstance(effect, SetVariable) and effect.variable == variable_id
        ]
    return _first_known(bounds, initial, assigned)


def scenario_facts(compiled: CompiledScenario) -> ScenarioFacts:
    """Names, labels and colours that the summary and plots show."""
    s = compiled.scenario
    words = Describer(s)
    return ScenarioFacts(
        id=s.meta.id,
        title=s.meta.title,
        banner=s.meta.banner,
        levels=tuple(s.alert.levels),
        scopes={scope: words.name(scope) for scope in s.alert.initial},
        units={u.id: u.name for u in s.units},
        variables={v.id: v.label for v in s.variables},
        metrics={m.id: m.label for m in s.analysis.metrics},
        decisions={d.id: d.title for d in s.decisions},
        source_hash=compiled.source_hash,
    )


class PreparedScenario:
    """A workload compiled in this process: scenarios per point, policies per point."""

    def __init__(self, workload: ScenarioWorkload) -> None:
        self._compiled = [load_scenario_text(text, workload.path) for text in workload.texts]
        self._policies: list[list[Policy | None]] = [
            [None if data is None else build_policy(data, c) for c in self._compiled]
            for _, data in workload.policies
        ]
        self._grid = workload.grid
        named = len(workload.policies) > 1 or workload.policies[0][1] is not None
        groups = tuple(
            Group(name, point, workload.params[point], named)
            for name, _ in workload.policies
            for point in range(len(workload.texts))
        )
        self._layout = Layout(
            groups=groups,
            grid=workload.grid,
            series=series_specs(self._compiled),
            sweep_paths=tuple(path for path, _ in workload.params[0]),
            info=scenario_facts(self._compiled[0]),
        )

    @property
    def layout(self) -> Layout:
        return self._layout

    def run(self, group: int, seed: np.random.SeedSequence) -> tuple[Row, SeriesValues]:
        policy, point = divmod(group, len(self._compiled))
        result = run_replication(
            self._compiled[point], seed, self._policies[policy][point], self._grid
        )
        return result.row, result.series
