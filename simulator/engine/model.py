"""The exercise model: every happening of a scenario scheduled on one SimPy environment.

Nothing here is scenario-specific and nothing polls: every happening is a scheduled SimPy event
(a fixed or drawn time, a mobilisation arrival, a threshold crossing, a periodic evaluation) or a
reaction to a state change (conditions, `after`/`on_decision`/`on_chemical` triggers). Zero
delays are applied at once, in the order the scenario lists them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Protocol

import simpy
from simpy.events import NORMAL
from simpy.events import Event as SimEvent

from simulator.engine.events import Event, EventKind, JSONValue
from simulator.engine.readiness import Motion, target_for_rung
from simulator.engine.state import ExerciseState, SimulationError
from simulator.engine.streams import Streams
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.distributions import Distribution
from simulator.scenario.effects import (
    AdjustVariable,
    EndExercise,
    FireInject,
    LowerAlert,
    OpenDecision,
    RaiseAlert,
    SetAlert,
    SetPosture,
    SetReadinessTarget,
    SetVariable,
)
from simulator.scenario.expressions import as_probability
from simulator.scenario.models import Decision, Rule, Scenario, Unit
from simulator.scenario.triggers import (
    AfterInjectTrigger,
    AtTrigger,
    OnChemicalTrigger,
    OnDecisionTrigger,
    Trigger,
    WhenTrigger,
)

LATE = 2
"""Priority of end-of-instant work (sampling, the scheduled end): after everything else then."""

Action = Callable[[str], None]
Delay = float | Distribution


class Chooser(Protocol):
    """Answers a decision point headlessly (a policy) or defers it to the room (live play)."""

    def answer(self, decision: Decision) -> str | None: ...


class _Late(SimEvent):
    """A timeout processed after all normal events of its instant."""

    def __init__(self, env: simpy.Environment, delay: float, value: object) -> None:
        self.env = env
        self.callbacks = []
        self._value = value
        self._ok = True
        env.schedule(self, LATE, delay)  # type: ignore[arg-type]


_NUMBER = r"([0-9]*\.?[0-9]+)"
_UNIT = r"readiness\.([a-z][a-z0-9_]*)"
_OPERATOR = r"\s*(>=|<=|==|!=|>|<)\s*"
_READINESS_COMPARISON = re.compile(f"{_UNIT}{_OPERATOR}{_NUMBER}|{_NUMBER}{_OPERATOR}{_UNIT}")
STRICT_NUDGE = 1e-6
"""Hours after a crossing at which a strict comparison (`>`, `<`) is checked: at the crossing
itself readiness equals the constant, so the condition only holds an instant later."""


def _compared_readiness(
    compiled: CompiledScenario, units: dict[str, Unit]
) -> dict[str, tuple[tuple[float, float], ...]]:
    """Per unit, (constant, nudge) for each constant expressions compare its readiness with.

    Readiness moves continuously; crossing one of these values is scheduled (silently) so that
    `readiness.bg >= 0.65` becomes true at the moment readiness reaches 0.65.
    """
    found: dict[str, set[tuple[float, float]]] = {unit_id: set() for unit_id in units}
    for expression in compiled.expressions.values():
        for match in _READINESS_COMPARISON.finditer(expression.source):
            unit_id, operator, value = match.group(1, 2, 3)
            if unit_id is None:
                value, operator, unit_id = match.group(4, 5, 6)
            if unit_id in found:
                nudge = STRICT_NUDGE if operator in (">", "<") else 0.0
                found[unit_id].add((float(value), nudge))
    return {unit_id: tuple(sorted(values)) for unit_id, values in found.items()}


class ExerciseModel:
    """Mechanics of one run; `Simulation` wraps it with the stepping and choosing API."""

    def __init__(
        self,
        compiled: CompiledScenario,
        streams: Streams,
        chooser: Chooser,
        emit: Callable[[Event], None] | None,
    ) -> None:
        self.compiled = compiled
        self.scenario: Scenario = compiled.scenario
        self.streams = streams
        self.chooser = chooser
        self.env = simpy.Environment(initial_time=0.0)
        self.state = ExerciseState(compiled)
        self.state.readiness_of = self.readiness
        self._emit_to = emit
        self.seq = 0
        self.finished = False
        self.end_reason: str | None = None
        self.end_time: float | None = None

        scenario = self.scenario
        self.units: dict[str, Unit] = {u.id: u for u in scenario.units}
        self.unit_scope: dict[str, str] = {u.id: self._scope_of(u) for u in scenario.units}
        self.units_by_scope: dict[str, list[str]] = {}
        for unit_id, scope in self.unit_scope.items():
            self.units_by_scope.setdefault(scope, []).append(unit_id)
        self.targets_by_rung: dict[str, dict[int, float]] = {
            u.id: {self.state.rung_of[lv]: t for lv, t in u.readiness.targets.items()}
            for u in scenario.units
        }
        self.compared = _compared_readiness(compiled, self.units)
        self.thresholds: dict[str, tuple[float, ...]] = {
            u.id: tuple(sorted(set(u.readiness.thresholds))) for u in scenario.units
        }
        self.motions: dict[str, Motion] = {
            u.id: Motion(u.readiness.initial, 0.0, u.readiness.initial, 0.0) for u in scenario.units
        }
        self.pinned: dict[str, float | None] = {u.id: None for u in scenario.units}
        self.posture: dict[str, str] = {u.id: u.posture for u in scenario.units}
        self.bounds = {v.id: (v.min, v.max) for v in scenario.variables}
        self.drifts = {v.id: v.drift for v in scenario.variables if v.drift is not None}
        self.injects = {i.id: i for i in scenario.injects}
        self.decisions = {d.id: d for d in scenario.decisions}
        self.attempted: set[str] = set()
        self.opened: dict[str, float] = {}
        self.pending: dict[str, float | None] = {}
        self.decided_at: dict[str, float] = {}
        self.decided_by: dict[str, str] = {}
        self.after_inject: dict[str, list[tuple[Delay, Action, str]]] = {}
        self.on_decision: dict[str, list[tuple[str | None, Delay, Action, str]]] = {}
        self.on_chemical: dict[str, list[tuple[Delay, Action, str]]] = {}
        self.halt_requested = False

        # Always-on tallies that batch metrics read, so runs without a trace pay nothing extra.
        self.alert_max: dict[str, int] = dict(self.state.alert)
        self.alert_first: dict[tuple[str, int], float] = {
            (scope, rung): 0.0 for scope, top in self.state.alert.items() for rung in range(top + 1)
        }
        self.chem_time: float | None = None
        self.chem_max_probability = 0.0
        self.injects_fired = 0
        self.samples: dict[float, dict[str, float]] = {}
        self._effect_handlers: dict[type, Callable[[Any, str], None]] = {
            SetAlert: self._set_alert,
            RaiseAlert: self._raise_alert,
            LowerAlert: self._lower_alert,
            AdjustVariable: self._adjust_variable,
            SetVariable: self._set_variable,
            SetReadinessTarget: self._set_readiness_target,
            SetPosture: self._set_posture,
            FireInject: self._fire_inject,
            OpenDecision: self._open_decision_effect,
            EndExercise: self._end_exercise,
        }

    # ----------------------------------------------------------------------------- set-up

    def start(self, sample_times: tuple[float, ...], seed_record: list[int]) -> None:
        """Emit the start record, wire every trigger and schedule the fixed happenings."""
        scenario = self.scenario
        if self.tracing:
            self.emit(
                EventKind.START,
                {"scenario": scenario.meta.id, "title": scenario.meta.title, "seed": seed_record},
            )
        for inject in scenario.injects:
            self._wire(inject.trigger, self._inject_action(inject.id), f"inject:{inject.id}")
        for decision in scenario.decisions:
            self._wire(
                decision.trigger, self._decision_action(decision.id), f"decision:{decision.id}"
            )
        chem = scenario.chemical_use
        if chem is not None:
            for trigger in chem.triggers:
                self._wire(trigger, self._evaluate_chemical, "adversary:triggers")
            if chem.schedule is not None:
                self._schedule_evaluation(chem.schedule.start)
        for rule in scenario.rules:
            self.state.watch(
                self.compiled.expr(rule.when, "bool"),
                self._rule_action(rule),
                "repeat" if rule.repeat else "once",
            )
        for end in scenario.end:
            self.state.watch(
                self.compiled.expr(end.when, "bool"),
                self._end_action(end.reason, f"end:{end.id}"),
                "once",
            )
        for variable_id, drift in self.drifts.items():
            self._schedule_drift(variable_id, drift.every)
        for unit in scenario.units:
            self._retarget(unit.id, "start")
        for when in sorted(set(sample_times)):
            if when <= scenario.clock.duration:
                self._late(when, self._sampler(when))
        self._late(scenario.clock.duration, lambda: self.end("end of exercise time", "clock"))
        self.settle()

    def _scope_of(self, unit: Unit) -> str:
        if unit.readiness.scope is not None:
            return unit.readiness.scope
        if unit.host in self.state.alert:
            return unit.host
        for alliance in self.scenario.actors.alliances:
            if unit.host in alliance.members and alliance.id in self.state.alert:
                return alliance.id
        return next(iter(self.state.alert))

    def _wire(self, trigger: Trigger | None, action: Action, stream: str) -> None:
        if trigger is None:
            return
        if isinstance(trigger, AtTrigger):
            when = self.draw(trigger.at, stream)
            self._at(when, lambda: action("schedule"))
        elif isinstance(trigger, WhenTrigger):
            delay = trigger.delay
            self.state.watch(
                self.compiled.expr(trigger.when, "bool"),
                lambda: self.after(delay, action, "condition", stream),
                "once",
            )
        elif isinstance(trigger, AfterInjectTrigger):
            self.after_inject.setdefault(trigger.after, []).append((trigger.delay, action, stream))
        elif isinstance(trigger, OnDecisionTrigger):
            self.on_decision.setdefault(trigger.on_decision, []).append(
                (trigger.option, trigger.delay, action, stream)
            )
        elif isinstance(trigger, OnChemicalTrigger):
            self.on_chemical.setdefault(trigger.on_chemical, []).append(
                (trigger.delay, action, stream)
            )

    # ----------------------------------------------------------------------------- plumbing

    @property
    def tracing(self) -> bool:
        return self._emit_to is not None

    @property
    def now(self) -> float:
        return self.env.now

    def emit(self, kind: EventKind, payload: dict[str, JSONValue]) -> None:
        if self._emit_to is not None:
            self._emit_to(Event(self.seq, self.now, kind, payload))
            self.seq += 1

    def draw(self, value: Delay, stream: str) -> float:
        if isinstance(value, float | int):
            return float(value)
        return max(0.0, value.sample(self.streams(stream)))

    def _dispatch(self, event: SimEvent) -> None:
        # Every scheduled happening carries its function as the event value: one shared
        # callback instead of a closure per event keeps the hot path short.
        if not self.finished:
            event._value()
            self.state.now = self.env.now
            self.state.settle(self._is_finished)

    def _is_finished(self) -> bool:
        return self.finished

    def _at(self, delay: float, fn: Callable[[], None]) -> None:
        simpy.Timeout(self.env, delay, fn).callbacks.append(self._dispatch)

    def _late(self, delay: float, fn: Callable[[], None]) -> None:
        _Late(self.env, delay, fn).callbacks.append(self._dispatch)

    def after(self, delay: Delay, action: Action, cause: str, stream: str) -> None:
        wait = self.draw(delay, stream)
        if wait == 0.0:
            action(cause)
        else:
            self._at(wait, lambda: action(cause))

    def settle(self) -> None:
        self.state.now = self.env.now
        self.state.settle(self._is_finished)

    def apply(self, effects: list[Any], cause: str) -> None:
        for effect in effects:
            if self.finished:
                return
            self._effect_handlers[type(effect)](effect, cause)

    # ----------------------------------------------------------------------------- alerts

    def set_rung(self, scope: str, rung: int, cause: str) -> None:
        top = len(self.state.level_ids) - 1
        rung = min(top, max(0, rung))
        old = self.state.alert[scope]
        if rung == old:
            return
        self.state.alert[scope] = rung
        self.state.changed("alert", scope, rung)
        if rung > self.alert_max[scope]:
            self.alert_max[scope] = rung
        for reached in range(rung + 1):
            self.alert_first.setdefault((scope, reached), self.now)
        if self.tracing:
            self.emit(
                EventKind.ALERT,
                {
                    "scope": scope,
                    "old": self.state.level_ids[old],
                    "new": self.state.level_ids[rung],
                    "cause": cause,
                },
            )
        for unit_id in self.units_by_scope.get(scope, ()):
            self._retarget(unit_id, cause)

    def _set_alert(self, effect: SetAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.state.rung_of[effect.level], cause)

    def _raise_alert(self, effect: RaiseAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.state.alert[effect.scope] + effect.steps, cause)

    def _lower_alert(self, effect: LowerAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.state.alert[effect.scope] - effect.steps, cause)

    # ----------------------------------------------------------------------------- variables

    def set_variable(self, variable_id: str, value: float, cause: str) -> None:
        low, high = self.bounds[variable_id]
        new = min(high, max(low, value))
        old = self.state.variables[variable_id]
        if new == old or math.isnan(new):
            return
        self.state.variables[variable_id] = new
        self.state.changed("vars", variable_id, new)
        if self.tracing:
            self.emit(
                EventKind.VARIABLE,
                {"variable": variable_id, "old": old, "new": new, "cause": cause},
            )

    def _adjust_variable(self, effect: AdjustVariable, cause: str) -> None:
        amount = self._amount(effect.by, f"variable:{effect.variable}")
        self.set_variable(effect.variable, self.state.variables[effect.variable] + amount, cause)

    def _set_variable(self, effect: SetVariable, cause: str) -> None:
        self.set_variable(effect.variable, effect.value, cause)

    def _amount(self, value: float | Distribution, stream: str) -> float:
        if isinstance(value, float | int):
            return float(value)
        return value.sample(self.streams(stream))

    def _schedule_drift(self, variable_id: str, every: float) -> None:
        drift = self.drifts[variable_id]
        stream = f"drift:{variable_id}"

        def step() -> None:
            amount = self._amount(drift.by, stream)
            self.set_variable(variable_id, self.state.variables[variable_id] + amount, "drift")
            if self.now + every <= self.scenario.clock.duration:
                self._at(every, step)

        if every <= self.scenario.clock.duration:
            self._at(every, step)

    # ----------------------------------------------------------------------------- readiness

    def readiness(self, unit_id: str) -> float:
        return self.motions[unit_id].value(self.now)

    def readiness_map(self) -> dict[str, float]:
        now = self.now
        return {unit_id: motion.value(now) for unit_id, motion in self.motions.items()}

    def target_of(self, unit_id: str) -> float:
        pinned = self.pinned[unit_id]
        if pinned is not None:
            return pinned
        unit = self.units[unit_id]
        rung = self.state.alert[self.unit_scope[unit_id]]
        return target_for_rung(rung, self.targets_by_rung[unit_id], unit.readiness.initial)

    def _retarget(self, unit_id: str, cause: str) -> None:
        motion = self.motions[unit_id]
        target = self.target_of(unit_id)
        if target == motion.target:
            return
        now = self.now
        current = motion.value(now)
        duration = self.draw(self.units[unit_id].readiness.mobilisation, f"unit:{unit_id}")
        motion.start_value, motion.start_time = current, now
        motion.target, motion.arrival = target, now + duration
        motion.generation += 1
        generation = motion.generation
        if self.tracing:
            self.emit(
                EventKind.READINESS_TARGET,
                {
                    "unit": unit_id,
                    "target": target,
                    "readiness": current,
                    "arrives": motion.arrival,
                    "cause": cause,
                },
            )
        for when, mark, direction in motion.crossings(self.thresholds[unit_id]):
            self._at(when - now, self._crossing(unit_id, generation, mark, direction))
        for value, nudge in self.compared[unit_id]:
            for when, _, _ in motion.crossings((value,)):
                self._at(when + nudge - now, self._arrival(unit_id, generation))
        self._at(duration, self._arrival(unit_id, generation))

    def _crossing(
        self, unit_id: str, generation: int, mark: float, direction: str
    ) -> Callable[[], None]:
        def cross() -> None:
            if self.motions[unit_id].generation != generation:
                return
            self.state.changed("readiness", unit_id, self.readiness(unit_id))
            if self.tracing:
                self.emit(
                    EventKind.READINESS,
                    {
                        "unit": unit_id,
                        "mark": mark,
                        "direction": direction,
                        "readiness": self.motions[unit_id].value(self.now),
                    },
                )

        return cross

    def _arrival(self, unit_id: str, generation: int) -> Callable[[], None]:
        def arrive() -> None:
            if self.motions[unit_id].generation == generation:
                self.state.changed("readiness", unit_id, self.readiness(unit_id))

        return arrive

    def _set_readiness_target(self, effect: SetReadinessTarget, cause: str) -> None:
        for unit_id in effect.units:
            self.pinned[unit_id] = effect.target
            self._retarget(unit_id, cause)

    def _set_posture(self, effect: SetPosture, cause: str) -> None:
        for unit_id in effect.units:
            old = self.posture[unit_id]
            if old == effect.posture:
                continue
            self.posture[unit_id] = effect.posture
            if self.tracing:
                self.emit(
                    EventKind.POSTURE,
                    {"unit": unit_id, "old": old, "new": effect.posture, "cause": cause},
                )

    # ----------------------------------------------------------------------------- injects

    def _inject_action(self, inject_id: str) -> Action:
        return lambda cause: self.trigger_inject(inject_id, cause)

    def trigger_inject(self, inject_id: str, cause: str) -> None:
        """Deliver an inject once, subject to its probability."""
        if inject_id in self.attempted or self.finished:
            return
        self.attempted.add(inject_id)
        inject = self.injects[inject_id]
        if inject.probability < 1.0 and (
            self.streams(f"inject:{inject_id}").random() >= inject.probability
        ):
            if self.tracing:
                self.emit(
                    EventKind.INJECT_SKIPPED,
                    {"inject": inject_id, "cause": cause, "reason": "probability"},
                )
            return
        self.state.fired[inject_id] = True
        self.state.changed("fired", inject_id, True)
        self.injects_fired += 1
        if self.tracing:
            self.emit(
                EventKind.INJECT,
                {
                    "inject": inject_id,
                    "title": inject.title,
                    "channel": inject.channel,
                    "source": inject.source,
                    "cause": cause,
                },
            )
        self.apply(inject.effects, f"inject:{inject_id}")
        for delay, action, stream in self.after_inject.get(inject_id, ()):
            self.after(delay, action, f"inject:{inject_id}", stream)

    def _fire_inject(self, effect: FireInject, cause: str) -> None:
        self.after(
            effect.delay, self._inject_action(effect.inject), cause, f"inject:{effect.inject}"
        )

    # ----------------------------------------------------------------------------- decisions

    def _decision_action(self, decision_id: str) -> Action:
        return lambda cause: self.open_decision(decision_id, cause)

    def _open_decision_effect(self, effect: OpenDecision, cause: str) -> None:
        self.after(
            effect.delay,
            self._decision_action(effect.decision),
            cause,
            f"decision:{effect.decision}",
        )

    def open_decision(self, decision_id: str, cause: str) -> None:
        """Open a decision point once; it is answered in its own step, right after."""
        if decision_id in self.opened or self.finished:
            return
        decision = self.decisions[decision_id]
        self.opened[decision_id] = self.now
        deadline = None if decision.deadline is None else self.now + decision.deadline
        self.pending[decision_id] = deadline
        if self.tracing:
            self.emit(
                EventKind.DECISION_OPEN,
                {
                    "decision": decision_id,
                    "title": decision.title,
                    "deadline": deadline,
                    "cause": cause,
                },
            )
        # The answer is its own step so that a live choice made right after this step and a
        # policy's answer land at the same place in the event order.
        self._at(0.0, lambda: self._answer(decision_id))
        if decision.deadline is not None:
            self._at(decision.deadline, lambda: self._deadline(decision_id))

    def _answer(self, decision_id: str) -> None:
        if decision_id not in self.pending:
            return
        option = self.chooser.answer(self.decisions[decision_id])
        if option is None:
            self.halt_requested = True
        else:
            self.choose(decision_id, option, "policy")

    def _deadline(self, decision_id: str) -> None:
        if decision_id in self.pending:
            self.choose(decision_id, self.decisions[decision_id].default, "deadline")

    def choose(self, decision_id: str, option_id: str, by: str) -> None:
        """Record the choice at a pending decision point and apply the option's effects."""
        if decision_id not in self.pending:
            raise SimulationError(f"decision {decision_id!r} is not open")
        decision = self.decisions[decision_id]
        option = next((o for o in decision.options if o.id == option_id), None)
        if option is None:
            raise SimulationError(f"decision {decision_id!r} has no option {option_id!r}")
        del self.pending[decision_id]
        self.decided_at[decision_id] = self.now
        self.decided_by[decision_id] = by
        self.state.chosen[decision_id] = option_id
        self.state.changed("chosen", decision_id, option_id)
        if self.tracing:
            self.emit(
                EventKind.DECISION,
                {
                    "decision": decision_id,
                    "option": option_id,
                    "by": by,
                    "opened": self.opened[decision_id],
                },
            )
        cause = f"decision:{decision_id}={option_id}"
        self.apply(option.effects, cause)
        for wanted, delay, action, stream in self.on_decision.get(decision_id, ()):
            if wanted is None or wanted == option_id:
                self.after(delay, action, cause, stream)

    # ----------------------------------------------------------------------------- adversary

    def _schedule_evaluation(self, delay: float) -> None:
        chem = self.scenario.chemical_use
        assert chem is not None and chem.schedule is not None
        until = min(
            self.scenario.clock.duration,
            chem.schedule.until if chem.schedule.until is not None else math.inf,
        )
        every = chem.schedule.every

        def evaluate() -> None:
            self._evaluate_chemical("schedule")
            if self.now + every <= until and not (chem.once and self.state.chem_used):
                self._at(every, evaluate)

        if delay <= until:
            self._at(delay, evaluate)

    def _evaluate_chemical(self, cause: str) -> None:
        chem = self.scenario.chemical_use
        assert chem is not None
        if self.finished or (chem.once and self.state.chem_used):
            return
        if isinstance(chem.probability, str):
            value = self.state.evaluate(self.compiled.expr(chem.probability, "number"))
            probability, raw = as_probability(value)
        else:
            probability = raw = float(chem.probability)
        index = self.state.chem_evaluations
        # One uniform per evaluation from the adversary's own stream: the k-th evaluation
        # always sees the k-th draw, whatever the room decided (common random numbers).
        used = self.streams("adversary").random() < probability
        self.state.chem_evaluations = index + 1
        self.state.changed("chem", "evaluations", index + 1)
        self.chem_max_probability = max(self.chem_max_probability, probability)
        if self.tracing:
            self.emit(
                EventKind.CHEM_EVALUATION,
                {
                    "index": index,
                    "probability": probability,
                    "raw": raw if math.isfinite(raw) else None,
                    "outcome": "use" if used else "no_use",
                    "cause": cause,
                },
            )
        if used:
            self._use(chem)
        else:
            self.apply(chem.on_no_use, "chemical:no_use")
            for delay, action, stream in self.on_chemical.get("no_use", ()):
                self.after(delay, action, "chemical:no_use", stream)

    def _use(self, chem: Any) -> None:
        self.state.chem_used = True
        self.state.changed("chem", "used", True)
        self.chem_time = self.now
        self.apply(chem.on_use, "chemical:use")
        bands = chem.bands
        weights = [b.weight for b in bands]
        pick = self.streams("adversary:band").random() * sum(weights)
        band = bands[-1]
        for candidate, weight in zip(bands, weights, strict=True):
            if pick < weight:
                band = candidate
                break
            pick -= weight
        self.state.chem_band = band.id
        self.state.changed("chem", "band", band.id)
        self.state.chem_displaced = band.displaced
        self.state.changed("chem", "displaced", band.displaced)
        self.state.chem_affected = list(band.affected)
        self.state.changed("chem", "affected", list(band.affected))
        if self.tracing:
            self.emit(
                EventKind.CHEM_USE,
                {
                    "band": band.id,
                    "label": band.label,
                    "affected": list(band.affected),
                    "displaced": band.displaced,
                },
            )
        self.apply(band.effects, f"chemical:band={band.id}")
        for delay, action, stream in self.on_chemical.get("use", ()):
            self.after(delay, action, "chemical:use", stream)

    # ----------------------------------------------------------------------------- rules, end

    def _rule_action(self, rule: Rule) -> Callable[[], None]:
        rule_id = rule.id

        def fire() -> None:
            if self.tracing:
                self.emit(EventKind.RULE, {"rule": rule_id})
            self.apply(rule.effects, f"rule:{rule_id}")

        return fire

    def _end_action(self, reason: str, cause: str) -> Callable[[], None]:
        return lambda: self.end(reason, cause)

    def _end_exercise(self, effect: EndExercise, cause: str) -> None:
        self.end(effect.reason, cause)

    def end(self, reason: str, cause: str) -> None:
        if self.finished:
            return
        self.finished = True
        self.end_reason = reason
        self.end_time = self.now
        if self.tracing:
            self.emit(EventKind.END, {"reason": reason, "cause": cause})

    def _sampler(self, when: float) -> Callable[[], None]:
        def sample() -> None:
            self.samples[when] = self.sample_values()

        return sample

    def sample_values(self) -> dict[str, float]:
        values: dict[str, float] = {}
        for scope, rung in self.state.alert.items():
            values[f"alert.{scope}"] = float(rung)
        for unit_id, readiness in self.readiness_map().items():
            values[f"readiness.{unit_id}"] = readiness
        for variable_id, value in self.state.variables.items():
            values[f"vars.{variable_id}"] = value
        return values


__all__ = ["NORMAL", "Chooser", "ExerciseModel", "SimulationError"]
