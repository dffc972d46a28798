"""A unit's readiness: linear movement toward a target over a drawn mobilisation time.

Readiness is never stepped hour by hour: a movement is stored as (start value, start time,
target, arrival time) and read off when needed; threshold crossings are computed exactly and
scheduled as single events. At the instants the engine schedules for a crossing, the value is
the crossed constant itself (or the next representable number past it), never a rounding of it
(`0.8999999999999998` would make `readiness >= 0.9` false at its own crossing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.engine.events import Direction
from simulator.scenario.crossings import changes_on_passing, changes_on_reaching


@dataclass(slots=True)
class Motion:
    """The readiness movement of one unit; `generation` invalidates stale scheduled crossings."""

    start_value: float
    start_time: float
    target: float
    arrival: float
    generation: int = 0
    exact: dict[float, float] = field(default_factory=dict)
    """Values at the scheduled crossing instants, which interpolation could round."""
    marks: dict[float, tuple[float, Direction]] = field(default_factory=dict)
    """Announced thresholds this movement reaches: instant -> (mark, direction)."""

    def value(self, now: float) -> float:
        exact = self.exact.get(now)
        if exact is not None:
            return exact
        if now >= self.arrival or self.arrival <= self.start_time:
            return self.target
        fraction = (now - self.start_time) / (self.arrival - self.start_time)
        return self.start_value + (self.target - self.start_value) * max(0.0, fraction)

    @property
    def direction(self) -> int:
        """+1 rising, -1 falling, 0 standing still."""
        return (self.target > self.start_value) - (self.target < self.start_value)

    def time_at(self, mark: float) -> float:
        """When the movement reaches `mark`, which must lie between its start and its target."""
        if mark == self.target or self.arrival <= self.start_time:
            return self.arrival  # an instant movement reaches every mark as it starts
        share = (mark - self.start_value) / (self.target - self.start_value)
        when = self.start_time + share * (self.arrival - self.start_time)
        # Rounding may not put a mark short of the target at or after the arrival.
        return max(self.start_time, min(when, math.nextafter(self.arrival, -math.inf)))

    def crossings(self, thresholds: tuple[float, ...]) -> list[tuple[float, float, Direction]]:
        """(time, mark, direction) for each threshold reached on the way to the target, leaving
        out the start value (a unit turning back exactly at a mark has just announced it)."""
        start, target = self.start_value, self.target
        direction: Direction
        if start < target:
            direction, marks = "up", sorted(m for m in thresholds if start < m <= target)
        elif target < start:
            marks = sorted((m for m in thresholds if target <= m < start), reverse=True)
            direction = "down"
        else:
            return []
        return [(self.time_at(mark), mark, direction) for mark in marks]

    def flips(self, mark: float, ops: frozenset[str]) -> list[tuple[str, float, float]]:
        """Where `readiness op mark` flips during this movement, for some op in `ops`.

        Each item is (`reach` or `pass`, time, exact value): `reach` at the instant the value
        arrives at the mark (the value is the mark), `pass` at the next representable instant
        after the value was at the mark (the value is the next number past it). The time of a
        `pass` is relative: the caller puts it just after the instant it actually scheduled.
        """
        step = self.direction
        if step == 0:
            return []
        low, high = sorted((self.start_value, self.target))
        if not low <= mark <= high:
            return []
        past = math.nextafter(mark, math.inf if step > 0 else -math.inf)
        if mark == self.start_value:
            if changes_on_passing(ops, step):
                return [("pass", self.start_time, past)]
            return []
        flips: list[tuple[str, float, float]] = []
        when = self.time_at(mark)
        if changes_on_reaching(ops, -step):
            flips.append(("reach", when, mark))
        if mark != self.target and changes_on_passing(ops, step):
            flips.append(("pass", when, past))
        return flips


def target_for_rung(rung: int, targets_by_rung: dict[int, float], initial: float) -> float:
    """The target of the highest listed level at or below `rung` (the initial readiness if none)."""
    best = -1
    for listed in targets_by_rung:
        if best < listed <= rung:
            best = listed
    return targets_by_rung[best] if best >= 0 else initial
