"""The one describer: records, causes and effects in the scenario's own words.

The live feed, the hot wash, the after-action report and `ttx run` all turn records into text
here, and every exercise time goes through `durations.exercise_time`, so one record reads the
same everywhere. What it returns is plain text made from untrusted scenario strings: callers
render it as data (Textual `Content`, escaped HTML or Markdown), never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.events import (
    AlertChanged,
    ChemEvaluated,
    ChemUsed,
    DecisionOpened,
    DecisionTaken,
    Ended,
    Event,
    EventKind,
    InjectDelivered,
    InjectSkipped,
    PostureChanged,
    ReadinessCrossed,
    ReadinessTargeted,
    RuleApplied,
    Started,
    VariableChanged,
)
from simulator.scenario import effects as fx
from simulator.scenario.distributions import Distribution
from simulator.scenario.durations import calendar_time, exercise_time, format_duration
from simulator.scenario.models import Decision, Scenario, Variable
from simulator.scenario.triggers import OnDecisionTrigger

CATEGORIES: dict[EventKind, str] = {
    EventKind.START: "start",
    EventKind.INJECT: "inject",
    EventKind.INJECT_SKIPPED: "inject",
    EventKind.ALERT: "alert",
    EventKind.READINESS_TARGET: "readiness",
    EventKind.READINESS: "readiness",
    EventKind.POSTURE: "posture",
    EventKind.VARIABLE: "variable",
    EventKind.DECISION_OPEN: "decision open",
    EventKind.DECISION: "decision",
    EventKind.CHEM_EVALUATION: "chemical",
    EventKind.CHEM_USE: "chemical",
    EventKind.RULE: "rule",
    EventKind.END: "end",
}
"""The short word for each kind of record: the timeline's and the feed's category column."""

_PLAIN_CAUSES = {
    "schedule": "on schedule",
    "condition": "condition met",
    "start": "at the start",
    "drift": "drift",
    "clock": "end of exercise time",
    "chemical:use": "after the adversary's chemical use",
    "chemical:no_use": "after the adversary decided against use",
}

DECIDED_BY = {"room": "the room", "policy": "policy", "deadline": "deadline (default option)"}


@dataclass(frozen=True, slots=True)
class Line:
    """One record in words: when, what, and the detail that explains it (may be empty)."""

    when: str
    """Exercise time, `D+1 02:00`."""
    category: str
    text: str
    detail: str


def variable_value(variable: Variable, value: float) -> str:
    """A variable's value: two decimals on a narrow scale (tension 0.57), whole numbers with
    thousands separators on a wide one (displaced 12,500)."""
    if variable.max - variable.min > 10:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def percent(fraction: float) -> str:
    """`80%`: readiness and probabilities, the same way everywhere."""
    return f"{fraction:.0%}"


class Describer:
    """Turns records into short sentences using the scenario's names and labels."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        actors = scenario.actors
        scopes = {a.id: a.name for a in actors.alliances}
        scopes.update({n.id: n.name for n in [*actors.nations, *actors.partners]})
        self.scope_names: dict[str, str] = scopes
        """Alert scope id -> name: the alliances, nations and partners."""
        # Ids are unique per kind only (a unit may share an id with a nation): one map each.
        self._actors = dict(scopes)
        if actors.adversary is not None:
            self._actors[actors.adversary.id] = actors.adversary.name
        self._units = {u.id: u.name for u in scenario.units}
        self._variables = {v.id: v.label for v in scenario.variables}
        self._variable_models = {v.id: v for v in scenario.variables}
        chem = scenario.chemical_use
        self._bands = {} if chem is None else {b.id: b.label for b in chem.bands}
        self._end_reasons = {e.id: e.reason for e in scenario.end}
        self._levels = {lv.id: lv.label for lv in scenario.alert.levels}
        self._decisions = {d.id: d for d in scenario.decisions}
        self._injects = {i.id: i.title for i in scenario.injects}

    # ------------------------------------------------------------------------------- names

    def name(self, actor_id: str) -> str:
        """The name of an actor: an alliance, nation or partner (an alert scope), or the
        adversary."""
        return self._actors.get(actor_id, actor_id)

    def unit(self, unit_id: str) -> str:
        return self._units.get(unit_id, unit_id)

    def variable(self, variable_id: str) -> str:
        return self._variables.get(variable_id, variable_id)

    def level(self, level_id: str) -> str:
        return self._levels.get(level_id, level_id)

    def decision_title(self, decision_id: str) -> str:
        decision = self._decisions.get(decision_id)
        return decision_id if decision is None else decision.title

    def inject_title(self, inject_id: str) -> str:
        return self._injects.get(inject_id, inject_id)

    def option(self, decision_id: str, option_id: str) -> str:
        decision = self._decisions.get(decision_id)
        if decision is None:
            return option_id
        return next((o.label for o in decision.options if o.id == option_id), option_id)

    # ------------------------------------------------------------------------------- times

    def when(self, hours: float) -> str:
        """Exercise time, `D+1 02:00`."""
        return exercise_time(hours)

    def calendar(self, hours: float) -> str:
        """The story's date and time, `2022-03-24 06:30Z`, to the same minute as `when`."""
        return calendar_time(self.scenario.clock.start, hours)

    def stamp(self, hours: float) -> str:
        """Both: `D+1 02:00 (2022-03-24 06:30Z)`."""
        return f"{self.when(hours)} ({self.calendar(hours)})"

    # ------------------------------------------------------------------------------- records

    def line(self, event: Event) -> Line:
        return Line(
            self.when(event.time),
            CATEGORIES[event.kind],
            self.describe(event),
            self.detail(event),
        )

    def describe(self, event: Event) -> str:
        """What happened, in one short sentence."""
        match event.payload:
            case Started(title=title):
                return f"Exercise starts: {title}"
            case InjectDelivered(inject=inject):
                return self.inject_title(inject)
            case InjectSkipped(inject=inject):
                return f"Inject “{self.inject_title(inject)}” did not happen (probability)"
            case AlertChanged(scope=scope, old=old, new=new):
                return f"{self.name(scope)} alert: {self.level(old)} → {self.level(new)}"
            case ReadinessTargeted(unit=unit, target=target):
                return f"{self.unit(unit)} readiness target {percent(target)}"
            case ReadinessCrossed(unit=unit, mark=mark, direction=direction):
                verb = "reaches" if direction == "up" else "falls below"
                return f"{self.unit(unit)} {verb} {percent(mark)} readiness"
            case PostureChanged(unit=unit, old=old, new=new):
                return f"{self.unit(unit)} posture: {old} → {new}"
            case VariableChanged(variable=variable, old=old, new=new):
                shown = f"{self.value(variable, old)} → {self.value(variable, new)}"
                return f"{self.variable(variable)}: {shown}"
            case DecisionOpened(decision=decision):
                return f"Decision open: {self.decision_title(decision)}"
            case DecisionTaken(decision=decision, option=option):
                return f"Decided: {self.decision_title(decision)} → {self.option(decision, option)}"
            case ChemEvaluated(outcome=outcome):
                said = "USE" if outcome == "use" else "no use"
                return f"Adversary decision point evaluated: {said}"
            case ChemUsed(label=label):
                return f"Hypothetical chemical use, band “{label}”"
            case RuleApplied(rule=rule):
                return f"Rule {rule} applied"
            case Ended(reason=reason):
                return f"ENDEX: {reason}"

    def detail(self, event: Event) -> str:
        """What explains it: a source, a cause, a deadline, a probability; may be empty."""
        match event.payload:
            case InjectDelivered(channel=channel, source=source):
                return f"{channel} from {source}"
            case AlertChanged(cause=cause) | PostureChanged(cause=cause):
                return self.cause(cause)
            case VariableChanged(cause=cause):
                return self.cause(cause)
            case ReadinessTargeted(readiness=now, arrives=arrives, cause=cause):
                return f"now {percent(now)}, by {self.when(arrives)}; {self.cause(cause)}"
            case DecisionOpened(deadline=deadline):
                return "" if deadline is None else f"deadline {self.when(deadline)}"
            case DecisionTaken(by=by):
                return f"by {DECIDED_BY[by]}"
            case ChemEvaluated(probability=probability):
                return f"probability {probability:.1%}"
            case ChemUsed() as use:
                return self.consequences(use)
            case _:
                return ""

    def consequences(self, use: ChemUsed) -> str:
        """`displaced 12,000; affected Nation A, Nation B` (author-set exercise figures)."""
        parts = [f"displaced {use.displaced:,}"]
        if use.affected:
            parts.append("affected " + ", ".join(self.name(a) for a in use.affected))
        return "; ".join(parts)

    def cause(self, cause: str) -> str:
        """Why something happened, in the scenario's words (`after inject “Border clash”`).

        The engine's causes are `schedule`, `condition`, `start`, `drift`, `clock`,
        `inject:<id>`, `decision:<id>=<option>`, `rule:<id>`, `end:<id>`, `chemical:use`,
        `chemical:no_use` and `chemical:band=<id>`; anything else is shown as it is.
        """
        if cause in _PLAIN_CAUSES:
            return _PLAIN_CAUSES[cause]
        kind, _, rest = cause.partition(":")
        name, _, value = rest.partition("=")
        if kind == "inject" and rest in self._injects:
            return f"after inject “{self._injects[rest]}”"
        if kind == "decision" and name in self._decisions:
            title = self._decisions[name].title
            return f"after decision “{title}”: {self.option(name, value)}"
        if kind == "chemical" and name == "band":
            return f"consequence band “{self._bands.get(value, value)}”"
        if kind == "rule":
            return f"rule “{rest}”"  # rules have no label: their id is their name
        if kind == "end" and rest in self._end_reasons:
            return f"end condition: {self._end_reasons[rest]}"
        return cause

    def value(self, variable_id: str, value: float) -> str:
        variable = self._variable_models.get(variable_id)
        return f"{value:.2f}" if variable is None else variable_value(variable, value)

    # ------------------------------------------------------------------------------- effects

    def option_effects(self, decision: Decision, option_id: str) -> list[str]:
        """What an option does in the model: its own effects, then the injects and decisions
        its choice sets off (for the facilitator's eyes only)."""
        option = next(o for o in decision.options if o.id == option_id)
        lines = [self.effect(effect) for effect in option.effects]
        for inject in self.scenario.injects:
            if _follows(inject.trigger, decision.id, option_id):
                lines.append(f"sets off inject “{inject.title}”")
        for other in self.scenario.decisions:
            if _follows(other.trigger, decision.id, option_id):
                lines.append(f"opens decision “{other.title}”")
        return lines or ["no modelled effect"]

    def effect(self, effect: fx.Effect) -> str:
        match effect:
            case fx.SetAlert(scope=scope, level=level):
                return f"{self.name(scope)} alert set to {self.level(level)}"
            case fx.RaiseAlert(scope=scope, steps=steps) | fx.LowerAlert(scope=scope, steps=steps):
                way = "up" if isinstance(effect, fx.RaiseAlert) else "down"
                return f"{self.name(scope)} alert {way} {count(steps, 'level')}"
            case fx.AdjustVariable(variable=variable, by=by):
                return f"{self.variable(variable)} {_amount(by)}"
            case fx.SetVariable(variable=variable, value=value):
                return f"{self.variable(variable)} set to {value:g}"
            case fx.SetReadinessTarget(units=units, target=target):
                names = ", ".join(self.unit(u) for u in units)
                if target is None:
                    return f"readiness of {names} follows alert levels again"
                return f"readiness of {names} toward {percent(target)}"
            case fx.SetPosture(units=units, posture=posture):
                return f"{', '.join(self.unit(u) for u in units)} posture {posture}"
            case fx.FireInject(inject=inject, delay=delay):
                return f"inject “{self.inject_title(inject)}”{_delay(delay)}"
            case fx.OpenDecision(decision=decision, delay=delay):
                return f"opens decision “{self.decision_title(decision)}”{_delay(delay)}"
            case fx.EndExercise(reason=reason):
                return f"ends the exercise: {reason}"
        raise AssertionError(f"unknown effect {effect!r}")


def _follows(trigger: object, decision_id: str, option_id: str) -> bool:
    return (
        isinstance(trigger, OnDecisionTrigger)
        and trigger.on_decision == decision_id
        and trigger.option in (None, option_id)
    )


def count(number: int, noun: str) -> str:
    """`1 decision`, `3 decisions`: for nouns that take an s."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _amount(value: float | Distribution) -> str:
    if isinstance(value, int | float):
        return f"{value:+g}"
    return f"{value.mean:+.2g} on average ({value.dist})"


def _delay(value: float | Distribution) -> str:
    if isinstance(value, int | float):
        return f" after {format_duration(value)}" if value else ""
    return f" after about {format_duration(value.mean)}"
