"""Decision points: opened once each, answered in their own step, or by their deadline."""

from __future__ import annotations

from typing import Protocol

from simulator.engine.events import DecidedBy, DecisionOpened, DecisionTaken
from simulator.engine.run import Action, Delay, Run
from simulator.engine.state import ConditionView, SimulationError
from simulator.scenario.effects import OpenDecision
from simulator.scenario.models import Decision, Scenario

OptionFollower = tuple[str | None, Delay, Action, str]
"""An `on_decision` trigger: the option it waits for (None: any), then as `Follower`."""


class Chooser(Protocol):
    """Answers a decision point headlessly (a policy) or defers it to the room (live play)."""

    def answer(self, decision: Decision) -> str | None: ...


class Decisions:
    """Which decision points of one run are open, and what was chosen at each, when."""

    def __init__(self, run: Run, view: ConditionView, scenario: Scenario, chooser: Chooser) -> None:
        self._run = run
        self._view = view
        self._chooser = chooser
        self.decisions = {d.id: d for d in scenario.decisions}
        self.opened: dict[str, float] = {}
        self.pending: dict[str, float | None] = {}
        """Per open decision, its deadline (exercise hours) if it has one."""
        self.decided_at: dict[str, float] = {}
        self.chosen: dict[str, str] = {d.id: "" for d in scenario.decisions}
        self.followers: dict[str, list[OptionFollower]] = {}
        """Per decision, what its `on_decision` triggers start once it is taken, in file order."""
        self.halt_requested = False
        """Set when a decision waits for the room: live stepping stops after this step."""
        view.read("chosen", self.chosen.__getitem__)

    def action(self, decision_id: str) -> Action:
        return lambda cause: self.open(decision_id, cause)

    def open_decision(self, effect: OpenDecision, cause: str) -> None:
        self._run.after(
            effect.delay, self.action(effect.decision), cause, f"decision:{effect.decision}"
        )

    def open(self, decision_id: str, cause: str) -> None:
        """Open a decision point once; it is answered in its own step, right after."""
        run = self._run
        if decision_id in self.opened or run.finished:
            return
        decision = self.decisions[decision_id]
        now = run.now
        self.opened[decision_id] = now
        deadline = None if decision.deadline is None else now + decision.deadline
        self.pending[decision_id] = deadline
        if run.tracing:
            run.emit(DecisionOpened(decision_id, decision.title, deadline, cause))
        # The answer is its own step so that a live choice made right after this step and a
        # policy's answer land at the same place in the event order.
        run.at(0.0, lambda: self._answer(decision_id))
        if decision.deadline is not None:
            run.at(decision.deadline, lambda: self._deadline(decision_id))

    def _answer(self, decision_id: str) -> None:
        if decision_id not in self.pending:
            return
        option = self._chooser.answer(self.decisions[decision_id])
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
        run = self._run
        del self.pending[decision_id]
        self.decided_at[decision_id] = run.now
        self.chosen[decision_id] = option_id
        self._view.changed("chosen", decision_id)
        if run.tracing:
            run.emit(DecisionTaken(decision_id, option_id, by, self.opened[decision_id]))
        cause = f"decision:{decision_id}={option_id}"
        run.apply(option.effects, cause)
        for wanted, delay, action, stream in self.followers.get(decision_id, ()):
            if wanted is None or wanted == option_id:
                run.after(delay, action, cause, stream)
