"""Injects: delivered once each, subject to their probability, and what waits on them."""

from __future__ import annotations

from simulator.engine.events import InjectDelivered, InjectSkipped
from simulator.engine.run import Action, Follower, Run
from simulator.engine.state import ConditionView
from simulator.scenario.effects import FireInject
from simulator.scenario.models import Scenario


class Injects:
    """Which injects of one run were tried and delivered, and who follows each."""

    def __init__(self, run: Run, view: ConditionView, scenario: Scenario) -> None:
        self._run = run
        self._view = view
        self.injects = {i.id: i for i in scenario.injects}
        self.attempted: set[str] = set()
        self.fired: dict[str, bool] = {i.id: False for i in scenario.injects}
        self.delivered = 0
        self.followers: dict[str, list[Follower]] = {}
        """Per inject, what its `after` triggers start once it is delivered, in file order."""
        view.read("fired", self.fired.__getitem__)

    def action(self, inject_id: str) -> Action:
        return lambda cause: self.trigger(inject_id, cause)

    def trigger(self, inject_id: str, cause: str) -> None:
        """Deliver an inject once, subject to its probability."""
        run = self._run
        if inject_id in self.attempted or run.finished:
            return
        self.attempted.add(inject_id)
        inject = self.injects[inject_id]
        if inject.probability < 1.0 and (
            run.streams[f"inject:{inject_id}"].random() >= inject.probability
        ):
            if run.tracing:
                run.emit(InjectSkipped(inject_id, cause, "probability"))
            return
        self.fired[inject_id] = True
        self._view.changed("fired", inject_id)
        self.delivered += 1
        if run.tracing:
            run.emit(InjectDelivered(inject_id, inject.title, inject.channel, inject.source, cause))
        run.apply(inject.effects, f"inject:{inject_id}")
        run.follow(self.followers.get(inject_id, ()), f"inject:{inject_id}")

    def fire_inject(self, effect: FireInject, cause: str) -> None:
        self._run.after(effect.delay, self.action(effect.inject), cause, f"inject:{effect.inject}")
