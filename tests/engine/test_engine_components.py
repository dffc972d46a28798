"""Each component owns its state; what conditions read is that state, whatever happened."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import get_args

import pytest

from simulator.engine.simulation import Simulation
from simulator.engine.streams import replication_sequence
from simulator.scenario import effects as fx
from simulator.scenario.expressions import CHEM_FIELDS, flat_name
from simulator.scenario.loader import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def _view_matches_components(sim: Simulation) -> None:
    model = sim.model
    values = model.view.values
    adversary = model.adversary
    owned: dict[str, Mapping[str, object]] = {
        "alert": model.alerts.rung,
        "level": model.alerts.rung_of,
        "vars": model.variables.value,
        "fired": model.injects.fired,
        "chosen": model.decisions.chosen,
        "chem": {
            member: CHEM_FIELDS[member] if adversary is None else adversary.read(member)
            for member in CHEM_FIELDS
        },
    }
    for namespace, state in owned.items():
        for member, value in state.items():
            assert values[flat_name(namespace, member)] == value, (namespace, member)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("replication", range(3))
def test_what_conditions_read_is_the_components_state(path: Path, replication: int) -> None:
    sim = Simulation(load_scenario(path), replication_sequence(9, replication), live=True)
    _view_matches_components(sim)
    decisions = {d.id: d for d in sim.compiled.scenario.decisions}
    while not sim.finished:
        sim.run_until(math.inf)
        _view_matches_components(sim)
        for pending in sim.pending:
            sim.choose(pending.decision_id, decisions[pending.decision_id].options[-1].id)
            _view_matches_components(sim)
    snapshot = sim.snapshot()
    assert snapshot.variables == sim.model.variables.value
    assert snapshot.chosen == sim.model.decisions.chosen
    assert snapshot.fired == sim.model.injects.fired


def test_every_kind_of_effect_has_its_component() -> None:
    (union, *_) = get_args(fx.Effect)
    sim = Simulation(load_scenario(SCENARIOS[0]), 1)
    assert set(sim.model.run.handlers) == set(get_args(union))
