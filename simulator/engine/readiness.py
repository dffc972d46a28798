"""A unit's readiness: linear movement toward a target over a drawn mobilisation time.

Readiness is never stepped hour by hour: a movement is stored as (start value, start time,
target, arrival time) and read off when needed; threshold crossings are computed exactly and
scheduled as single events.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Motion:
    """The readiness movement of one unit; `generation` invalidates stale scheduled crossings."""

    start_value: float
    start_time: float
    target: float
    arrival: float
    generation: int = 0

    def value(self, now: float) -> float:
        if now >= self.arrival or self.arrival <= self.start_time:
            return self.target
        fraction = (now - self.start_time) / (self.arrival - self.start_time)
        return self.start_value + (self.target - self.start_value) * max(0.0, fraction)

    def crossings(self, thresholds: tuple[float, ...]) -> list[tuple[float, float, str]]:
        """(time, mark, direction) for each threshold strictly passed on the way to the target."""
        lo, hi = self.start_value, self.target
        if lo < hi:
            direction, marks = "up", sorted(m for m in thresholds if lo < m <= hi)
        elif hi < lo:
            direction, marks = "down", sorted((m for m in thresholds if hi < m <= lo), reverse=True)
        else:
            return []
        span = self.arrival - self.start_time
        out = []
        for mark in marks:
            share = (mark - lo) / (hi - lo)
            out.append((self.start_time + share * span, mark, direction))
        return out


def target_for_rung(rung: int, targets_by_rung: dict[int, float], initial: float) -> float:
    """The target of the highest listed level at or below `rung` (the initial readiness if none)."""
    best = -1
    for listed in targets_by_rung:
        if best < listed <= rung:
            best = listed
    return targets_by_rung[best] if best >= 0 else initial
