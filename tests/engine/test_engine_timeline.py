"""Deterministic scenarios give exactly the expected timeline of records."""

from __future__ import annotations

import pytest

from simulator.engine.events import DecisionTaken, EventKind
from simulator.engine.simulation import Simulation, SimulationError
from tests.engine.helpers import scenario


def kinds_and_times(sim: Simulation) -> list[tuple[float, str]]:
    return [(e.time, e.kind.value) for e in sim.records]


def alert_timeline(sim: Simulation) -> list[tuple[float, str, str, str]]:
    return [
        (e.time, str(e.payload.scope), str(e.payload.old), str(e.payload.new))
        for e in sim.records
        if e.kind is EventKind.ALERT
    ]


DETERMINISTIC = """
injects:
  - {id: warning, title: Warning, trigger: {at: 6h}, effects: [{type: raise_alert, scope: nato}]}
  - {id: follow, title: Follow-up, trigger: {after: warning, delay: 1d},
     effects: [{type: raise_alert, scope: nato, steps: 5}]}
  - {id: calm, title: Calm, trigger: {at: 4d},
     effects: [{type: lower_alert, scope: nato}, {type: set_alert, scope: est, level: high}]}
"""


def test_deterministic_scenario_gives_exact_alert_timeline() -> None:
    sim = Simulation(scenario(DETERMINISTIC), seed=1)
    sim.run()
    assert alert_timeline(sim) == [
        (6.0, "nato", "normal", "elevated"),
        (30.0, "nato", "elevated", "maximum"),
        (96.0, "nato", "maximum", "high"),
        (96.0, "est", "normal", "high"),
    ]
    assert sim.records[-1].kind is EventKind.END
    assert sim.records[-1].time == 240.0
    assert sim.end_reason == "end of exercise time"


def test_seed_does_not_matter_when_nothing_is_random() -> None:
    first = Simulation(scenario(DETERMINISTIC), seed=1)
    second = Simulation(scenario(DETERMINISTIC), seed=99)
    first.run()
    second.run()
    assert [e.to_json() for e in first.records[1:]] == [e.to_json() for e in second.records[1:]]


def test_condition_fires_when_what_it_reads_changes_and_only_once() -> None:
    sim = Simulation(
        scenario(
            """
variables:
  - {id: tension, label: Tension, initial: 0.2, drift: {every: 1d, by: 0.1}}
injects:
  - {id: crisis, title: Crisis, trigger: {when: "vars.tension >= 0.45"}}
"""
        ),
        seed=3,
    )
    sim.run()
    injects = [e for e in sim.records if e.kind is EventKind.INJECT]
    assert [(e.time, e.payload.inject) for e in injects] == [(72.0, "crisis")]


def test_repeating_rule_rearms_after_its_condition_was_false() -> None:
    sim = Simulation(
        scenario(
            """
variables:
  - {id: tension, label: Tension, initial: 0.0, drift: {every: 1d, by: 0.3}}
rules:
  - id: relief
    when: "vars.tension > 0.5"
    repeat: true
    effects: [{type: set_variable, variable: tension, value: 0.0}]
"""
        ),
        seed=3,
    )
    sim.run()
    rule_times = [e.time for e in sim.records if e.kind is EventKind.RULE]
    # 0.3, 0.6 (fire, reset to 0), 0.3, 0.6 (fire), ...: every second day, day 10 included.
    assert rule_times == [48.0, 96.0, 144.0, 192.0, 240.0]


def test_end_condition_stops_the_run_early() -> None:
    sim = Simulation(
        scenario(
            """
injects:
  - {id: go, title: Go, trigger: {at: 2d}, effects: [{type: set_alert, scope: nato, level: maximum}]}
  - {id: never, title: Never, trigger: {at: 5d}}
end:
  - {id: top, when: "alert.nato == level.maximum", reason: Alliance at maximum alert}
"""
        ),
        seed=3,
    )
    sim.run()
    assert sim.finished
    assert sim.end_reason == "Alliance at maximum alert"
    assert sim.records[-1].time == 48.0
    assert not sim.snapshot().fired["never"]


def test_injects_are_delivered_at_most_once() -> None:
    sim = Simulation(
        scenario(
            """
injects:
  - {id: ping, title: Ping, trigger: {at: 1h}, effects: [{type: fire_inject, inject: ping}]}
  - {id: pong, title: Pong, trigger: {after: ping},
     effects: [{type: fire_inject, inject: ping}, {type: fire_inject, inject: pong}]}
"""
        ),
        seed=3,
    )
    sim.run()
    delivered = [e.payload.inject for e in sim.records if e.kind is EventKind.INJECT]
    assert delivered == ["ping", "pong"]


def test_deadline_applies_the_default_option_in_live_play() -> None:
    sim = Simulation(
        scenario(
            """
decisions:
  - id: aid
    title: Aid
    prompt: Send aid?
    trigger: {at: 1d}
    deadline: 6h
    default: wait
    options:
      - {id: send, label: Send}
      - {id: wait, label: Wait}
"""
        ),
        seed=3,
        live=True,
    )
    pending = sim.run_to_decision()
    assert pending is not None
    assert (pending.decision_id, pending.opened, pending.deadline) == ("aid", 24.0, 30.0)
    sim.run_until(40.0)
    decision = next(e for e in sim.records if e.kind is EventKind.DECISION)
    assert decision.payload == DecisionTaken("aid", "wait", "deadline", 24.0)
    assert decision.time == 30.0


def test_choosing_an_unknown_option_or_a_closed_decision_is_an_error() -> None:
    sim = Simulation(
        scenario(
            """
decisions:
  - id: aid
    title: Aid
    prompt: Send aid?
    trigger: {at: 1d}
    default: wait
    options: [{id: send, label: Send}, {id: wait, label: Wait}]
"""
        ),
        seed=3,
        live=True,
    )
    sim.run_to_decision()
    with pytest.raises(SimulationError, match="no option 'fly'"):
        sim.choose("aid", "fly")
    sim.choose("aid", "send")
    with pytest.raises(SimulationError, match="not open"):
        sim.choose("aid", "send")


def test_step_and_advance_to_replay_the_same_records() -> None:
    compiled = scenario(DETERMINISTIC)
    stepped = Simulation(compiled, seed=1)
    while not stepped.finished:
        stepped.step()
    jumped = Simulation(compiled, seed=1)
    jumped.advance_to(stepped.position)
    assert [e.to_json() for e in jumped.records] == [e.to_json() for e in stepped.records]
    with pytest.raises(SimulationError, match="cannot go back"):
        jumped.advance_to(0)


def test_subscribers_see_every_record_once() -> None:
    sim = Simulation(scenario(DETERMINISTIC), seed=1)
    seen: list[int] = []
    sim.subscribe(lambda event: seen.append(event.seq))
    sim.run()
    assert seen == [e.seq for e in sim.records[1:]]
    assert kinds_and_times(sim)[0] == (0.0, "start")


def test_consequence_indices_of_the_drawn_band_are_readable_in_expressions() -> None:
    sim = Simulation(
        scenario(
            """
chemical_use:
  probability: 1.0
  schedule: {start: 1d, every: 1d}
  bands: [{id: wide, label: Wide, affected: [pol], displaced: 25000}]
injects:
  - {id: shelter, title: Shelter request, trigger: {when: "'pol' in chem.affected && chem.displaced > 10000"}}
"""
        ),
        seed=1,
    )
    sim.run()
    shelter = next(e for e in sim.records if getattr(e.payload, "inject", None) == "shelter")
    assert shelter.time == 24.0
