"""The run every model component works on: one SimPy clock, its records, draws and effects.

Components (alerts, variables, injects, decisions, rules, units, the adversary) schedule through
this and emit through it; none of them knows the others. What an effect does is looked up in
`handlers`, which the model fills with each component's handler, so applying an effect never
needs to know which component owns it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import simpy
from simpy.events import Event as SimEvent

from simulator.engine.events import Ended, Event, Payload
from simulator.engine.instants import LateTimeout, landing_delay
from simulator.engine.state import ConditionView
from simulator.engine.streams import Streams
from simulator.scenario.distributions import Distribution
from simulator.scenario.durations import periodic_count

Action = Callable[[str], None]
"""What a trigger starts, given its cause (`schedule`, `condition`, `inject:id`, ...)."""
Delay = float | Distribution
Follower = tuple[Delay, Action, str]
"""What waits on a happening: its delay, what it starts, and the stream the delay is drawn from."""
Handler = Callable[[Any, str], None]


class Run:
    """The clock, record numbering, random streams and lifecycle of one run."""

    def __init__(
        self, streams: Streams, view: ConditionView, emit: Callable[[Event], None] | None
    ) -> None:
        self.env = simpy.Environment(initial_time=0.0)
        self.streams = streams
        self.view = view
        self._emit_to = emit
        self.tracing = emit is not None
        """Whether records are wanted: without a trace, no payload is even built."""
        self.seq = 0
        self.handlers: dict[type, Handler] = {}
        """Per effect class, the component method that applies it."""
        self.finished = False
        self.end_reason: str | None = None
        self.end_time: float | None = None

    @property
    def now(self) -> float:
        return self.env.now

    def emit(self, payload: Payload) -> None:
        if self._emit_to is not None:
            self._emit_to(Event(self.seq, self.env.now, payload))
            self.seq += 1

    def draw(self, value: Delay, stream: str) -> float:
        """A delay: the value itself, or a draw from `stream`, never negative."""
        if isinstance(value, float | int):
            return float(value)
        return max(0.0, value.sample(self.streams[stream]))

    def amount(self, value: float | Distribution, stream: str) -> float:
        """A change: the value itself, or a draw from `stream` (may be negative)."""
        if isinstance(value, float | int):
            return float(value)
        return value.sample(self.streams[stream])

    # ----------------------------------------------------------------------------- scheduling

    def _dispatch(self, event: SimEvent) -> None:
        # Every scheduled happening carries its function as the event value: one shared
        # callback instead of a closure per event keeps the hot path short.
        if not self.finished:
            view = self.view
            view.now = self.env.now
            event._value()
            if view.unsettled:
                view.settle(self._is_finished)

    def _is_finished(self) -> bool:
        return self.finished

    def at(self, delay: float, fn: Callable[[], None]) -> None:
        simpy.Timeout(self.env, delay, fn).callbacks.append(self._dispatch)

    def at_instant(self, when: float, fn: Callable[[], None]) -> float:
        """Schedule `fn` at the absolute time `when`; return the time it will run at.

        SimPy runs an event at `now + delay`, and `now + (when - now)` can miss `when` by a unit
        in the last place, which would put a crossing on the wrong side of its constant: the
        delay is then nudged until the sum lands on `when` (a few steps at most).
        """
        now = self.env.now
        if when <= now:
            self.at(0.0, fn)  # a rounding of `now` itself: run in this instant
            return now
        delay = when - now
        if now + delay != when:
            delay = landing_delay(now, when)
        self.at(delay, fn)
        return now + delay

    def late(self, delay: float, fn: Callable[[], None]) -> None:
        """Schedule `fn` after every normal event of its instant (sampling, the scheduled end)."""
        LateTimeout(self.env, delay, fn).callbacks.append(self._dispatch)

    def after(self, delay: Delay, action: Action, cause: str, stream: str) -> None:
        wait = self.draw(delay, stream)
        if wait == 0.0:
            action(cause)
        else:
            self.at(wait, lambda: action(cause))

    def follow(self, followers: Iterable[Follower], cause: str) -> None:
        """Start what waits on a happening (`after`, `on_chemical` triggers), in file order."""
        for delay, action, stream in followers:
            self.after(delay, action, cause, stream)

    def periodically(
        self, start: float, every: float, until: float, step: Callable[[], bool]
    ) -> None:
        """Run `step` at `start`, `start + every`, ... up to `until`, both ends included, while
        it returns True. Times are `start + k * every`, never running sums (`periodic_count`)."""
        count = periodic_count(start, every, until)
        done = 0

        def run() -> None:
            nonlocal done
            done += 1
            if step() and done < count:
                self.at_instant(min(until, start + done * every), run)

        if count:
            self.at_instant(start, run)

    def settle(self) -> None:
        """React to every change made outside a scheduled step (a live choice, the start)."""
        self.view.now = self.env.now
        self.view.settle(self._is_finished)

    # ----------------------------------------------------------------------------- effects, end

    def apply(self, effects: Iterable[Any], cause: str) -> None:
        handlers = self.handlers
        for effect in effects:
            if self.finished:
                return
            handlers[type(effect)](effect, cause)

    def end(self, reason: str, cause: str) -> None:
        if self.finished:
            return
        self.finished = True
        self.end_reason = reason
        self.end_time = self.env.now
        if self.tracing:
            self.emit(Ended(reason, cause))
