"""Conditions on `t` and `day` fire at the instants scenarios/clock.yaml derives: the constant
itself for >=, <=, ==, its next representable instant for > and <, the first hour of the day
for `day`. The instants are exact doubles, so they are compared with ==."""

from __future__ import annotations

import math

from simulator.engine.events import EventKind
from tests.oracles.oracle import after, rule_times, simulate

EXPECTED = {
    "t_ge": [100.0],
    "t_gt": [after(100.0)],
    "t_eq": [60.0],
    "t_ne": [0.0, after(60.0)],
    "t_not_lt": [50.0],
    "t_not_le": [after(50.0)],
    "t_gt0": [math.nextafter(0.0, math.inf)],
    "t_odd": [100.1],
    "t_odd_gt": [after(100.1)],
    "t_end": [240.0],
    "t_and": [30.0],
    "t_outside": [0.0, 31.0],
    "t_choice": [after(70.0)],
    "t_left": [12.5],
    "t_whole": [80.0],
    "t_sum": [72.5],
    "day_ge": [48.0],
    "day_gt": [48.0],
    "day_eq": [24.0],
    "day_not_eq": [0.0, 48.0],
    "day_ne": [24.0],
    "day_half": [48.0],
    "day_not_lt": [96.0],
    "day_not_le": [120.0],
    "day_last": [240.0],
    "day_double": [144.0],
    "day_or": [192.0],
}


def test_clock_conditions_fire_exactly_when_their_comparison_flips() -> None:
    simulation = simulate("clock")
    assert rule_times(simulation.records) == EXPECTED


def test_conditions_at_the_end_instant_act_before_the_end() -> None:
    records = simulate("clock").records
    assert records[-1].kind is EventKind.END
    assert records[-1].time == 240.0
    at_end = [e.payload.rule for e in records if e.kind is EventKind.RULE and e.time == 240.0]
    assert at_end == ["t_end", "day_last"]
