"""The exercise model: every happening of a scenario scheduled on one SimPy environment.

Nothing here is scenario-specific and nothing polls: every happening is a scheduled SimPy event
(a fixed or drawn time, a mobilisation arrival, a threshold crossing, a periodic evaluation) or a
reaction to a state change (conditions, `after`/`on_decision`/`on_chemical` triggers). Zero
delays are applied at once, in the order the scenario lists them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import simpy
from simpy.events import NORMAL
from simpy.events import Event as SimEvent

from simulator.engine.adversary import Adversary
from simulator.engine.events import (
    AlertChanged,
    DecidedBy,
    DecisionOpened,
    DecisionTaken,
    Ended,
    Event,
    InjectDelivered,
    InjectSkipped,
    Payload,
    RuleApplied,
    Started,
    VariableChanged,
)
from simulator.engine.instants import LateTimeout, landing_delay
from simulator.engine.state import ExerciseState, SimulationError
from simulator.engine.streams import Streams
from simulator.engine.units import Units
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.distributions import Distribution
from simulator.scenario.durations import periodic_count
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
from simulator.scenario.models import Decision, EndCondition, Rule, Scenario
from simulator.scenario.triggers import (
    AfterInjectTrigger,
    AtTrigger,
    OnChemicalTrigger,
    OnDecisionTrigger,
    Trigger,
    WhenTrigger,
)

Action = Callable[[str], None]
Delay = float | Distribution


class Chooser(Protocol):
    """Answers a decision point headlessly (a policy) or defers it to the room (live play)."""

    def answer(self, decision: Decision) -> str | None: ...


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
        self._emit_to = emit
        self.seq = 0
        self.finished = False
        self.end_reason: str | None = None
        self.end_time: float | None = None

        scenario = self.scenario
        self.units = Units(self)
        self.state.readiness_of = self.units.readiness
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
        self.adversary = (
            Adversary(self, scenario.chemical_use) if scenario.chemical_use is not None else None
        )
        self.injects_fired = 0
        self.samples: dict[float, dict[str, float]] = {}
        self._effect_handlers: dict[type, Callable[[Any, str], None]] = {
            SetAlert: self._set_alert,
            RaiseAlert: self._raise_alert,
            LowerAlert: self._lower_alert,
            AdjustVariable: self._adjust_variable,
            SetVariable: self._set_variable,
            SetReadinessTarget: self.units.set_readiness_target,
            SetPosture: self.units.set_posture,
            FireInject: self._fire_inject,
            OpenDecision: self._open_decision_effect,
            EndExercise: self._end_exercise,
        }

    # ----------------------------------------------------------------------------- set-up

    def start(self, sample_times: tuple[float, ...], seed_record: list[int]) -> None:
        """Emit the start record, wire every trigger and schedule the fixed happenings."""
        scenario = self.scenario
        if self.tracing:
            self.emit(Started(scenario.meta.id, scenario.meta.title, tuple(seed_record)))
        for inject in scenario.injects:
            self._wire(inject.trigger, self._inject_action(inject.id), f"inject:{inject.id}")
        for decision in scenario.decisions:
            self._wire(
                decision.trigger, self._decision_action(decision.id), f"decision:{decision.id}"
            )
        if self.adversary is not None:
            for trigger in self.adversary.chem.triggers:
                self._wire(trigger, self.adversary.evaluate, "adversary:triggers")
            self.adversary.schedule()
        # One bound method for all rules (and one for all end conditions), given the rule when
        # it fires: no closure per condition per run, which the cycle collector would walk.
        watch, expr = self.state.watch, self.compiled.expr
        fire_rule, end_when = self._fire_rule, self._end_condition
        for rule in scenario.rules:
            watch(expr(rule.when, "bool"), fire_rule, "repeat" if rule.repeat else "once", rule)
        for end in scenario.end:
            watch(expr(end.when, "bool"), end_when, "once", end)
        for variable_id, drift in self.drifts.items():
            self._schedule_drift(variable_id, drift.every)
        for unit in scenario.units:
            self.units.retarget(unit.id, "start")
        for when in self.compiled.watch_plan.times:
            self.at_instant(when, self._clock_reached(when))
        for when in sorted(set(sample_times)):
            if when <= scenario.clock.duration:
                self._late(when, self._sampler(when))
        self._late(scenario.clock.duration, lambda: self.end("end of exercise time", "clock"))
        self.settle()

    def _clock_reached(self, when: float) -> Callable[[], None]:
        return lambda: self.state.clock_reached(when)

    def _wire(self, trigger: Trigger | None, action: Action, stream: str) -> None:
        if trigger is None:
            return
        if isinstance(trigger, AtTrigger):
            when = self.draw(trigger.at, stream)
            self.at(when, lambda: action("schedule"))
        elif isinstance(trigger, WhenTrigger):
            self.state.watch(
                self.compiled.expr(trigger.when, "bool"),
                self._condition_met,
                "once",
                (trigger.delay, action, stream),
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

    def emit(self, payload: Payload) -> None:
        if self._emit_to is not None:
            self._emit_to(Event(self.seq, self.now, payload))
            self.seq += 1

    def draw(self, value: Delay, stream: str) -> float:
        if isinstance(value, float | int):
            return float(value)
        return max(0.0, value.sample(self.streams[stream]))

    def _dispatch(self, event: SimEvent) -> None:
        # Every scheduled happening carries its function as the event value: one shared
        # callback instead of a closure per event keeps the hot path short.
        if not self.finished:
            state = self.state
            state.now = self.env.now
            event._value()
            if state.unsettled:
                state.settle(self._is_finished)

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

    def _late(self, delay: float, fn: Callable[[], None]) -> None:
        LateTimeout(self.env, delay, fn).callbacks.append(self._dispatch)

    def after(self, delay: Delay, action: Action, cause: str, stream: str) -> None:
        wait = self.draw(delay, stream)
        if wait == 0.0:
            action(cause)
        else:
            self.at(wait, lambda: action(cause))

    def follow(self, followers: Iterable[tuple[Delay, Action, str]], cause: str) -> None:
        """Start what waits on a happening (`after`, `on_chemical` triggers), in file order."""
        for delay, action, stream in followers:
            self.after(delay, action, cause, stream)

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
            levels = self.state.level_ids
            self.emit(AlertChanged(scope, levels[old], levels[rung], cause))
        self.units.retarget_scope(scope, cause)

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
            self.emit(VariableChanged(variable_id, old, new, cause))

    def _adjust_variable(self, effect: AdjustVariable, cause: str) -> None:
        amount = self._amount(effect.by, f"variable:{effect.variable}")
        self.set_variable(effect.variable, self.state.variables[effect.variable] + amount, cause)

    def _set_variable(self, effect: SetVariable, cause: str) -> None:
        self.set_variable(effect.variable, effect.value, cause)

    def _amount(self, value: float | Distribution, stream: str) -> float:
        if isinstance(value, float | int):
            return float(value)
        return value.sample(self.streams[stream])

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

    def _schedule_drift(self, variable_id: str, every: float) -> None:
        drift = self.drifts[variable_id]
        stream = f"drift:{variable_id}"

        def change() -> bool:
            amount = self._amount(drift.by, stream)
            self.set_variable(variable_id, self.state.variables[variable_id] + amount, "drift")
            return True

        self.periodically(every, every, self.scenario.clock.duration, change)

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
            self.streams[f"inject:{inject_id}"].random() >= inject.probability
        ):
            if self.tracing:
                self.emit(InjectSkipped(inject_id, cause, "probability"))
            return
        self.state.fired[inject_id] = True
        self.state.changed("fired", inject_id, True)
        self.injects_fired += 1
        if self.tracing:
            self.emit(
                InjectDelivered(inject_id, inject.title, inject.channel, inject.source, cause)
            )
        self.apply(inject.effects, f"inject:{inject_id}")
        self.follow(self.after_inject.get(inject_id, ()), f"inject:{inject_id}")

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
            self.emit(DecisionOpened(decision_id, decision.title, deadline, cause))
        # The answer is its own step so that a live choice made right after this step and a
        # policy's answer land at the same place in the event order.
        self.at(0.0, lambda: self._answer(decision_id))
        if decision.deadline is not None:
            self.at(decision.deadline, lambda: self._deadline(decision_id))

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

    def choose(self, decision_id: str, option_id: str, by: DecidedBy) -> None:
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
            self.emit(DecisionTaken(decision_id, option_id, by, self.opened[decision_id]))
        cause = f"decision:{decision_id}={option_id}"
        self.apply(option.effects, cause)
        for wanted, delay, action, stream in self.on_decision.get(decision_id, ()):
            if wanted is None or wanted == option_id:
                self.after(delay, action, cause, stream)

    # ----------------------------------------------------------------------------- rules, end

    def _condition_met(self, then: tuple[Delay, Action, str]) -> None:
        delay, action, stream = then
        self.after(delay, action, "condition", stream)

    def _fire_rule(self, rule: Rule) -> None:
        if self.tracing:
            self.emit(RuleApplied(rule.id))
        self.apply(rule.effects, f"rule:{rule.id}")

    def _end_condition(self, end: EndCondition) -> None:
        self.end(end.reason, f"end:{end.id}")

    def _end_exercise(self, effect: EndExercise, cause: str) -> None:
        self.end(effect.reason, cause)

    def end(self, reason: str, cause: str) -> None:
        if self.finished:
            return
        self.finished = True
        self.end_reason = reason
        self.end_time = self.now
        if self.tracing:
            self.emit(Ended(reason, cause))

    def _sampler(self, when: float) -> Callable[[], None]:
        def sample() -> None:
            self.samples[when] = self.sample_values()

        return sample

    def sample_values(self, when: float | None = None) -> dict[str, float]:
        """The sampled state now, or at `when` (not before now) when no event comes between:
        only readiness moves without events, so it is read off its movement there."""
        values: dict[str, float] = {}
        for scope, rung in self.state.alert.items():
            values[f"alert.{scope}"] = float(rung)
        for unit_id, readiness in self.units.readiness_map(when).items():
            values[f"readiness.{unit_id}"] = readiness
        for variable_id, value in self.state.variables.items():
            values[f"vars.{variable_id}"] = value
        return values


__all__ = ["NORMAL", "Chooser", "ExerciseModel", "SimulationError"]
