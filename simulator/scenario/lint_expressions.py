"""Warnings about conditions the engine can only check at events, found in compiled expressions.

The engine wakes a condition at the exact instant a comparison of the clock or a readiness with
a number flips (see `simulator.scenario.crossings`). Any other read of `t` or of a readiness
(`t >= vars.deadline`, `t * 2.0 > 10.0`, `readiness.a + readiness.b > 1.2`) has no instant to
wake at: the condition is re-checked only when something else it reads changes, so it can
become true long before anything notices. A loose read of `day` is exact (the engine wakes at
every day boundary), so it is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from simulator.scenario.compiled import CompiledScenario, Loc, expression_sites
from simulator.scenario.effects import (
    AdjustVariable,
    LowerAlert,
    RaiseAlert,
    SetAlert,
    SetVariable,
)
from simulator.scenario.expressions import CompiledExpression
from simulator.scenario.models import Scenario
from simulator.scenario.references import effect_sites

Problem = tuple[Loc, str]


def lint_expressions(compiled: CompiledScenario) -> list[Problem]:
    """A warning for each watched condition that reads `t` or a readiness loosely."""
    scenario = compiled.scenario
    changing = _changing_keys(scenario)
    problems: list[Problem] = []
    for loc, source, expect in expression_sites(scenario):
        if expect != "bool":
            continue  # probabilities and metrics are read at an instant, never watched
        expression = compiled.expr(source, expect)
        woken = bool(compiled.watch_plan.clock.get(source))
        problems.extend((loc, message) for message in _loose_reads(expression, woken, changing))
    return problems


def _loose_reads(
    expression: CompiledExpression, woken: bool, changing: frozenset[str]
) -> Iterator[str]:
    """`woken`: whether the engine wakes the condition at clock instants of its own."""
    loose = expression.moving.loose
    if "t" in loose:
        if woken or _rechecked(expression, changing):
            when = ", so this condition is only checked when something else it reads changes"
        else:
            when = (
                " and nothing else this condition reads changes, so it is never re-checked "
                "after hour zero"
            )
        yield (
            f"t is read other than in a comparison with a number{when}; compare t with a "
            "number, as in t >= 36.0"
        )
    for quantity in sorted(q for q in loose if q.startswith("readiness.")):
        yield (
            f"{quantity} is read other than in a comparison with a number, so this condition is "
            "only checked when that unit's target changes, it crosses a threshold or it arrives; "
            f"compare {quantity} with a number, as in {quantity} >= 0.9"
        )


def _rechecked(expression: CompiledExpression, changing: frozenset[str]) -> bool:
    """Whether a change of something it reads besides the clock can wake the condition."""
    return any(_can_change(key, changing) for key in expression.reads if key not in ("t", "day"))


def _can_change(key: str, changing: frozenset[str]) -> bool:
    # Variables and alert levels change only through effects (and drift), which are all known
    # here; whether an inject fires, a choice is made or a unit moves depends on the run.
    namespace = key.split(".", 1)[0]
    return namespace not in ("vars", "alert") or key in changing


def _changing_keys(scenario: Scenario) -> frozenset[str]:
    """The `vars.<id>` and `alert.<scope>` keys some effect or drift can change."""
    keys = {f"vars.{v.id}" for v in scenario.variables if v.drift is not None}
    for _, effect in effect_sites(scenario):
        if isinstance(effect, AdjustVariable | SetVariable):
            keys.add(f"vars.{effect.variable}")
        elif isinstance(effect, SetAlert | RaiseAlert | LowerAlert):
            keys.add(f"alert.{effect.scope}")
    return frozenset(keys)
