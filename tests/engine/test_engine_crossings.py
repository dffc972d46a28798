"""Conditions on readiness and the clock fire at the exact instant their comparison flips.

A unit moves linearly from `a` to `b` between 10 h and 70 h (fixed 60 h mobilisation), so it is
at 0.5 at T = 10 + 60 (0.5 - a) / (b - a) = 40 h whichever way it goes. At T a comparison with
0.5 sees the value exactly 0.5; at the next representable instant after T it sees the next number
past 0.5. So, going up, `>= 0.5` and `== 0.5` first hold at T, `> 0.5` at nextafter(T), and
`< 0.5` stops holding at T; going down, mirrored.

T itself is computed in floating point from 0.2 and 0.8, which are not exact binary numbers, so
it may sit an ulp or two from 40 (it is 39.99999999999999 going up): tests take the engine's T
from the announced 0.5 mark, check it is 40 to 1e-9 h, and then demand every other instant
exactly relative to it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import hypothesis.strategies as st
import pytest
from hypothesis import given

from simulator.engine.events import EventKind
from simulator.engine.instants import landing_delay
from simulator.engine.simulation import Simulation
from tests.engine.helpers import scenario

T = 40.0
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def moving_unit(start: float, end: float, thresholds: str = "[0.5]") -> str:
    return f"""
units:
  - id: u
    name: U
    host: est
    lead: est
    readiness:
      initial: {start}
      scope: nato
      targets: {{normal: {start}, elevated: {end}}}
      mobilisation: {{dist: fixed, value: 60h}}
      thresholds: {thresholds}
"""


def go_at_10h(extra_injects: str = "") -> str:
    return (
        "injects:\n"
        "  - {id: go, title: Go, trigger: {at: 10h}, "
        "effects: [{type: raise_alert, scope: nato}]}\n" + extra_injects
    )


def first_true(op: str, rising: bool, crossing: float) -> float:
    """Before the crossing the value is on the start side of 0.5, at it on it, after it past it."""
    below, at, above = (-1.0, 0.0, 1.0) if rising else (1.0, 0.0, -1.0)
    holds = OPS[op]
    if holds(below, 0.0):
        return 0.0
    if holds(at, 0.0):
        return crossing
    assert holds(above, 0.0)
    return math.nextafter(crossing, math.inf)


def inject_times(sim: Simulation) -> dict[str, float]:
    return {str(e.payload.inject): e.time for e in sim.records if e.kind is EventKind.INJECT}


def crossing_of(sim: Simulation) -> float:
    """The engine's instant for 0.5, from the announced mark (read there exactly as 0.5)."""
    marks = [(e.time, e.payload.readiness) for e in sim.records if e.kind is EventKind.READINESS]
    assert len(marks) == 1
    when, value = marks[0]
    assert value == 0.5
    assert when == pytest.approx(T, abs=1e-9)
    return when


@pytest.mark.parametrize("rising", [True, False], ids=["rising", "falling"])
@pytest.mark.parametrize("op", list(OPS))
def test_readiness_comparison_first_holds_at_its_exact_crossing(op: str, rising: bool) -> None:
    start, end = (0.2, 0.8) if rising else (0.8, 0.2)
    compiled = scenario(
        moving_unit(start, end)
        + go_at_10h(f'  - {{id: flip, title: Flip, trigger: {{when: "readiness.u {op} 0.5"}}}}\n')
    )
    sim = Simulation(compiled, 3)
    sim.run()
    assert inject_times(sim)["flip"] == first_true(op, rising, crossing_of(sim))


@pytest.mark.parametrize("rising", [True, False], ids=["rising", "falling"])
@pytest.mark.parametrize("op", list(OPS))
def test_the_state_at_the_firing_instant_satisfies_the_comparison(op: str, rising: bool) -> None:
    start, end = (0.2, 0.8) if rising else (0.8, 0.2)
    compiled = scenario(
        moving_unit(start, end)
        + go_at_10h(f'  - {{id: flip, title: Flip, trigger: {{when: "readiness.u {op} 0.5"}}}}\n')
    )
    reference = Simulation(compiled, 3)
    reference.run()
    when = first_true(op, rising, crossing_of(reference))
    sim = Simulation(compiled, 3)
    sim.run_until(when)
    assert sim.now == when
    assert OPS[op](sim.snapshot().readiness["u"], 0.5)


@pytest.mark.parametrize("op", list(OPS))
def test_a_comparison_that_stops_holding_rearms_a_repeating_rule_at_its_exact_instant(
    op: str,
) -> None:
    # `!(r op 0.5)` becomes true exactly when `r op 0.5` stops holding.
    compiled = scenario(
        moving_unit(0.2, 0.8)
        + go_at_10h()
        + f'rules:\n  - {{id: off, when: "!(readiness.u {op} 0.5)", effects: [], repeat: true}}\n'
    )
    sim = Simulation(compiled, 3)
    sim.run()
    fired = [e.time for e in sim.records if e.kind is EventKind.RULE]
    crossing = crossing_of(sim)
    expected = []
    held = False
    phases = ((0.0, -1.0), (crossing, 0.0), (math.nextafter(crossing, math.inf), 1.0))
    for when, relation in phases:
        holds = not OPS[op](relation, 0.0)
        if holds and not held:
            expected.append(when)
        held = holds
    assert fired == expected


def test_crossings_inside_and_or_fire_at_their_instant() -> None:
    compiled = scenario(
        moving_unit(0.2, 0.8)
        + """
variables:
  - {id: flag, label: Flag, initial: 0}
"""
        + go_at_10h(
            """  - {id: arm, title: Arm, trigger: {at: 20h}, effects: [{type: set_variable, variable: flag, value: 1}]}
  - {id: both, title: Both, trigger: {when: "vars.flag > 0.5 && readiness.u >= 0.5"}}
  - {id: either, title: Either, trigger: {when: "vars.flag > 1.5 || t >= 30.0"}}
  - {id: ternary, title: Ternary, trigger: {when: "vars.flag > 0.5 ? readiness.u > 0.5 : false"}}
"""
        )
    )
    sim = Simulation(compiled, 1)
    sim.run()
    times = inject_times(sim)
    crossing = crossing_of(sim)
    assert (times["both"], times["either"]) == (crossing, 30.0)
    assert times["ternary"] == math.nextafter(crossing, math.inf)


def test_a_unit_retargeted_at_its_crossing_leaves_the_constant_at_once() -> None:
    # Reaching 0.5 at 40 h lowers the alert: the unit turns back from exactly 0.5, so `< 0.5`
    # holds from the next instant and the announced 0.5 mark is recorded once, exactly.
    compiled = scenario(
        moving_unit(0.2, 0.8)
        + "variables:\n  - {id: turned, label: Turned, initial: 0}\n"
        + go_at_10h(
            "  - {id: below, title: Below, "
            'trigger: {when: "readiness.u < 0.5 && vars.turned > 0.5"}}\n'
        )
        + 'rules:\n  - {id: turn, when: "readiness.u >= 0.5", effects: '
        "[{type: lower_alert, scope: nato}, {type: set_variable, variable: turned, value: 1}]}\n"
    )
    sim = Simulation(compiled, 1)
    sim.run()
    crossing = crossing_of(sim)
    assert inject_times(sim)["below"] == math.nextafter(crossing, math.inf)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("t >= 100.0", 100.0),
        ("t > 100.0", math.nextafter(100.0, math.inf)),
        ("t == 100.0", 100.0),
        ("100 <= t", 100.0),
        ("t >= 24.0 * 4.0", 96.0),
        ("t >= 0.0", 0.0),
        ("t > 0.0", math.nextafter(0.0, math.inf)),
        ("t >= 240.0", 240.0),
        ("day >= 3", 48.0),
        ("day > 2", 48.0),
        ("day > 2.5", 48.0),
        ("day == 2", 24.0),
        ("double(day) >= 3.0", 48.0),
        ("!(day < 4)", 72.0),
        ("day * 2 >= 6", 48.0),
    ],
)
def test_clock_conditions_fire_at_their_instant_with_nothing_else_happening(
    condition: str, expected: float
) -> None:
    compiled = scenario(f'injects:\n  - {{id: c, title: C, trigger: {{when: "{condition}"}}}}\n')
    sim = Simulation(compiled, 1)
    sim.run()
    assert inject_times(sim) == {"c": expected}


@pytest.mark.parametrize("condition", ["t > 240.0", "day >= 12", "t < 0.0"])
def test_clock_conditions_true_only_after_the_end_never_fire(condition: str) -> None:
    compiled = scenario(f'injects:\n  - {{id: c, title: C, trigger: {{when: "{condition}"}}}}\n')
    sim = Simulation(compiled, 1)
    sim.run()
    assert inject_times(sim) == {}


def evaluations_in(compiled_text: str) -> tuple[Simulation, int]:
    """Run a scenario counting the condition evaluations the engine makes."""
    sim = Simulation(scenario(compiled_text), 1)
    state = sim.model.view
    evaluations = 0
    evaluate = state.evaluate

    def counting(expression):  # type: ignore[no-untyped-def]
        nonlocal evaluations
        evaluations += 1
        return evaluate(expression)

    state.evaluate = counting  # type: ignore[method-assign]
    sim.run()
    return sim, evaluations


NOISE = """
variables:
  - {id: noise, label: Noise, initial: 0, max: 1000, drift: {every: 1h, by: 1}}
  - {id: calm, label: Calm, initial: 0}
"""


def test_clock_conditions_are_not_rechecked_on_unrelated_changes() -> None:
    text = NOISE + 'rules:\n  - {id: late, when: "day >= 5 && vars.calm < 1.0", effects: []}\n'
    sim, evaluations = evaluations_in(text)
    assert [e.time for e in sim.records if e.kind is EventKind.RULE] == [96.0]
    assert evaluations == 1  # only at its wake-up (hour zero is before counting starts)


def test_conditions_on_the_clock_alone_are_looked_up_not_evaluated() -> None:
    # Their value is the same in every run, computed once when the scenario is compiled.
    text = (
        NOISE + 'rules:\n  - {id: late, when: "day >= 5 || t == 30.0", effects: [], repeat: true}\n'
    )
    sim, evaluations = evaluations_in(text)
    assert [e.time for e in sim.records if e.kind is EventKind.RULE] == [30.0, 96.0]
    assert evaluations == 0


def test_forty_seeds_open_each_decision_at_the_analytic_crossing() -> None:
    decisions = "".join(
        f"""  - {{id: {name}, title: {name}, prompt: p, trigger: {{when: "{condition}"}},
     options: [{{id: a, label: A}}, {{id: b, label: B}}], default: a}}
"""
        for name, condition in (
            ("high", "readiness.up >= 0.9"),
            ("mid", "readiness.up >= 0.65"),
            ("low", "readiness.down <= 0.25"),
        )
    )
    units = "".join(
        f"""  - id: {name}
    name: {name}
    host: est
    lead: est
    readiness:
      initial: {a}
      scope: nato
      targets: {{normal: {a}, elevated: {b}}}
      mobilisation: {{dist: uniform, low: 30h, high: 90h}}
"""
        for name, a, b in (("up", 0.0, 1.0), ("down", 1.0, 0.0))
    )
    compiled = scenario("units:\n" + units + go_at_10h() + "decisions:\n" + decisions)
    for seed in range(40):
        sim = Simulation(compiled, seed)
        sim.run()
        arrives = {
            e.payload.unit: float(e.payload.arrives)  #
            for e in sim.records
            if e.kind is EventKind.READINESS_TARGET and e.time == 10.0
        }
        opened = {
            e.payload.decision: e.time for e in sim.records if e.kind is EventKind.DECISION_OPEN
        }
        span_up, span_down = arrives["up"] - 10.0, arrives["down"] - 10.0
        assert opened["high"] == pytest.approx(10.0 + 0.9 * span_up, abs=1e-6)
        assert opened["mid"] == pytest.approx(10.0 + 0.65 * span_up, abs=1e-6)
        assert opened["low"] == pytest.approx(10.0 + 0.75 * span_down, abs=1e-6)


@given(
    now=st.floats(min_value=0.0, max_value=1e7, allow_nan=False),
    ahead=st.floats(min_value=0.0, max_value=1e7, allow_nan=False),
)
def test_an_absolute_instant_is_always_hit_exactly(now: float, ahead: float) -> None:
    when = now + ahead
    assert now + landing_delay(now, when) == when
