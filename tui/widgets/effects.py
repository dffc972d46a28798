"""Plain-words account of what an option does in the model, for the facilitator's eyes only."""

from __future__ import annotations

from simulator.scenario.distributions import Distribution
from simulator.scenario.effects import (
    AdjustVariable,
    Effect,
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
from simulator.scenario.models import Decision, Scenario
from simulator.scenario.triggers import OnDecisionTrigger
from tui.exercise import span


def describe_option(scenario: Scenario, decision: Decision, option_id: str) -> list[str]:
    """The option's own effects, then the injects and decisions its choice sets off."""
    option = next(o for o in decision.options if o.id == option_id)
    lines = [describe(scenario, effect) for effect in option.effects]
    for inject in scenario.injects:
        if _follows(inject.trigger, decision.id, option_id):
            lines.append(f"sets off inject “{inject.title}”")
    for other in scenario.decisions:
        if _follows(other.trigger, decision.id, option_id):
            lines.append(f"opens decision “{other.title}”")
    return lines or ["no modelled effect"]


def _follows(trigger: object, decision_id: str, option_id: str) -> bool:
    return (
        isinstance(trigger, OnDecisionTrigger)
        and trigger.on_decision == decision_id
        and trigger.option in (None, option_id)
    )


def _amount(value: float | Distribution) -> str:
    if isinstance(value, int | float):
        return f"{value:+g}"
    return f"{value.mean:+.2g} on average ({value.dist})"


def _delay(value: float | Distribution) -> str:
    if isinstance(value, int | float):
        return f" after {span(value)}" if value else ""
    return f" after about {span(value.mean)}"


def describe(scenario: Scenario, effect: Effect) -> str:
    levels = {level.id: level.label for level in scenario.alert.levels}
    variables = {v.id: v.label for v in scenario.variables}
    units = {u.id: u.name for u in scenario.units}
    match effect:
        case SetAlert():
            return f"alert {effect.scope} set to {levels.get(effect.level, effect.level)}"
        case RaiseAlert():
            return f"alert {effect.scope} up {effect.steps} level(s)"
        case LowerAlert():
            return f"alert {effect.scope} down {effect.steps} level(s)"
        case AdjustVariable():
            return f"{variables.get(effect.variable, effect.variable)} {_amount(effect.by)}"
        case SetVariable():
            return f"{variables.get(effect.variable, effect.variable)} set to {effect.value:g}"
        case SetReadinessTarget():
            names = ", ".join(units.get(u, u) for u in effect.units)
            if effect.target is None:
                return f"readiness of {names} follows alert levels again"
            return f"readiness of {names} toward {effect.target:.0%}"
        case SetPosture():
            names = ", ".join(units.get(u, u) for u in effect.units)
            return f"{names} posture {effect.posture}"
        case FireInject():
            title = next(
                (i.title for i in scenario.injects if i.id == effect.inject), effect.inject
            )
            return f"inject “{title}”{_delay(effect.delay)}"
        case OpenDecision():
            title = next(
                (d.title for d in scenario.decisions if d.id == effect.decision), effect.decision
            )
            return f"opens decision “{title}”{_delay(effect.delay)}"
        case EndExercise():
            return f"ends the exercise: {effect.reason}"
    raise AssertionError(f"unknown effect {effect!r}")
