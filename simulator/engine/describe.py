"""Plain-language lines for event records, shared by `ttx run`, the TUI feed and the report."""

from __future__ import annotations

from simulator.engine.events import Event, EventKind
from simulator.scenario.models import Scenario


def relative_time(hours: float) -> str:
    """Exercise time as the room says it: `D+2 06:30` (day 0 is the first day)."""
    minutes = max(0, round(hours * 60))
    days, rest = divmod(minutes, 24 * 60)
    return f"D+{days} {rest // 60:02d}:{rest % 60:02d}"


class Describer:
    """Turns records into short sentences using the scenario's names and labels."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        actors = scenario.actors
        self._names: dict[str, str] = {a.id: a.name for a in actors.alliances}
        self._names.update({n.id: n.name for n in [*actors.nations, *actors.partners]})
        if actors.adversary is not None:
            self._names[actors.adversary.id] = actors.adversary.name
        self._names.update({u.id: u.name for u in scenario.units})
        self._names.update({v.id: v.label for v in scenario.variables})
        self._levels = {lv.id: lv.label for lv in scenario.alert.levels}
        self._decisions = {d.id: d for d in scenario.decisions}

    def name(self, ident: str) -> str:
        return self._names.get(ident, ident)

    def level(self, level_id: str) -> str:
        return self._levels.get(level_id, level_id)

    def option(self, decision_id: str, option_id: str) -> str:
        decision = self._decisions.get(decision_id)
        if decision is None:
            return option_id
        return next((o.label for o in decision.options if o.id == option_id), option_id)

    def stamp(self, hours: float) -> str:
        return relative_time(hours)

    def describe(self, event: Event) -> str:
        p = event.payload
        kind = event.kind
        if kind is EventKind.START:
            return f"Exercise starts: {p['title']}"
        if kind is EventKind.INJECT:
            return f"{p['title']} ({p['channel']}, {p['source']})"
        if kind is EventKind.INJECT_SKIPPED:
            return f"Inject {p['inject']} did not happen (probability)"
        if kind is EventKind.ALERT:
            return (
                f"{self.name(str(p['scope']))} alert: {self.level(str(p['old']))} → "
                f"{self.level(str(p['new']))}"
            )
        if kind is EventKind.READINESS_TARGET:
            return (
                f"{self.name(str(p['unit']))} readiness target {_pct(p['target'])} "
                f"(now {_pct(p['readiness'])}, by {self.stamp(_float(p['arrives']))})"
            )
        if kind is EventKind.READINESS:
            verb = "reaches" if p["direction"] == "up" else "falls below"
            return f"{self.name(str(p['unit']))} {verb} {_pct(p['mark'])} readiness"
        if kind is EventKind.POSTURE:
            return f"{self.name(str(p['unit']))} posture: {p['old']} → {p['new']}"
        if kind is EventKind.VARIABLE:
            return f"{self.name(str(p['variable']))}: {_num(p['old'])} → {_num(p['new'])}"
        if kind is EventKind.DECISION_OPEN:
            return f"Decision open: {p['title']}"
        if kind is EventKind.DECISION:
            decision_id, option_id = str(p["decision"]), str(p["option"])
            title = self._decisions[decision_id].title if decision_id in self._decisions else ""
            return f"Decided ({p['by']}): {title} → {self.option(decision_id, option_id)}"
        if kind is EventKind.CHEM_EVALUATION:
            outcome = "USE" if p["outcome"] == "use" else "no use"
            return f"Adversary decision point evaluated: p={_num(p['probability'])} → {outcome}"
        if kind is EventKind.CHEM_USE:
            reach = p["affected"]
            names = [self.name(str(a)) for a in reach] if isinstance(reach, list) else []
            affected = ", ".join(names) or "none"
            return (
                f"Hypothetical chemical use, band {p['label']}: affected {affected}; "
                f"displaced {int(_float(p['displaced'])):,}"
            )
        if kind is EventKind.RULE:
            return f"Rule {p['rule']} applied"
        return f"Exercise ends: {p['reason']}"


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def _pct(value: object) -> str:
    return f"{_float(value) * 100:.0f} %"


def _num(value: object) -> str:
    return f"{_float(value):.3g}"
