"""Conditions on a unit's readiness fire at the instants scenarios/readiness_crossings.yaml,
readiness_retarget.yaml and readiness_instant.yaml derive, and the value read there is the
constant itself (or the next double past it). The scenarios' inputs are dyadic, so instants and
values are exact doubles, compared with ==; the one ramp between non-dyadic values reaches its
constant at an instant that rounds, compared to 1e-9 h."""

from __future__ import annotations

import math

import pytest

from simulator.engine.events import EventKind
from simulator.engine.simulation import Simulation
from tests.oracles.oracle import TIME_TOLERANCE, after, compiled, rule_times, simulate

CROSSINGS = {
    "ge": [40.0],
    "gt": [after(40.0)],
    "le": [0.0, 136.0],
    "lt": [0.0, after(136.0)],
    "eq": [40.0, 136.0],
    "ne": [0.0, after(40.0), after(136.0)],
    "not_lt": [40.0],
    "not_le": [after(40.0)],
    "not_gt": [0.0, 136.0],
    "not_ge": [0.0, after(136.0)],
    "choice": [after(40.0)],
    "either": [40.0, 104.0],
    "band": [after(40.0), after(120.0)],
    "left": [40.0],
}


def test_each_comparison_fires_where_it_flips_rising_and_falling() -> None:
    times = rule_times(simulate("readiness_crossings").records)
    assert {rule: times[rule] for rule in CROSSINGS} == CROSSINGS


def test_a_rounded_crossing_instant_is_still_reached_then_passed() -> None:
    simulation = Simulation(compiled("readiness_crossings"), 0)
    simulation.run()
    times = rule_times(simulation.records)
    (reached,), (passed,) = times["odd_ge"], times["odd_gt"]
    assert reached == pytest.approx(38.0, abs=TIME_TOLERANCE)  # 0.2 and 0.8 round
    assert passed == after(reached)
    assert set(times) == {*CROSSINGS, "odd_ge", "odd_gt"}
    for instant, reading in ((reached, 0.5), (passed, math.nextafter(0.5, math.inf))):
        replay = Simulation(compiled("readiness_crossings"), 0)
        replay.run_until(instant)
        assert replay.snapshot().readiness["odd"] == reading


@pytest.mark.parametrize(
    ("instant", "reading"),
    [
        (40.0, 0.5),
        (after(40.0), math.nextafter(0.5, math.inf)),
        (136.0, 0.5),
        (after(136.0), math.nextafter(0.5, -math.inf)),
    ],
)
def test_the_value_read_at_a_crossing_is_the_constant_or_the_next_double(
    instant: float, reading: float
) -> None:
    simulation = Simulation(compiled("readiness_crossings"), 0)
    simulation.run_until(instant)
    assert simulation.now == instant
    assert simulation.snapshot().readiness["u"] == reading


def retarget_times() -> dict[str, list[float]]:
    return rule_times(simulate("readiness_retarget").records)


def test_a_rule_retargeting_at_the_crossing_it_reacts_to() -> None:
    times = retarget_times()
    assert {k: times.get(k) for k in ("pin_v", "v_eq", "v_lt", "v_gt")} == {
        "pin_v": [40.0],
        "v_eq": [40.0],
        "v_lt": [0.0, after(40.0)],
        "v_gt": None,
    }


def test_an_inject_retargeting_exactly_at_a_crossing_instant() -> None:
    times = retarget_times()
    assert {k: times.get(k) for k in ("w_ge", "w_eq", "w_lt", "w_gt")} == {
        "w_ge": [40.0],
        "w_eq": [40.0],
        "w_lt": [0.0, after(40.0)],
        "w_gt": None,
    }
    assert {k: times.get(k) for k in ("x_ge", "x_eq", "x_lt", "x_gt")} == {
        "x_ge": [40.0],
        "x_eq": [40.0],
        "x_lt": [0.0],
        "x_gt": None,
    }
    assert {k: times.get(k) for k in ("y_ge", "y_gt")} == {"y_ge": [40.0], "y_gt": [after(40.0)]}


def test_retargeted_units_start_from_the_value_at_the_crossing() -> None:
    simulation = Simulation(compiled("readiness_retarget"), 0)
    simulation.run_until(40.0)
    assert simulation.snapshot().readiness == {"v": 0.5, "w": 0.5, "x": 0.5, "y": 0.5}
    simulation.run_until(after(40.0))
    below, above = math.nextafter(0.5, -math.inf), math.nextafter(0.5, math.inf)
    assert simulation.snapshot().readiness == {"v": below, "w": below, "x": 0.5, "y": above}


def test_a_zero_mobilisation_time_jumps_to_the_target() -> None:
    records = simulate("readiness_instant").records
    assert rule_times(records) == {"ge": [8.0], "gt": [8.0], "eq": [8.0], "lt": [0.0]}
    crossings = [
        (e.time, e.payload.mark, e.payload.direction)
        for e in records
        if e.kind is EventKind.READINESS
    ]
    assert crossings == [(8.0, 0.5, "up")]
