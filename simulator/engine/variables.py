"""State variables: values kept within their bounds, set by effects and moved by drift."""

from __future__ import annotations

import math

from simulator.engine.events import VariableChanged
from simulator.engine.run import Run
from simulator.engine.state import ConditionView
from simulator.scenario.effects import AdjustVariable, SetVariable
from simulator.scenario.models import Scenario


class Variables:
    """The value of every state variable of one run."""

    def __init__(self, run: Run, view: ConditionView, scenario: Scenario) -> None:
        self._run = run
        self._view = view
        self._duration = scenario.clock.duration
        self.bounds = {v.id: (v.min, v.max) for v in scenario.variables}
        self.drifts = {v.id: v.drift for v in scenario.variables if v.drift is not None}
        self.value: dict[str, float] = {v.id: float(v.initial) for v in scenario.variables}
        view.read("vars", self.value.__getitem__)

    def set(self, variable_id: str, value: float, cause: str) -> None:
        low, high = self.bounds[variable_id]
        new = min(high, max(low, value))
        old = self.value[variable_id]
        if new == old or math.isnan(new):
            return
        self.value[variable_id] = new
        self._view.changed("vars", variable_id)
        if self._run.tracing:
            self._run.emit(VariableChanged(variable_id, old, new, cause))

    def adjust_variable(self, effect: AdjustVariable, cause: str) -> None:
        amount = self._run.amount(effect.by, f"variable:{effect.variable}")
        self.set(effect.variable, self.value[effect.variable] + amount, cause)

    def set_variable(self, effect: SetVariable, cause: str) -> None:
        self.set(effect.variable, effect.value, cause)

    def schedule_drift(self) -> None:
        """Drift each drifting variable every `every` hours, from then to the end."""
        for variable_id in self.drifts:
            self._schedule(variable_id)

    def _schedule(self, variable_id: str) -> None:
        run, drift = self._run, self.drifts[variable_id]
        stream = f"drift:{variable_id}"

        def change() -> bool:
            amount = run.amount(drift.by, stream)
            self.set(variable_id, self.value[variable_id] + amount, "drift")
            return True

        run.periodically(drift.every, drift.every, self._duration, change)
