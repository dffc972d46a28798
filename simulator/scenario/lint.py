"""Warnings about scenarios that load but will not play as the author probably meant.

Injects that can never fire, injects scheduled after the end, objectives nothing exercises,
decisions that never open, and cycles of triggers. `ttx validate --strict` makes them errors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from simulator.scenario.compiled import Loc
from simulator.scenario.durations import format_duration
from simulator.scenario.effects import FireInject, OpenDecision
from simulator.scenario.models import Scenario
from simulator.scenario.references import effect_sites
from simulator.scenario.triggers import (
    AfterInjectTrigger,
    AtTrigger,
    OnChemicalTrigger,
    OnDecisionTrigger,
    WhenTrigger,
)
from simulator.scenario.triggers import Trigger as TriggerModel

Node = tuple[str, str]
"""("inject", id) or ("decision", id)."""
Problem = tuple[Loc, str]


def lint_scenario(scenario: Scenario) -> list[Problem]:
    """Every warning for a scenario whose ids are known to be consistent."""
    graph = _Graph(scenario)
    return (
        list(_late_injects(scenario))
        + list(_dead_injects(scenario, graph))
        + list(_dead_decisions(scenario, graph))
        + list(_idle_objectives(scenario))
        + list(_cycles(scenario, graph))
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


def _dead_injects(s: Scenario, graph: _Graph) -> Iterator[Problem]:
    for i, inject in enumerate(s.injects):
        node = ("inject", inject.id)
        if node in graph.live:
            continue
        trigger = inject.trigger
        if inject.probability == 0:
            yield ("injects", i, "probability"), f"inject {inject.id!r} never fires: probability 0"
        elif trigger is None and node not in graph.named_by_effect:
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
        elif not (isinstance(trigger, AtTrigger) and node not in graph.named_by_effect):
            yield (
                ("injects", i, "trigger" if trigger is not None else "id"),
                f"inject {inject.id!r} can never fire: nothing that starts it can happen",
            )


def _dead_decisions(s: Scenario, graph: _Graph) -> Iterator[Problem]:
    for i, decision in enumerate(s.decisions):
        node = ("decision", decision.id)
        if node in graph.live:
            continue
        if decision.trigger is None and node not in graph.named_by_effect:
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
