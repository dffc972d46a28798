"""Units: readiness moving toward the target their alert level (or a pin) sets, and posture.

Readiness is read off a linear movement rather than stepped; announced thresholds and every
constant a condition compares a readiness with are scheduled as single crossing events, at the
instants `Motion.flips` gives, where the value reads exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from simulator.engine.alerts import Alerts
from simulator.engine.events import Direction, PostureChanged, ReadinessCrossed, ReadinessTargeted
from simulator.engine.readiness import Motion, target_for_rung
from simulator.engine.run import Run
from simulator.engine.state import ConditionView
from simulator.scenario.compiled import CompiledScenario
from simulator.scenario.effects import SetPosture, SetReadinessTarget
from simulator.scenario.models import Scenario, Unit


class Units:
    """Readiness, targets and posture of every unit of one run."""

    def __init__(
        self, run: Run, view: ConditionView, alerts: Alerts, compiled: CompiledScenario
    ) -> None:
        self._run = run
        self._view = view
        self._alerts = alerts
        scenario = compiled.scenario
        self.units: dict[str, Unit] = {u.id: u for u in scenario.units}
        self.scope_of: dict[str, str] = {u.id: self._scope(u, scenario) for u in scenario.units}
        self.by_scope: dict[str, list[str]] = {}
        for unit_id, scope in self.scope_of.items():
            self.by_scope.setdefault(scope, []).append(unit_id)
        self.targets_by_rung: dict[str, dict[int, float]] = {
            u.id: {alerts.rung_of[lv]: t for lv, t in u.readiness.targets.items()}
            for u in scenario.units
        }
        self.compared = compiled.watch_plan.readiness
        self.thresholds: dict[str, tuple[float, ...]] = {
            u.id: tuple(sorted(set(u.readiness.thresholds))) for u in scenario.units
        }
        self.motions: dict[str, Motion] = {
            u.id: Motion(u.readiness.initial, 0.0, u.readiness.initial, 0.0) for u in scenario.units
        }
        self.pinned: dict[str, float | None] = {u.id: None for u in scenario.units}
        self.announced: dict[str, tuple[float, float]] = {}
        """Per unit, the (instant, mark) of its latest announced threshold."""
        self.posture: dict[str, str] = {u.id: u.posture for u in scenario.units}
        view.read("readiness", self.readiness)

    def _scope(self, unit: Unit, scenario: Scenario) -> str:
        alert = self._alerts.rung
        if unit.readiness.scope is not None:
            return unit.readiness.scope
        if unit.host in alert:
            return unit.host
        for alliance in scenario.actors.alliances:
            if unit.host in alliance.members and alliance.id in alert:
                return alliance.id
        return next(iter(alert))

    def readiness(self, unit_id: str) -> float:
        return self.motions[unit_id].value(self._run.now)

    def readiness_map(self, when: float | None = None) -> dict[str, float]:
        at = self._run.now if when is None else when
        return {unit_id: motion.value(at) for unit_id, motion in self.motions.items()}

    def target_of(self, unit_id: str) -> float:
        pinned = self.pinned[unit_id]
        if pinned is not None:
            return pinned
        unit = self.units[unit_id]
        rung = self._alerts.rung[self.scope_of[unit_id]]
        return target_for_rung(rung, self.targets_by_rung[unit_id], unit.readiness.initial)

    def retarget_scope(self, scope: str, cause: str) -> None:
        for unit_id in self.by_scope.get(scope, ()):
            self.retarget(unit_id, cause)

    def retarget(self, unit_id: str, cause: str) -> None:
        """Start a new movement if the unit's target changed, drawing its mobilisation time."""
        run = self._run
        motion = self.motions[unit_id]
        target = self.target_of(unit_id)
        if target == motion.target:
            return
        now = run.now
        current = motion.value(now)
        due = motion.marks.get(now)
        if due is not None and self.announced.get(unit_id) != (now, due[0]):
            # The old movement reaches a mark at this very instant, but its crossing event,
            # scheduled later than what retargets the unit, would be dropped as stale.
            self._announce(unit_id, due[0], due[1], current)
        duration = run.draw(self.units[unit_id].readiness.mobilisation, f"unit:{unit_id}")
        motion.start_value, motion.start_time = current, now
        motion.target, motion.arrival = target, now + duration
        motion.generation += 1
        motion.exact = {}
        motion.marks = {}
        generation = motion.generation
        if run.tracing:
            run.emit(ReadinessTargeted(unit_id, target, current, motion.arrival, cause))
        for when, mark, direction in motion.crossings(self.thresholds[unit_id]):
            landed = run.at_instant(when, self._crossing(unit_id, generation, mark, direction))
            self._pin(motion, landed, mark)
            motion.marks[landed] = (mark, direction)
        for mark, ops in self.compared[unit_id]:
            for kind, when, value in motion.flips(mark, ops):
                if kind == "pass":
                    when = math.nextafter(when, math.inf)
                landed = run.at_instant(when, self._arrival(unit_id, generation))
                self._pin(motion, landed, value)
        run.at(duration, self._arrival(unit_id, generation))
        # The value now may be a constant a condition compares with (a crossing this instant
        # whose own event is now stale): conditions on this unit are checked at once.
        self._view.changed("readiness", unit_id)

    @staticmethod
    def _pin(motion: Motion, when: float, value: float) -> None:
        """Make the value read at a scheduled crossing instant exact (not at the arrival, where
        the target is the value)."""
        if when < motion.arrival:
            motion.exact[when] = value

    def _crossing(
        self, unit_id: str, generation: int, mark: float, direction: Direction
    ) -> Callable[[], None]:
        def cross() -> None:
            if self.motions[unit_id].generation == generation:
                self._announce(unit_id, mark, direction, self.readiness(unit_id))

        return cross

    def _announce(self, unit_id: str, mark: float, direction: Direction, readiness: float) -> None:
        run = self._run
        self.announced[unit_id] = (run.now, mark)
        self._view.changed("readiness", unit_id)
        if run.tracing:
            run.emit(ReadinessCrossed(unit_id, mark, direction, readiness))

    def _arrival(self, unit_id: str, generation: int) -> Callable[[], None]:
        def arrive() -> None:
            if self.motions[unit_id].generation == generation:
                self._view.changed("readiness", unit_id)

        return arrive

    def set_readiness_target(self, effect: SetReadinessTarget, cause: str) -> None:
        for unit_id in effect.units:
            self.pinned[unit_id] = effect.target
            self.retarget(unit_id, cause)

    def set_posture(self, effect: SetPosture, cause: str) -> None:
        for unit_id in effect.units:
            old = self.posture[unit_id]
            if old == effect.posture:
                continue
            self.posture[unit_id] = effect.posture
            if self._run.tracing:
                self._run.emit(PostureChanged(unit_id, old, effect.posture, cause))
