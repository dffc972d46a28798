"""Same scenario + seed + decisions gives the same records, whichever way decisions arrive."""

from __future__ import annotations

import numpy as np

from simulator.engine.events import EventKind
from simulator.engine.policies import fixed_policy
from simulator.engine.simulation import Simulation
from simulator.engine.streams import SeedRecord, Streams, replication_sequence
from tests.engine.helpers import scenario

CRISIS = """
variables:
  - {id: tension, label: Tension, initial: 0.3, drift: {every: 1d, by: {dist: uniform, low: -0.05, high: 0.1}}}
units:
  - id: bg_est
    name: BG Estonia
    host: est
    lead: pol
    readiness:
      initial: 0.5
      scope: nato
      targets: {normal: 0.5, elevated: 0.7, high: 0.9, maximum: 1.0}
      mobilisation: {dist: lognormal, mean: 36h, sd: 12h}
injects:
  - {id: intel, title: Intel, trigger: {at: {dist: uniform, low: 6h, high: 30h}}, probability: 0.8,
     effects: [{type: adjust_variable, variable: tension, by: 0.1}]}
  - {id: summit, title: Summit, trigger: {at: 2d}, effects: [{type: open_decision, decision: aid}]}
  - {id: posture, title: Posture, trigger: {on_decision: aid, option: send, delay: 12h},
     effects: [{type: raise_alert, scope: nato, steps: 2}]}
decisions:
  - id: aid
    title: Aid
    prompt: Send defensive aid?
    default: wait
    options:
      - {id: send, label: Send, effects: [{type: adjust_variable, variable: tension, by: -0.2}]}
      - {id: wait, label: Wait, effects: [{type: raise_alert, scope: nato}]}
  - id: follow
    title: Follow-up
    prompt: Next step?
    trigger: {on_decision: aid, delay: 3d}
    default: hold
    options: [{id: hold, label: Hold}, {id: press, label: Press}]
chemical_use:
  probability: "0.05 + vars.tension * 0.1"
  schedule: {start: 12h, every: 1d}
  bands:
    - {id: limited, label: Limited, weight: 3, affected: [pol], displaced: 2000,
       effects: [{type: raise_alert, scope: est}]}
    - {id: wide, label: Wide, weight: 1, affected: [est, pol], displaced: 20000}
"""


def trace(sim: Simulation) -> list[str]:
    return [e.to_json() for e in sim.records]


def test_same_seed_same_trace_and_another_seed_differs() -> None:
    compiled = scenario(CRISIS)
    runs = [Simulation(compiled, seed) for seed in (7, 7, 8)]
    for sim in runs:
        sim.run()
    assert trace(runs[0]) == trace(runs[1])
    assert trace(runs[0]) != trace(runs[2])


def test_live_choices_equal_a_headless_policy_choosing_the_same() -> None:
    compiled = scenario(CRISIS)
    for seed in range(5):
        live = Simulation(compiled, seed, live=True)
        while (pending := live.run_to_decision()) is not None:
            option = {"aid": "send", "follow": "press"}[pending.decision_id]
            live.choose(pending.decision_id, option, by="policy")
        headless = Simulation(
            compiled, seed, fixed_policy("coa", {"aid": "send", "follow": "press"})
        )
        headless.run()
        assert live.finished
        assert trace(live) == trace(headless)


def test_changing_a_decision_leaves_earlier_adversary_draws_unchanged() -> None:
    compiled = scenario(CRISIS)
    for seed in range(20):
        send = Simulation(compiled, seed, fixed_policy("a", {"aid": "send"}))
        wait = Simulation(compiled, seed, fixed_policy("b", {"aid": "wait"}))
        send.run()
        wait.run()

        def evaluations_before_decision(sim: Simulation) -> list[str]:
            decided = next(e.time for e in sim.records if e.kind is EventKind.DECISION)
            return [
                e.to_json()
                for e in sim.records
                if e.kind is EventKind.CHEM_EVALUATION and e.time <= decided
            ]

        assert evaluations_before_decision(send) == evaluations_before_decision(wait)
        assert evaluations_before_decision(send)


def test_streams_depend_on_name_not_on_creation_order() -> None:
    root = replication_sequence(42, 3)
    first, second = Streams(root), Streams(root)
    a1 = first["unit:a"].random(3)
    b1 = first["unit:b"].random(3)
    b2 = second["unit:b"].random(3)
    a2 = second["unit:a"].random(3)
    assert np.array_equal(a1, a2)
    assert np.array_equal(b1, b2)
    assert not np.array_equal(a1, b1)


def test_replication_seed_is_the_ith_child_and_round_trips_as_a_record() -> None:
    children = np.random.SeedSequence(42).spawn(5)
    for i, child in enumerate(children):
        ours = replication_sequence(42, i)
        assert ours.generate_state(4).tolist() == child.generate_state(4).tolist()
        record = SeedRecord.of(ours)
        assert record.trace() == (42, i)
        assert record.sequence().generate_state(4).tolist() == child.generate_state(4).tolist()
