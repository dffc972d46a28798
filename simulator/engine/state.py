"""The exercise state that expressions read, and the watchers that react when it changes.

Conditions are re-evaluated only when a name they read has changed (`vars.tension`,
`alert.nato`, ...); conditions that read the clock (`t`, `day`) are re-evaluated after every
change of anything. Watchers are processed in file order, so the outcome never depends on
hashing or timing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import cel

from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.expressions import CHEM_FIELDS, CompiledExpression

WatchMode = Literal["once", "repeat"]
MAX_WATCHER_FIRINGS_PER_INSTANT = 10_000


class SimulationError(RuntimeError):
    """The scenario did something the engine cannot continue from (reported with its cause)."""


@dataclass(slots=True)
class Watcher:
    """A condition and what to do when it becomes true."""

    index: int
    expression: CompiledExpression
    action: Callable[[], None]
    mode: WatchMode
    armed: bool = True
    done: bool = False
    namespaces: tuple[str, ...] = field(default_factory=tuple)


class ExerciseState:
    """Everything conditions can read, kept in a CEL context that is refreshed lazily."""

    def __init__(self, compiled: CompiledScenario) -> None:
        scenario = compiled.scenario
        self.level_ids: tuple[str, ...] = tuple(lv.id for lv in scenario.alert.levels)
        self.rung_of: dict[str, int] = {lv: i for i, lv in enumerate(self.level_ids)}
        self.alert: dict[str, int] = {
            scope: self.rung_of[level] for scope, level in scenario.alert.initial.items()
        }
        self.variables: dict[str, float] = {v.id: float(v.initial) for v in scenario.variables}
        self.fired: dict[str, bool] = {i.id: False for i in scenario.injects}
        self.chosen: dict[str, str] = {d.id: "" for d in scenario.decisions}
        self.chem: dict[str, bool | int | str] = dict(CHEM_FIELDS)
        self.readiness_of: Callable[[], dict[str, float]] = dict
        self.now = 0.0
        self._context = cel.Context(
            variables={
                "level": dict(self.rung_of),
                "t": 0.0,
                "day": 1,
                "readiness": {},
                **self._namespaces(),
            }
        )
        self._stale: dict[str, None] = {}
        self.watchers: list[Watcher] = []
        self._watch_index: dict[str, list[Watcher]] = {}
        self._clock_watchers: list[Watcher] = []
        self._dirty: set[int] = set()

    def _namespaces(self) -> dict[str, Any]:
        return {
            "vars": self.variables,
            "alert": self.alert,
            "fired": self.fired,
            "chosen": self.chosen,
            "chem": self.chem,
        }

    def watch(
        self, expression: CompiledExpression, action: Callable[[], None], mode: WatchMode
    ) -> None:
        watcher = Watcher(len(self.watchers), expression, action, mode)
        watcher.namespaces = tuple(sorted({key.split(".")[0] for key in expression.reads}))
        self.watchers.append(watcher)
        for key in sorted(expression.reads):
            if key in ("t", "day"):
                self._clock_watchers.append(watcher)
            else:
                self._watch_index.setdefault(key, []).append(watcher)
        self._dirty.add(watcher.index)

    def changed(self, key: str) -> None:
        """Note that a state key (`vars.tension`, `alert.nato`, ...) has a new value."""
        namespace = key.split(".", 1)[0]
        if namespace != "readiness":
            self._stale[namespace] = None
        for watcher in self._watch_index.get(key, ()):
            self._dirty.add(watcher.index)
        for watcher in self._clock_watchers:
            self._dirty.add(watcher.index)

    def evaluate(self, expression: CompiledExpression) -> Any:
        context = self._context
        reads = expression.reads
        # Only refresh what this expression reads: each refresh converts values into CEL.
        if "t" in reads:
            context.add_variable("t", self.now)
        if "day" in reads:
            context.add_variable("day", int(self.now // 24) + 1)
        if expression.reads_readiness:
            context.add_variable("readiness", self.readiness_of())
        if self._stale:
            namespaces = self._namespaces()
            for name in self._stale:
                context.add_variable(name, namespaces[name])
            self._stale.clear()
        try:
            return expression.evaluate(context)
        except ZeroDivisionError:
            return math.nan
        except (TypeError, ValueError, RuntimeError, KeyError) as error:
            raise SimulationError(f"expression {expression.source!r} failed: {error}") from None

    def settle(self, finished: Callable[[], bool]) -> None:
        """Evaluate every watcher whose inputs changed, in file order, until nothing changes."""
        firings = 0
        while self._dirty and not finished():
            index = min(self._dirty)
            self._dirty.discard(index)
            watcher = self.watchers[index]
            if watcher.done:
                continue
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
                watcher.action()
            elif value is not True and watcher.mode == "repeat":
                watcher.armed = True
