"""Warnings about scenarios that load but will not play as the author probably meant.

Injects that can never fire, injects scheduled after the end, objectives nothing exercises,
decisions that never open, cycles of triggers, a chemical-use schedule that never runs, and
variables that a single change pushes to a bound the file left at its default.
`ttx validate --strict` makes them errors.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TypeVar

from simulator.scenario.compiled import Loc
from simulator.scenario.distributions import Distribution
from simulator.scenario.durations import format_duration, periodic_count
from simulator.scenario.effects import AdjustVariable, FireInject, OpenDecision, SetVariable
from simulator.scenario.models import Decision, Inject, Scenario, Variable
from simulator.scenario.references import effect_sites
from simulator.scenario.triggers import (
    AfterInjectTrigger,
    AtTrigger,
    OnChemicalTrigger,
    OnDecisionTrigger,
    WhenTrigger,
)
from simulator.scenario.triggers import Trigger as TriggerModel
from simulator.scenario.yaml_safe import show_path

Node = tuple[str, str]
"""("inject", id) or ("decision", id)."""
Problem = tuple[Loc, str]
_Item = TypeVar("_Item", Inject, Decision)


def lint_scenario(scenario: Scenario) -> list[Problem]:
    """Every warning for a scenario whose ids are known to be consistent."""
    graph = _Graph(scenario)
    return (
        list(_late_injects(scenario))
        + list(_dead_injects(scenario, graph))
        + list(_dead_decisions(scenario, graph))
        + list(_idle_objectives(scenario))
        + list(_cycles(scenario, graph))
        + list(_unevaluated_schedule(scenario))
        + list(_clamped_variables(scenario))
    )


def _node_of(loc: Loc, scenario: Scenario) -> Node | None:
    """The inject or decision whose effects live at `loc`; None for rules and chemical use."""
    if loc[0] == "injects" and isinstance(loc[1], int):
        return "inject", scenario.injects[loc[1]].id
    if loc[0] == "decisions" and isinstance(loc[1], int):
        return "decision", scenario.decisions[loc[1]].id
    return None


def _target(effect: FireInject | OpenDecision) -> Node:
    if isinstance(effect, FireInject):
        return "inject", effect.inject
    return "decision", effect.decision


class _Graph:
    """Which injects and decisions start which, and which can happen at all."""

    def __init__(self, scenario: Scenario) -> None:
        self.duration = scenario.clock.duration
        self.has_chemical = scenario.chemical_use is not None
        self.starts: dict[Node, list[Node]] = {}
        self.instant: dict[Node, list[Node]] = {}
        """Edges along which one thing starts another with no time passing, or by a trigger."""
        self.named_by_effect: set[Node] = set()
        sources: set[Node] = set()
        nodes = [("inject", i.id, i.trigger) for i in scenario.injects] + [
            ("decision", d.id, d.trigger) for d in scenario.decisions
        ]
        for kind, ident, trigger in nodes:
            node = (kind, ident)
            parent = _trigger_parent(trigger)
            if parent is not None:
                self.starts.setdefault(parent, []).append(node)
                self.instant.setdefault(parent, []).append(node)
            elif trigger is not None and self._fires_alone(trigger):
                sources.add(node)
        for loc, effect in effect_sites(scenario):
            if not isinstance(effect, FireInject | OpenDecision):
                continue
            target = _target(effect)
            self.named_by_effect.add(target)
            origin = _node_of(loc, scenario)
            if origin is None:
                sources.add(target)
                continue
            self.starts.setdefault(origin, []).append(target)
            if isinstance(effect.delay, float) and effect.delay == 0.0:
                self.instant.setdefault(origin, []).append(target)
        silent = {("inject", i.id) for i in scenario.injects if i.probability == 0}
        self.live = _reachable(sorted(sources - silent), self.starts, silent)

    def _fires_alone(self, trigger: TriggerModel) -> bool:
        if isinstance(trigger, AtTrigger):
            return _earliest(trigger) <= self.duration
        if isinstance(trigger, WhenTrigger):
            return trigger.when.strip() != "false"
        if isinstance(trigger, OnChemicalTrigger):
            return self.has_chemical
        return False


def _trigger_parent(trigger: TriggerModel | None) -> Node | None:
    if isinstance(trigger, AfterInjectTrigger):
        return "inject", trigger.after
    if isinstance(trigger, OnDecisionTrigger):
        return "decision", trigger.on_decision
    return None


def _earliest(trigger: AtTrigger) -> float:
    at = trigger.at
    return at if isinstance(at, float) else at.low_high[0]


def _reachable(sources: list[Node], edges: dict[Node, list[Node]], blocked: set[Node]) -> set[Node]:
    seen = set(sources)
    queue = deque(sources)
    while queue:
        for nxt in edges.get(queue.popleft(), []):
            if nxt not in seen and nxt not in blocked:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _late_injects(s: Scenario) -> Iterator[Problem]:
    end = s.clock.duration
    for i, inject in enumerate(s.injects):
        if isinstance(inject.trigger, AtTrigger) and _earliest(inject.trigger) > end:
            when = format_duration(_earliest(inject.trigger))
            yield (
                ("injects", i, "trigger", "at"),
                f"inject {inject.id!r} is scheduled at {when}, after the exercise ends "
                f"({format_duration(end)})",
            )


def _dead(graph: _Graph, kind: str, items: Sequence[_Item]) -> Iterator[tuple[int, _Item, bool]]:
    """Each of `items` that nothing live starts: its index, itself, and whether a fire_inject or
    open_decision effect names it (an effect that can never run, then)."""
    for i, item in enumerate(items):
        node = (kind, item.id)
        if node not in graph.live:
            yield i, item, node in graph.named_by_effect


def _dead_injects(s: Scenario, graph: _Graph) -> Iterator[Problem]:
    for i, inject, named in _dead(graph, "inject", s.injects):
        trigger = inject.trigger
        if inject.probability == 0:
            yield ("injects", i, "probability"), f"inject {inject.id!r} never fires: probability 0"
        elif trigger is None and not named:
            yield (
                ("injects", i, "id"),
                f"inject {inject.id!r} can never fire: it has no trigger and no fire_inject "
                "effect names it",
            )
        elif isinstance(trigger, WhenTrigger) and trigger.when.strip() == "false":
            yield (
                ("injects", i, "trigger", "when"),
                f"inject {inject.id!r} can never fire: its condition is always false",
            )
        elif not (isinstance(trigger, AtTrigger) and not named):
            yield (
                ("injects", i, "trigger" if trigger is not None else "id"),
                f"inject {inject.id!r} can never fire: nothing that starts it can happen",
            )


def _dead_decisions(s: Scenario, graph: _Graph) -> Iterator[Problem]:
    for i, decision, named in _dead(graph, "decision", s.decisions):
        if decision.trigger is None and not named:
            reason = "it has no trigger and no open_decision effect names it"
        else:
            reason = "nothing that opens it can happen"
        yield (
            ("decisions", i, "id"),
            f"decision {decision.id!r} never opens ({reason}), so none of its options is reachable",
        )


def _idle_objectives(s: Scenario) -> Iterator[Problem]:
    used = {o for i in s.injects for o in i.objectives}
    used |= {a.objective for i in s.injects for a in i.expected_actions if a.objective}
    used |= {o for d in s.decisions for o in d.objectives}
    for i, objective in enumerate(s.meta.objectives):
        if objective.id not in used:
            yield (
                ("meta", "objectives", i, "id"),
                f"objective {objective.id!r} is not exercised: no inject, decision or expected "
                "action points at it",
            )


def _cycles(s: Scenario, graph: _Graph) -> Iterator[Problem]:
    order = [("inject", i.id) for i in s.injects] + [("decision", d.id) for d in s.decisions]
    position = {node: k for k, node in enumerate(order)}
    for component in _strongly_connected(order, graph.instant):
        first = min(component, key=position.__getitem__)
        if len(component) == 1 and first not in graph.instant.get(first, []):
            continue
        path = _cycle_through(first, component, graph.instant)
        text = " -> ".join(f"{kind} {ident!r}" for kind, ident in path)
        index = position[first] if first[0] == "inject" else position[first] - len(s.injects)
        section = "injects" if first[0] == "inject" else "decisions"
        yield (section, index, "id"), f"trigger cycle: {text}"


def _cycle_through(start: Node, component: set[Node], edges: dict[Node, list[Node]]) -> list[Node]:
    """The shortest path from `start` back to itself inside one strongly connected component."""
    parent: dict[Node, Node] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in edges.get(node, []):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt in component and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [start, start]


def _strongly_connected(order: list[Node], edges: dict[Node, list[Node]]) -> list[set[Node]]:
    """Tarjan's algorithm, iterative so that long chains cannot exhaust the Python stack."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    components: list[set[Node]] = []
    for root in order:
        if root in index:
            continue
        work: list[tuple[Node, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component: set[Node] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _unevaluated_schedule(s: Scenario) -> Iterator[Problem]:
    chem = s.chemical_use
    if chem is None or chem.schedule is None:
        return
    schedule, end = chem.schedule, s.clock.duration
    last = end if schedule.until is None else min(schedule.until, end)
    if periodic_count(schedule.start, schedule.every, last) > 0:
        return  # an `until` after the end is harmless: the run simply stops first
    start = format_duration(schedule.start)
    if schedule.start > end:
        yield (
            ("chemical_use", "schedule", "start"),
            f"the schedule starts at {start}, after the exercise ends ({format_duration(end)}), "
            f"so it is never evaluated; start it at or before {format_duration(end)}",
        )
        return
    until = format_duration(last)
    whole = periodic_count(schedule.start, schedule.every, end)
    yield (
        ("chemical_use", "schedule", "until"),
        f"the schedule stops at {until}, before it starts at {start}, so it is never "
        f"evaluated; set until after start, or leave it out for {_evaluations(whole)} up to "
        "the end",
    )


def _evaluations(count: int) -> str:
    return f"{count} evaluation" + ("" if count == 1 else "s")


Step = tuple[Loc, str, float, float]
"""Where a change of a variable is written, how it reads, and the least and most it adds."""

_CLOSE = 1e-9
"""How near a bound a value counts as on it: 0.7 + 0.3 falls just short of 1.0 in floating
point, yet that counter is clamped from its next increase on."""


def _clamped_variables(s: Scenario) -> Iterator[Problem]:
    """Variables a drift or one effect takes to a `min` or `max` the file did not write.

    The defaults (0 and 1) suit shares and indices; a counter or a count of people left with
    them is clamped without any message, so the file should say which bounds it means.
    """
    adds: dict[str, list[Step]] = {}
    sets: dict[str, list[tuple[Loc, float]]] = {}
    for loc, effect in effect_sites(s):
        if isinstance(effect, AdjustVariable):
            low, high = _amounts(effect.by)
            what = f"adjust_variable {_amount_text(effect.by, low, high)}"
            adds.setdefault(effect.variable, []).append((loc, what, low, high))
        elif isinstance(effect, SetVariable):
            sets.setdefault(effect.variable, []).append((loc, effect.value))
    for i, variable in enumerate(s.variables):
        steps = list(adds.get(variable.id, []))
        if variable.drift is not None:
            low, high = _amounts(variable.drift.by)
            drift = f"drift {_amount_text(variable.drift.by, low, high)}"
            steps.insert(0, (("variables", i, "drift"), drift, low, high))
        for bound in ("max", "min"):
            if bound in variable.model_fields_set:
                continue
            message = _past_bound(variable, bound, steps, sets.get(variable.id, []))
            if message is not None:
                yield ("variables", i, "id"), message


def _past_bound(
    variable: Variable, bound: str, steps: list[Step], sets: list[tuple[Loc, float]]
) -> str | None:
    upward = bound == "max"
    sign = 1.0 if upward else -1.0
    limit = variable.max if upward else variable.min
    lead = f"variable {variable.id!r} leaves {bound} at its default {limit:g}, and"
    fix = f"write {bound}: explicitly"
    for loc, what, low, high in steps:
        amount = high if upward else low
        if sign * amount > 0 and sign * (variable.initial + amount - limit) >= -_CLOSE:
            change = "increases" if upward else "decreases"
            return (
                f"{lead} {show_path(loc)} ({what}) can reach it in one step from the initial "
                f"{variable.initial:g}, after which {change} are silently lost; {fix}"
            )
    for loc, value in sets:
        if sign * (value - limit) > 0:
            return (
                f"{lead} {show_path(loc)} (set_variable to {value:g}) sets it past that, so "
                f"the value is silently clamped to {limit:g}; {fix}"
            )
    return None


def _amounts(by: float | Distribution) -> tuple[float, float]:
    return (by, by) if isinstance(by, float) else by.low_high


def _amount_text(by: float | Distribution, low: float, high: float) -> str:
    if isinstance(by, float):
        return f"by {by:g}"
    if math.isinf(low) or math.isinf(high):
        return f"by an unbounded {by.dist} draw"
    return f"by a draw from {low:g} to {high:g}"
