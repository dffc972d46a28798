"""Putting happenings at exact instants of one SimPy environment.

SimPy orders events by (time, priority, insertion). The engine needs two things it does not give
directly: work at the end of an instant, after every normal event then (sampling, the scheduled
end), and an event at an absolute time that the float sum `now + delay` may miss by an ulp.
"""

from __future__ import annotations

import math

import simpy
from simpy.events import Event as SimEvent

LATE = 2
"""Priority of end-of-instant work (sampling, the scheduled end): after everything else then."""


class LateTimeout(SimEvent):
    """A timeout processed after all normal events of its instant."""

    def __init__(self, env: simpy.Environment, delay: float, value: object) -> None:
        self.env = env
        self.callbacks = []
        self._value = value
        self._ok = True
        env.schedule(self, LATE, delay)  # type: ignore[arg-type]


def landing_delay(now: float, when: float) -> float:
    """A delay `d` with `now + d == when` in floating point, or the nearest one that lands later."""
    delay = max(0.0, when - now)
    for _ in range(4):
        landed = now + delay
        if landed == when or (delay == 0.0 and landed > when):
            break
        delay = math.nextafter(delay, math.inf if landed < when else 0.0)
    return delay
