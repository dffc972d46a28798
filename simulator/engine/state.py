"""What expressions read of the exercise state, and the watchers that react when it changes.

Conditions are re-evaluated only when a name they read has changed (`vars.tension`,
`alert.nato`, ...) and, for conditions on the clock, at the instants their comparisons of `t` and
`day` flip (see `simulator.scenario.crossings`). Watchers are processed in file order, so the
outcome never depends on hashing or timing. The values are a view of the components' state,
kept as one scalar per name (see `flat_name`) and read again the moment a component says it
changed; an evaluation passes only the names its expression reads.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.expressions import (
    NAMESPACES,
    CompiledExpression,
    evaluation_problem,
    flat_name,
    names_of,
)

WatchMode = Literal["once", "repeat"]
MAX_WATCHER_FIRINGS_PER_INSTANT = 10_000


class SimulationError(RuntimeError):
    """The scenario did something the engine cannot continue from (reported with its cause)."""


@dataclass(slots=True)
class Watcher:
    """A condition and what to do when it becomes true."""

    index: int
    expression: CompiledExpression
    action: Callable[[Any], None]
    """Called with `subject` when the condition becomes true."""
    mode: WatchMode
    subject: object = None
    armed: bool = True
    done: bool = False
    truth: Mapping[float, bool] | None = None
    """For a condition on nothing but the clock, its known value at each instant it is checked."""


Reader = Callable[[str], Any]
"""A component's value for one member of its namespace (`alert` -> the rung of a scope)."""


@dataclass(slots=True)
class _Name:
    """One `namespace.member` conditions can read: where its value is kept, who gives it, and
    the watchers (by index) that read it."""

    flat: str
    read: Reader
    watchers: list[int]


class ConditionView:
    """What conditions read, as flat scalars (see `flat_name`), and the watchers on them.

    The values are derived from the components that own them, in one place: each component
    registers a reader for its namespace (`read`) and says which member changed (`changed`);
    the view reads the new value from it. Readiness moves between events, so it is read again
    at every evaluation that needs it.
    """

    def __init__(self, compiled: CompiledScenario) -> None:
        self.now = 0.0
        self.values: dict[str, Any] = {"t": 0.0, "day": 1}
        self._members = names_of(compiled.scenario)
        self._readers: dict[str, Reader] = {}
        self._names: dict[str, dict[str, _Name]] = {namespace: {} for namespace in NAMESPACES}
        self._readiness: Reader = lambda unit_id: 0.0
        self.watchers: list[Watcher] = []
        self._clock_plan = compiled.watch_plan.clock
        self._clock_truth = compiled.watch_plan.clock_truth
        self._clock_index: dict[float, list[Watcher]] = {}
        # Watchers to re-evaluate: a heap gives file order cheaply, the set avoids duplicates.
        self._dirty: list[int] = []
        self._dirty_set: set[int] = set()

    def read(self, namespace: str, reader: Reader) -> None:
        """Take every `namespace.<member>` from `reader` from now on, starting now."""
        self._readers[namespace] = reader
        if namespace == "readiness":
            self._readiness = reader
        values = self.values
        for member in self._members[namespace]:
            values[flat_name(namespace, member)] = reader(member)

    def _name(self, namespace: str, member: str) -> _Name:
        name = _Name(flat_name(namespace, member), self._readers[namespace], [])
        self._names[namespace][member] = name
        return name

    def watch(
        self,
        expression: CompiledExpression,
        action: Callable[[Any], None],
        mode: WatchMode,
        subject: object = None,
    ) -> None:
        """Call `action(subject)` each time `expression` becomes true (once, or on each rise)."""
        truth = self._clock_truth.get(expression.source)
        watcher = Watcher(len(self.watchers), expression, action, mode, subject, truth=truth)
        self.watchers.append(watcher)
        for key in sorted(expression.reads):
            if key not in ("t", "day"):
                namespace, member = key.split(".", 1)
                name = self._names[namespace].get(member) or self._name(namespace, member)
                name.watchers.append(watcher.index)
        for when in self._clock_plan.get(expression.source, ()):
            self._clock_index.setdefault(when, []).append(watcher)
        # A condition on the clock alone that is false at hour zero waits for its instants.
        if truth is None or truth[0.0]:
            self._mark(watcher.index)

    def _mark(self, index: int) -> None:
        if index not in self._dirty_set:
            self._dirty_set.add(index)
            heapq.heappush(self._dirty, index)

    def changed(self, namespace: str, member: str) -> None:
        """Note that `namespace.member` changed: read it again and mark who depends on it."""
        name = self._names[namespace].get(member) or self._name(namespace, member)
        self.values[name.flat] = name.read(member)
        for index in name.watchers:
            self._mark(index)

    def clock_reached(self, when: float) -> None:
        """Mark the conditions whose clock comparisons may flip at this instant."""
        for watcher in self._clock_index.get(when, ()):
            self._mark(watcher.index)

    @property
    def unsettled(self) -> bool:
        """Whether some watcher's inputs changed since it was last evaluated."""
        return bool(self._dirty)

    def evaluate(self, expression: CompiledExpression) -> Any:
        values = self.values
        reads = expression.reads
        if "t" in reads:
            values["t"] = self.now
        if "day" in reads:
            values["day"] = int(self.now // 24) + 1
        for unit_id in expression.readiness_units:
            values[flat_name("readiness", unit_id)] = self._readiness(unit_id)
        try:
            return expression.evaluate({name: values[name] for name in expression.names})
        except ZeroDivisionError:
            return math.nan
        except Exception as error:  # any failure on values: see `evaluation_problem`
            raise SimulationError(evaluation_problem(expression.source, error)) from None

    def settle(self, finished: Callable[[], bool]) -> None:
        """Evaluate every watcher whose inputs changed, in file order, until nothing changes."""
        firings = 0
        while self._dirty and not finished():
            index = heapq.heappop(self._dirty)
            self._dirty_set.discard(index)
            watcher = self.watchers[index]
            if watcher.done:
                continue
            value = None if watcher.truth is None else watcher.truth.get(self.now)
            if value is None:
                value = self.evaluate(watcher.expression)
            if value is True and watcher.armed:
                watcher.armed = False
                watcher.done = watcher.mode == "once"
                firings += 1
                if firings > MAX_WATCHER_FIRINGS_PER_INSTANT:
                    raise SimulationError(
                        "conditions keep firing each other at one instant "
                        f"(last: {watcher.expression.source!r})"
                    )
                watcher.action(watcher.subject)
            elif value is not True and watcher.mode == "repeat":
                watcher.armed = True
