"""The exercise model: every happening of a scenario scheduled on one SimPy environment.

Nothing here is scenario-specific and nothing polls: every happening is a scheduled SimPy event
(a fixed or drawn time, a mobilisation arrival, a threshold crossing, a periodic evaluation) or a
reaction to a state change (conditions, `after`/`on_decision`/`on_chemical` triggers). Zero
delays are applied at once, in the order the scenario lists them.

The state lives in components, one home each: `Alerts`, `Variables`, `Injects`, `Decisions`,
`Rules` (and end conditions), `Units` and the `Adversary`. The model builds them on one `Run`,
routes each effect to its component and wires the triggers.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.engine.adversary import Adversary
from simulator.engine.alerts import Alerts
from simulator.engine.decisions import Chooser, Decisions
from simulator.engine.events import Event, Started
from simulator.engine.injects import Injects
from simulator.engine.rules import Rules
from simulator.engine.run import Action, Delay, Run
from simulator.engine.state import ConditionView
from simulator.engine.streams import Streams
from simulator.engine.units import Units
from simulator.engine.variables import Variables
from simulator.scenario import effects as fx
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.expressions import CHEM_FIELDS
from simulator.scenario.triggers import (
    AfterInjectTrigger,
    AtTrigger,
    OnChemicalTrigger,
    OnDecisionTrigger,
    Trigger,
    WhenTrigger,
)


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
        scenario = self.scenario = compiled.scenario
        self.streams = streams
        self.view = view = ConditionView(compiled)
        self.run = run = Run(streams, view, emit)
        self.alerts = alerts = Alerts(run, view, scenario)
        self.variables = variables = Variables(run, view, scenario)
        self.injects = injects = Injects(run, view, scenario)
        self.decisions = decisions = Decisions(run, view, scenario, chooser)
        self.rules = rules = Rules(run, view, compiled)
        self.units = units = Units(run, view, alerts, compiled)
        alerts.moved = units.retarget_scope
        chem = scenario.chemical_use
        self.adversary = None if chem is None else Adversary(run, view, compiled, chem)
        if self.adversary is None:
            view.read("chem", CHEM_FIELDS.__getitem__)  # no adversary: the names keep their start
        self.samples: dict[float, dict[str, float]] = {}
        run.handlers.update(
            {
                fx.SetAlert: alerts.set_alert,
                fx.RaiseAlert: alerts.raise_alert,
                fx.LowerAlert: alerts.lower_alert,
                fx.AdjustVariable: variables.adjust_variable,
                fx.SetVariable: variables.set_variable,
                fx.SetReadinessTarget: units.set_readiness_target,
                fx.SetPosture: units.set_posture,
                fx.FireInject: injects.fire_inject,
                fx.OpenDecision: decisions.open_decision,
                fx.EndExercise: rules.end_exercise,
            }
        )

    @property
    def now(self) -> float:
        return self.run.env.now

    # ----------------------------------------------------------------------------- set-up

    def start(self, sample_times: tuple[float, ...], seed: tuple[int, ...]) -> None:
        """Emit the start record, wire every trigger and schedule the fixed happenings."""
        scenario, run = self.scenario, self.run
        if run.tracing:
            run.emit(Started(scenario.meta.id, scenario.meta.title, seed))
        for inject in scenario.injects:
            self._wire(inject.trigger, self.injects.action(inject.id), f"inject:{inject.id}")
        for decision in scenario.decisions:
            self._wire(
                decision.trigger, self.decisions.action(decision.id), f"decision:{decision.id}"
            )
        if self.adversary is not None:
            for trigger in self.adversary.chem.triggers:
                self._wire(trigger, self.adversary.evaluate, "adversary:triggers")
            self.adversary.schedule()
        self.rules.watch()
        self.variables.schedule_drift()
        for unit in scenario.units:
            self.units.retarget(unit.id, "start")
        for when in self.compiled.watch_plan.times:
            run.at_instant(when, self._clock_reached(when))
        for when in sorted(set(sample_times)):
            if when <= scenario.clock.duration:
                run.late(when, self._sampler(when))
        run.late(scenario.clock.duration, lambda: run.end("end of exercise time", "clock"))
        run.settle()

    def _clock_reached(self, when: float) -> Callable[[], None]:
        return lambda: self.view.clock_reached(when)

    def _wire(self, trigger: Trigger | None, action: Action, stream: str) -> None:
        if trigger is None:
            return
        if isinstance(trigger, AtTrigger):
            when = self.run.draw(trigger.at, stream)
            self.run.at(when, lambda: action("schedule"))
        elif isinstance(trigger, WhenTrigger):
            self.view.watch(
                self.compiled.expr(trigger.when, "bool"),
                self._condition_met,
                "once",
                (trigger.delay, action, stream),
            )
        elif isinstance(trigger, AfterInjectTrigger):
            followers = self.injects.followers.setdefault(trigger.after, [])
            followers.append((trigger.delay, action, stream))
        elif isinstance(trigger, OnDecisionTrigger):
            waiting = self.decisions.followers.setdefault(trigger.on_decision, [])
            waiting.append((trigger.option, trigger.delay, action, stream))
        elif isinstance(trigger, OnChemicalTrigger) and self.adversary is not None:
            # Without a chemical-use decision point no outcome ever comes: nothing to wait on.
            outcome = self.adversary.followers.setdefault(trigger.on_chemical, [])
            outcome.append((trigger.delay, action, stream))

    def _condition_met(self, then: tuple[Delay, Action, str]) -> None:
        delay, action, stream = then
        self.run.after(delay, action, "condition", stream)

    # ----------------------------------------------------------------------------- sampling

    def _sampler(self, when: float) -> Callable[[], None]:
        def sample() -> None:
            self.samples[when] = self.sample_values()

        return sample

    def sample_values(self, when: float | None = None) -> dict[str, float]:
        """The sampled state now, or at `when` (not before now) when no event comes between:
        only readiness moves without events, so it is read off its movement there."""
        values: dict[str, float] = {}
        for scope, rung in self.alerts.rung.items():
            values[f"alert.{scope}"] = float(rung)
        for unit_id, readiness in self.units.readiness_map(when).items():
            values[f"readiness.{unit_id}"] = readiness
        for variable_id, value in self.variables.value.items():
            values[f"vars.{variable_id}"] = value
        return values
