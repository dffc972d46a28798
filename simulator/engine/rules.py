"""Rules and end conditions: effects applied, or the run ended, when a condition becomes true."""

from __future__ import annotations

from simulator.engine.events import RuleApplied
from simulator.engine.run import Run
from simulator.engine.state import ConditionView
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.effects import EndExercise
from simulator.scenario.models import EndCondition, Rule


class Rules:
    """The scenario's rules and end conditions, watched on one run's conditions."""

    def __init__(self, run: Run, view: ConditionView, compiled: CompiledScenario) -> None:
        self._run = run
        self._view = view
        self._compiled = compiled

    def watch(self) -> None:
        """Watch every rule, then every end condition, in file order."""
        # One bound method for all rules (and one for all end conditions), given the rule when
        # it fires: no closure per condition per run, which the cycle collector would walk.
        watch, expr = self._view.watch, self._compiled.expr
        scenario = self._compiled.scenario
        for rule in scenario.rules:
            watch(expr(rule.when, "bool"), self._fire, "repeat" if rule.repeat else "once", rule)
        for end in scenario.end:
            watch(expr(end.when, "bool"), self._end, "once", end)

    def _fire(self, rule: Rule) -> None:
        run = self._run
        if run.tracing:
            run.emit(RuleApplied(rule.id))
        run.apply(rule.effects, f"rule:{rule.id}")

    def _end(self, end: EndCondition) -> None:
        self._run.end(end.reason, f"end:{end.id}")

    def end_exercise(self, effect: EndExercise, cause: str) -> None:
        self._run.end(effect.reason, cause)
