"""A validated scenario with every expression compiled: what the engine runs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from simulator.scenario.crossings import clock_times
from simulator.scenario.expressions import (
    CompiledExpression,
    Expect,
    ExpressionCompiler,
    ExpressionError,
)
from simulator.scenario.models import Scenario
from simulator.scenario.triggers import WhenTrigger

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class CompiledScenario:
    """A scenario whose ids are checked and whose expressions compiled; shared read-only by runs."""

    scenario: Scenario
    source_hash: str
    """SHA-256 of the scenario file's bytes (or of its canonical JSON when built in code)."""
    path: str = "<memory>"
    expressions: Mapping[tuple[str, Expect], CompiledExpression] = field(default_factory=dict)

    def expr(self, source: str, expect: Expect) -> CompiledExpression:
        return self.expressions[(source, expect)]

    @cached_property
    def watch_plan(self) -> WatchPlan:
        """When the engine must re-check each condition besides the changes of what it reads."""
        duration = self.scenario.clock.duration
        clock: dict[str, tuple[float, ...]] = {}
        marks: dict[str, dict[float, set[str]]] = {u.id: {} for u in self.scenario.units}
        for (source, expect), expression in self.expressions.items():
            if expect != "bool":
                continue  # only conditions are watched; other expressions are read at an instant
            times = clock_times(expression.moving, duration)
            if times:
                clock[source] = times
            for crossing in expression.moving.crossings:
                unit = crossing.quantity.removeprefix("readiness.")
                if unit in marks and crossing.quantity != unit:
                    marks[unit].setdefault(crossing.value, set()).add(crossing.op)
        readiness = {
            unit: tuple((value, frozenset(ops)) for value, ops in sorted(found.items()))
            for unit, found in marks.items()
        }
        every = sorted({t for times in clock.values() for t in times})
        truth = {
            source: known
            for (source, expect), expression in self.expressions.items()
            if expect == "bool" and (known := _clock_truth(expression, clock.get(source, ())))
        }
        return WatchPlan(clock, readiness, tuple(every), truth)


def _clock_truth(
    expression: CompiledExpression, times: tuple[float, ...]
) -> dict[float, bool] | None:
    """A condition on nothing but the clock, evaluated once here at hour zero and at each instant
    it may flip: the same in every run, so runs look its value up instead of evaluating it."""
    moving = expression.moving
    if not expression.reads <= {"t", "day"} or "t" in moving.loose:
        return None
    known: dict[float, bool] = {}
    for when in (0.0, *times):
        clock = {"t": when, "day": int(when // 24) + 1}
        try:
            value = expression.evaluate({name: clock[name] for name in expression.names})
        except ZeroDivisionError:
            value = False  # as at run time: NaN, which is not true
        except Exception:  # any failure is reported at run time, with its message
            return None
        known[when] = value is True
    return known


@dataclass(frozen=True, slots=True)
class WatchPlan:
    """The instants at which conditions on the clock and on readiness can flip."""

    clock: Mapping[str, tuple[float, ...]]
    """Per condition (by source), the instants in (0, end] its clock reads may change value."""
    readiness: Mapping[str, tuple[tuple[float, frozenset[str]], ...]]
    """Per unit, each constant conditions compare its readiness with and the operators used."""
    times: tuple[float, ...]
    """Every instant in `clock`, sorted: one wake-up each."""
    clock_truth: Mapping[str, Mapping[float, bool]] = field(default_factory=dict)
    """Per condition on nothing but the clock, its value at hour zero and at each of its
    instants (the same in every run)."""


def expression_sites(scenario: Scenario) -> Iterator[tuple[Loc, str, Expect]]:
    """Every expression in the scenario with its location and the type it must have."""
    for i, inject in enumerate(scenario.injects):
        if isinstance(inject.trigger, WhenTrigger):
            yield ("injects", i, "trigger", "when"), inject.trigger.when, "bool"
    for i, decision in enumerate(scenario.decisions):
        if isinstance(decision.trigger, WhenTrigger):
            yield ("decisions", i, "trigger", "when"), decision.trigger.when, "bool"
    chem = scenario.chemical_use
    if chem is not None:
        if isinstance(chem.probability, str):
            yield ("chemical_use", "probability"), chem.probability, "number"
        for j, trigger in enumerate(chem.triggers):
            if isinstance(trigger, WhenTrigger):
                yield ("chemical_use", "triggers", j, "when"), trigger.when, "bool"
    for i, rule in enumerate(scenario.rules):
        yield ("rules", i, "when"), rule.when, "bool"
    for i, end in enumerate(scenario.end):
        yield ("end", i, "when"), end.when, "bool"
    for i, metric in enumerate(scenario.analysis.metrics):
        yield ("analysis", "metrics", i, "expr"), metric.expr, "number_or_bool"


def compile_scenario(
    scenario: Scenario, *, source_hash: str | None = None, path: str = "<memory>"
) -> tuple[CompiledScenario, list[tuple[Loc, str]]]:
    """Compile every expression; return the result and the (location, message) of each failure.

    The caller must not run a scenario whose failure list is non-empty.
    """
    compiler = ExpressionCompiler(scenario)
    compiled: dict[tuple[str, Expect], CompiledExpression] = {}
    failures: list[tuple[Loc, str]] = []
    for loc, source, expect in expression_sites(scenario):
        if (source, expect) in compiled:
            continue
        try:
            compiled[(source, expect)] = compiler.compile(source, expect)
        except ExpressionError as error:
            failures.append((loc, str(error)))
    digest = source_hash or hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
    return CompiledScenario(scenario, digest, path, compiled), failures
