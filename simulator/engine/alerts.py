"""Alert levels: the rung of each scope, and the tallies batch metrics read."""

from __future__ import annotations

from collections.abc import Callable

from simulator.engine.events import AlertChanged
from simulator.engine.run import Run
from simulator.engine.state import ConditionView
from simulator.scenario.effects import LowerAlert, RaiseAlert, SetAlert
from simulator.scenario.models import Scenario


class Alerts:
    """The alert rung (0 = lowest level) of every scope of one run."""

    def __init__(self, run: Run, view: ConditionView, scenario: Scenario) -> None:
        self._run = run
        self._view = view
        self.level_ids: tuple[str, ...] = tuple(lv.id for lv in scenario.alert.levels)
        self.rung_of: dict[str, int] = {lv: i for i, lv in enumerate(self.level_ids)}
        self.rung: dict[str, int] = {
            scope: self.rung_of[level] for scope, level in scenario.alert.initial.items()
        }
        # Always-on tallies that batch metrics read, so runs without a trace pay nothing extra.
        self.highest: dict[str, int] = dict(self.rung)
        self.first: dict[tuple[str, int], float] = {
            (scope, rung): 0.0 for scope, top in self.rung.items() for rung in range(top + 1)
        }
        self.moved: Callable[[str, str], None] = lambda scope, cause: None
        """Told (scope, cause) after a scope's rung changed: the units it sets targets for."""
        view.read("alert", self.rung.__getitem__)
        view.read("level", self.rung_of.__getitem__)

    def level(self, scope: str) -> str:
        return self.level_ids[self.rung[scope]]

    def set_rung(self, scope: str, rung: int, cause: str) -> None:
        rung = min(len(self.level_ids) - 1, max(0, rung))
        old = self.rung[scope]
        if rung == old:
            return
        run = self._run
        self.rung[scope] = rung
        self._view.changed("alert", scope)
        if rung > self.highest[scope]:
            self.highest[scope] = rung
        for reached in range(rung + 1):
            self.first.setdefault((scope, reached), run.now)
        if run.tracing:
            run.emit(AlertChanged(scope, self.level_ids[old], self.level_ids[rung], cause))
        self.moved(scope, cause)

    def set_alert(self, effect: SetAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.rung_of[effect.level], cause)

    def raise_alert(self, effect: RaiseAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.rung[effect.scope] + effect.steps, cause)

    def lower_alert(self, effect: LowerAlert, cause: str) -> None:
        self.set_rung(effect.scope, self.rung[effect.scope] - effect.steps, cause)
