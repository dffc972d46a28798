"""Cross-reference checks: ids are unique within their kind and every id used is declared.

Each problem is a (location, message) pair; the location is a data path into the file, so the
loader can point at the exact value. Unknown ids come with a did-you-mean suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from simulator.scenario import effects as fx
from simulator.scenario.compiled import Loc
from simulator.scenario.models import Scenario
from simulator.scenario.suggest import did_you_mean
from simulator.scenario.triggers import AfterInjectTrigger, OnChemicalTrigger, OnDecisionTrigger
from simulator.scenario.triggers import Trigger as TriggerModel
from simulator.scenario.yaml_safe import show_path

Problem = tuple[Loc, str]


def effect_sites(scenario: Scenario) -> Iterator[tuple[Loc, fx.Effect]]:
    """Every effect in the scenario with its location, in file order."""
    for i, inject in enumerate(scenario.injects):
        yield from _effects(("injects", i, "effects"), inject.effects)
    for i, decision in enumerate(scenario.decisions):
        for j, option in enumerate(decision.options):
            yield from _effects(("decisions", i, "options", j, "effects"), option.effects)
    chem = scenario.chemical_use
    if chem is not None:
        yield from _effects(("chemical_use", "on_use"), chem.on_use)
        yield from _effects(("chemical_use", "on_no_use"), chem.on_no_use)
        for b, band in enumerate(chem.bands):
            yield from _effects(("chemical_use", "bands", b, "effects"), band.effects)
    for i, rule in enumerate(scenario.rules):
        yield from _effects(("rules", i, "effects"), rule.effects)


def trigger_sites(scenario: Scenario) -> Iterator[tuple[Loc, TriggerModel]]:
    """Every trigger in the scenario with its location, in file order."""
    for i, inject in enumerate(scenario.injects):
        if inject.trigger is not None:
            yield ("injects", i, "trigger"), inject.trigger
    for i, decision in enumerate(scenario.decisions):
        if decision.trigger is not None:
            yield ("decisions", i, "trigger"), decision.trigger
    if scenario.chemical_use is not None:
        for j, trigger in enumerate(scenario.chemical_use.triggers):
            yield ("chemical_use", "triggers", j), trigger


def _effects(base: Loc, effects: Sequence[fx.Effect]) -> Iterator[tuple[Loc, fx.Effect]]:
    for k, effect in enumerate(effects):
        yield (*base, k), effect


def unknown(kind: str, value: str, choices: Sequence[str], *, suggest: bool = True) -> str:
    """`unknown level 'hihg'; did you mean 'high'?`, or the list of choices when few."""
    hint = did_you_mean(value, choices) if suggest else ""
    if hint:
        return f"unknown {kind} {value!r}{hint}"
    if not choices:
        return f"unknown {kind} {value!r}: the scenario declares none"
    choices = list(dict.fromkeys(choices))
    if len(choices) <= 8:
        return f"unknown {kind} {value!r}: expected one of {', '.join(choices)}"
    return f"unknown {kind} {value!r}"


def check_references(scenario: Scenario) -> list[Problem]:
    """Every duplicate id and every reference to an undeclared id."""
    return _unique_ids(scenario) + list(_references(scenario))


def _duplicates(kind: str, entries: Iterable[tuple[Loc, str]]) -> list[Problem]:
    seen: dict[str, Loc] = {}
    problems: list[Problem] = []
    for loc, ident in entries:
        if ident in seen:
            first = show_path(seen[ident][:-1])
            problems.append((loc, f"duplicate {kind} id {ident!r} (already used by {first})"))
        else:
            seen[ident] = loc
    return problems


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _ids(base: Loc, items: Sequence[_HasId]) -> list[tuple[Loc, str]]:
    return [((*base, i, "id"), item.id) for i, item in enumerate(items)]


def _unique_ids(s: Scenario) -> list[Problem]:
    actors = (
        _ids(("actors", "alliances"), s.actors.alliances)
        + _ids(("actors", "nations"), s.actors.nations)
        + _ids(("actors", "partners"), s.actors.partners)
    )
    if s.actors.adversary is not None:
        actors.append((("actors", "adversary", "id"), s.actors.adversary.id))
    groups: list[tuple[str, list[tuple[Loc, str]]]] = [
        ("objective", _ids(("meta", "objectives"), s.meta.objectives)),
        ("actor", actors),
        ("level", _ids(("alert", "levels"), s.alert.levels)),
        ("unit", _ids(("units",), s.units)),
        ("variable", _ids(("variables",), s.variables)),
        ("inject", _ids(("injects",), s.injects)),
        ("decision", _ids(("decisions",), s.decisions)),
        ("rule", _ids(("rules",), s.rules)),
        ("end condition", _ids(("end",), s.end)),
        ("metric", _ids(("analysis", "metrics"), s.analysis.metrics)),
    ]
    for i, decision in enumerate(s.decisions):
        groups.append(("option", _ids(("decisions", i, "options"), decision.options)))
    if s.chemical_use is not None:
        groups.append(("band", _ids(("chemical_use", "bands"), s.chemical_use.bands)))
    return [p for kind, entries in groups for p in _duplicates(kind, entries)]


SUGGESTION_BUDGET = 20_000
"""Did-you-mean comparisons allowed per file: thousands of dangling ids against thousands of
declared ones would otherwise take minutes."""

Ids = dict[str, None]
"""Declared ids in file order, with constant-time membership (a scenario may hold 20,000)."""


def _ids_of(values: Iterable[str]) -> Ids:
    return dict.fromkeys(values)


class _Names:
    """The declared ids of each kind, in file order."""

    def __init__(self, s: Scenario) -> None:
        self.nations = _ids_of(n.id for n in s.actors.nations)
        self.countries = self.nations | _ids_of(p.id for p in s.actors.partners)
        self.alliances = _ids_of(a.id for a in s.actors.alliances)
        self.scopes = _ids_of(s.alert.initial)
        self.levels = _ids_of(lv.id for lv in s.alert.levels)
        self.units = _ids_of(u.id for u in s.units)
        self.variables = _ids_of(v.id for v in s.variables)
        self.injects = _ids_of(i.id for i in s.injects)
        self.decisions = _ids_of(d.id for d in s.decisions)
        self.objectives = _ids_of(o.id for o in s.meta.objectives)
        self.options = {d.id: _ids_of(o.id for o in d.options) for d in s.decisions}
        self.budget = SUGGESTION_BUDGET

    def check(self, loc: Loc, kind: str, value: str, choices: Ids) -> Iterator[Problem]:
        if value not in choices:
            yield loc, self.unknown(kind, value, choices)

    def unknown(self, kind: str, value: str, choices: Ids) -> str:
        self.budget -= len(choices)
        return unknown(kind, value, list(choices), suggest=self.budget >= 0)


def _references(s: Scenario) -> Iterator[Problem]:
    names = _Names(s)
    for i, alliance in enumerate(s.actors.alliances):
        for j, member in enumerate(alliance.members):
            yield from names.check(
                ("actors", "alliances", i, "members", j), "nation", member, names.nations
            )
    for scope, level in s.alert.initial.items():
        yield from names.check(
            ("alert", "initial", scope, "[key]"),
            "alliance or nation",
            scope,
            names.alliances | names.countries,
        )
        yield from names.check(("alert", "initial", scope), "level", level, names.levels)
    yield from _units(s, names)
    for loc, effect in effect_sites(s):
        yield from _effect(loc, effect, names)
    for loc, trigger in trigger_sites(s):
        yield from _trigger(loc, trigger, names, has_chemical=s.chemical_use is not None)
    for i, inject in enumerate(s.injects):
        for j, action in enumerate(inject.expected_actions):
            if action.objective is not None:
                loc = ("injects", i, "expected_actions", j, "objective")
                yield from names.check(loc, "objective", action.objective, names.objectives)
        for j, objective in enumerate(inject.objectives):
            yield from names.check(
                ("injects", i, "objectives", j), "objective", objective, names.objectives
            )
    for i, decision in enumerate(s.decisions):
        yield from names.check(
            ("decisions", i, "default"), "option", decision.default, names.options[decision.id]
        )
        for j, objective in enumerate(decision.objectives):
            loc = ("decisions", i, "objectives", j)
            yield from names.check(loc, "objective", objective, names.objectives)
    if s.chemical_use is not None:
        for b, band in enumerate(s.chemical_use.bands):
            for j, nation in enumerate(band.affected):
                loc = ("chemical_use", "bands", b, "affected", j)
                yield from names.check(loc, "nation or partner", nation, names.countries)


def _units(s: Scenario, names: _Names) -> Iterator[Problem]:
    for i, unit in enumerate(s.units):
        yield from names.check(
            ("units", i, "host"), "nation or partner", unit.host, names.countries
        )
        yield from names.check(
            ("units", i, "lead"), "nation or partner", unit.lead, names.countries
        )
        for level in unit.readiness.targets:
            loc = ("units", i, "readiness", "targets", level, "[key]")
            yield from names.check(loc, "level", level, names.levels)
        scope = unit.readiness.scope
        if scope is not None:
            yield from names.check(
                ("units", i, "readiness", "scope"), "alert scope", scope, names.scopes
            )
        elif unit.host in names.countries and _default_scope(s, unit.host) is None:
            yield (
                ("units", i, "readiness"),
                f"no alert level drives unit {unit.id!r}: its host {unit.host!r} has no alert "
                "level and no alliance it belongs to has one; set 'scope'",
            )


def _default_scope(s: Scenario, host: str) -> str | None:
    if host in s.alert.initial:
        return host
    first = next((a.id for a in s.actors.alliances if host in a.members), None)
    return first if first in s.alert.initial else None


def _effect(loc: Loc, effect: fx.Effect, names: _Names) -> Iterator[Problem]:
    if isinstance(effect, fx.SetAlert | fx.RaiseAlert | fx.LowerAlert):
        yield from names.check((*loc, "scope"), "alert scope", effect.scope, names.scopes)
    if isinstance(effect, fx.SetAlert):
        yield from names.check((*loc, "level"), "level", effect.level, names.levels)
    elif isinstance(effect, fx.AdjustVariable | fx.SetVariable):
        yield from names.check((*loc, "variable"), "variable", effect.variable, names.variables)
    elif isinstance(effect, fx.SetReadinessTarget | fx.SetPosture):
        for j, unit in enumerate(effect.units):
            yield from names.check((*loc, "units", j), "unit", unit, names.units)
    elif isinstance(effect, fx.FireInject):
        yield from names.check((*loc, "inject"), "inject", effect.inject, names.injects)
    elif isinstance(effect, fx.OpenDecision):
        yield from names.check((*loc, "decision"), "decision", effect.decision, names.decisions)


def _trigger(
    loc: Loc, trigger: TriggerModel, names: _Names, *, has_chemical: bool
) -> Iterator[Problem]:
    if isinstance(trigger, AfterInjectTrigger):
        yield from names.check((*loc, "after"), "inject", trigger.after, names.injects)
    elif isinstance(trigger, OnDecisionTrigger):
        if trigger.on_decision not in names.options:
            yield (
                (*loc, "on_decision"),
                names.unknown("decision", trigger.on_decision, names.decisions),
            )
        elif trigger.option is not None:
            options = names.options[trigger.on_decision]
            yield from names.check((*loc, "option"), "option", trigger.option, options)
    elif isinstance(trigger, OnChemicalTrigger) and not has_chemical:
        yield (*loc, "on_chemical"), "the scenario has no chemical_use section to trigger on"
